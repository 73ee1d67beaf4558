// The instruments master CSV (RFC 4180: quoted fields may hold commas, quotes and newlines).
#include "common/kite/instruments.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "common/log_text.h"

namespace zm::kite {
namespace {

constexpr std::array<const char*, 12> kColumns = {
    "instrument_token", "exchange_token",  "tradingsymbol", "name",
    "last_price",       "expiry",          "strike",        "tick_size",
    "lot_size",         "instrument_type", "segment",       "exchange"};
enum Column {
  kToken,
  kExchangeToken,
  kSymbol,
  kName,
  kLastPrice,
  kExpiry,
  kStrike,
  kTickSize,
  kLotSize,
  kType,
  kSegment,
  kExchange
};

// Splits CSV text into records; tracks the line each record starts on.
class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {}

  bool Done() const { return pos_ >= text_.size(); }
  int line() const { return record_line_; }

  // Reads the next record into `fields`; an error for an unterminated quote or junk after one.
  Status Next(std::vector<std::string>& fields) {
    fields.assign(1, "");
    record_line_ = line_;
    bool quoted = false, after_quote = false;
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (quoted) {
        if (c == '"' && pos_ < text_.size() && text_[pos_] == '"') {
          fields.back() += '"';
          ++pos_;
        } else if (c == '"') {
          quoted = false;
          after_quote = true;
        } else {
          if (c == '\n') ++line_;
          fields.back() += c;
        }
      } else if (c == ',') {
        fields.emplace_back();
        after_quote = false;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
        ++line_;
        return Status::Ok();
      } else if (c == '"' && fields.back().empty() && !after_quote) {
        quoted = true;
      } else if (after_quote) {
        return ParseError(Where(fields.size()) + ": text after a closing quote");
      } else {
        fields.back() += c;
      }
    }
    if (quoted) return ParseError(Where(fields.size()) + ": unterminated quoted field");
    return Status::Ok();
  }

  // After a malformed record: continue at the next line (a broken quote may have swallowed the
  // rest of the text, in which case nothing is left).
  void SkipLine() {
    while (pos_ < text_.size()) {
      if (text_[pos_++] == '\n') {
        ++line_;
        return;
      }
    }
  }

  std::string Where(size_t column) const {
    return "instruments CSV line " + std::to_string(record_line_) + " column " +
           std::to_string(column);
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
  int record_line_ = 1;
};

bool ParseDouble(const std::string& text, bool allow_empty, double& out) {
  if (text.empty()) {
    out = 0;
    return allow_empty;
  }
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && std::isfinite(out);
}

template <typename Int>
bool ParseInt(const std::string& text, Int& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && !text.empty();
}

Result<std::array<size_t, 12>> LocateColumns(const std::vector<std::string>& header) {
  std::array<size_t, 12> index{};
  for (size_t c = 0; c < kColumns.size(); ++c) {
    size_t found = header.size();
    for (size_t h = 0; h < header.size(); ++h) {
      if (header[h] == kColumns[c]) found = h;
    }
    if (found == header.size()) {
      return ParseError(std::string("instruments CSV header lacks column '") + kColumns[c] + "'");
    }
    index[c] = found;
  }
  return index;
}

Status ParseRow(const std::vector<std::string>& f, const std::array<size_t, 12>& col,
                const CsvReader& reader, Instrument& out) {
  auto bad = [&](Column c) {
    return ParseError(reader.Where(col[c] + 1) + " (" + kColumns[c] + "): bad value '" +
                      SanitizeForLog(f[col[c]], 40) + "'");
  };
  if (!ParseInt(f[col[kToken]], out.instrument_token)) return bad(kToken);
  if (!ParseInt(f[col[kExchangeToken]], out.exchange_token)) return bad(kExchangeToken);
  out.tradingsymbol = f[col[kSymbol]];
  if (out.tradingsymbol.empty()) return bad(kSymbol);
  out.name = f[col[kName]];
  if (!ParseDouble(f[col[kLastPrice]], true, out.last_price)) return bad(kLastPrice);
  out.expiry = f[col[kExpiry]];
  if (!ParseDouble(f[col[kStrike]], true, out.strike)) return bad(kStrike);
  // 0 (index rows) means unknown; negative is junk.
  if (!ParseDouble(f[col[kTickSize]], false, out.tick_size) || out.tick_size < 0) {
    return bad(kTickSize);
  }
  if (!ParseInt(f[col[kLotSize]], out.lot_size) || out.lot_size < 0) return bad(kLotSize);
  out.instrument_type = f[col[kType]];
  out.segment = f[col[kSegment]];
  out.exchange = f[col[kExchange]];
  if (out.exchange.empty()) return bad(kExchange);
  return Status::Ok();
}

std::string CsvField(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Kite writes floats with a decimal point ("0.0", "23500.0", "0.05").
std::string CsvNumber(double value) {
  std::string text = fmt::format("{}", value);
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

}  // namespace

Result<std::vector<Instrument>> ParseInstrumentsCsv(std::string_view csv, CsvSkips* skips) {
  CsvReader reader(csv);
  std::vector<std::string> fields;
  CsvSkips local;
  CsvSkips& skipped = skips != nullptr ? *skips : local;
  auto skip = [&](const Status& why) {
    ++skipped.count;
    if (skipped.first_reasons.size() < CsvSkips::kMaxSkipReasons)
      skipped.first_reasons.push_back(why.message());
  };
  ZM_RETURN_IF_ERROR(reader.Next(fields));
  if (!fields.empty() && fields[0].rfind("\xEF\xBB\xBF", 0) == 0) fields[0].erase(0, 3);  // BOM
  Result<std::array<size_t, 12>> columns = LocateColumns(fields);
  if (!columns.ok()) return columns.status();
  const size_t width = fields.size();
  std::vector<Instrument> instruments;
  while (!reader.Done()) {
    if (Status read = reader.Next(fields); !read.ok()) {
      skip(read);
      reader.SkipLine();
      continue;
    }
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    if (fields.size() != width) {
      skip(ParseError(reader.Where(std::min(fields.size(), width) + 1) + ": " +
                      std::to_string(fields.size()) + " fields, header has " +
                      std::to_string(width)));
      continue;
    }
    Instrument instrument;
    if (Status row = ParseRow(fields, *columns, reader, instrument); !row.ok()) {
      skip(row);
      continue;
    }
    instruments.push_back(std::move(instrument));
  }
  return instruments;
}

std::string InstrumentsToCsv(const std::vector<Instrument>& instruments) {
  std::string out;
  for (size_t c = 0; c < kColumns.size(); ++c) out += std::string(c ? "," : "") + kColumns[c];
  out += '\n';
  for (const Instrument& i : instruments) {
    out +=
        fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}\n", i.instrument_token, i.exchange_token,
                    CsvField(i.tradingsymbol), CsvField(i.name), CsvNumber(i.last_price),
                    CsvField(i.expiry), CsvNumber(i.strike), CsvNumber(i.tick_size), i.lot_size,
                    CsvField(i.instrument_type), CsvField(i.segment), CsvField(i.exchange));
  }
  return out;
}

}  // namespace zm::kite
