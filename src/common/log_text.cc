#include "common/log_text.h"

#include <algorithm>

namespace zm {
namespace {

// Length of the valid UTF-8 sequence starting at text[i] (2..4), or 0 when it is not one.
// Overlong forms, surrogates and code points above U+10FFFF are not valid.
size_t Utf8SequenceLength(std::string_view text, size_t i, unsigned* code_point) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned lead = byte(i);
  size_t length = 0;
  unsigned cp = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    cp = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    cp = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    cp = lead & 0x07;
  } else {
    return 0;
  }
  if (text.size() - i < length) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  const bool overlong = (length == 3 && cp < 0x800) || (length == 4 && cp < 0x10000);
  if (overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
  *code_point = cp;
  return length;
}

std::string EscapeByte(unsigned char c) {
  switch (c) {
    case '\n':
      return "\\n";
    case '\r':
      return "\\r";
    case '\t':
      return "\\t";
    default: {
      static const char kHex[] = "0123456789abcdef";
      return {'\\', 'x', kHex[c >> 4], kHex[c & 15]};
    }
  }
}

}  // namespace

std::string SanitizeForLog(std::string_view text, size_t max_bytes) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes) + 16);
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::string_view unit;
    std::string escaped;
    size_t consumed = 1;
    unsigned cp = 0;
    if (c >= 0x20 && c < 0x7F) {
      unit = text.substr(i, 1);
    } else if (c >= 0x80 && (consumed = Utf8SequenceLength(text, i, &cp)) != 0 && cp >= 0xA0) {
      unit = text.substr(i, consumed);
    } else {
      consumed = 1;
      escaped = EscapeByte(c);
      unit = escaped;
    }
    if (out.size() + unit.size() > max_bytes) break;  // never split an escape or a character
    out.append(unit);
    i += consumed;
  }
  if (i < text.size()) out += "...(" + std::to_string(text.size() - i) + " more bytes)";
  return out;
}

}  // namespace zm
