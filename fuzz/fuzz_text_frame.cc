// ParseTextFrame (ticker JSON messages): any bytes give a message or an error; an order update
// that parses is re-encoded and parses to the same order.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/kite/text_frame.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view frame(reinterpret_cast<const char*>(data), size);
  auto parsed = zm::kite::ParseTextFrame(frame);
  if (!parsed.ok() || parsed->kind != zm::kite::TextMessage::Kind::kOrder) return 0;
  auto again = zm::kite::ParseTextFrame(zm::kite::EncodeOrderUpdate(parsed->order));
  if (!again.ok() || again->kind != zm::kite::TextMessage::Kind::kOrder) std::abort();
  return 0;
}
