// DecodeFrame (ticker binary messages): never reads out of bounds, never reserves more than the
// frame can hold, and what it decodes survives an encode/decode round trip unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/kite/tick.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view message(reinterpret_cast<const char*>(data), size);
  const zm::kite::DecodedFrame frame = zm::kite::DecodeFrame(message);
  // Every packet is a 2-byte length plus at least 8 bytes.
  const size_t fits = size < 2 ? 0 : (size - 2) / 10;
  if (frame.ticks.size() > fits || frame.ticks.capacity() > fits) std::abort();
  if (!frame.ticks.empty()) {
    const zm::kite::DecodedFrame again = zm::kite::DecodeFrame(zm::kite::EncodeFrame(frame.ticks));
    if (!again.error.ok() || again.ticks != frame.ticks) std::abort();
  }
  (void)zm::kite::DecodePacket(message);
  return 0;
}
