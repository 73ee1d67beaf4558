// Kite ticker binary frames: decoding (subscriber) and encoding (simulator, tests).
//
// Frame: uint16 N packets, then N times uint16 length + packet. The packet length alone tells
// its kind: 8 ltp, 44 quote, 184 full (tradable); 28 index quote, 32 index full (segment 9).
// All integers big-endian; prices are int32 divided by the segment's divisor (CDS 1e7, BCD 1e4,
// else 100). Pure functions: no I/O, no clock, thread-safe. Never reads past the given buffer.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace zm::kite {

// Names: kTickModeNames in tick.cc, in this order (common/enum_names.h).
enum class TickMode { kLtp, kQuote, kFull, kMaxValue = kFull };
const char* TickModeName(TickMode mode);  // "ltp" | "quote" | "full"

// Segment ids (instrument_token & 0xff).
enum Segment : int {
  kNse = 1,
  kNfo = 2,
  kCds = 3,
  kBse = 4,
  kBfo = 5,
  kBcd = 6,
  kMcx = 7,
  kMcxSx = 8,
  kIndices = 9
};
inline int SegmentOf(uint32_t instrument_token) {
  return static_cast<int>(instrument_token & 0xff);
}
double PriceDivisor(int segment);  // 1e7 CDS, 1e4 BCD, else 100

struct DepthEntry {
  uint32_t quantity = 0;
  double price = 0;
  uint16_t orders = 0;
  bool operator==(const DepthEntry&) const = default;
};

struct Tick {
  uint32_t instrument_token = 0;
  bool tradable = true;  // false for segment 9 (indices)
  TickMode mode = TickMode::kLtp;
  double last_price = 0;
  // Tradable quote/full only.
  uint32_t last_traded_quantity = 0;
  double average_traded_price = 0;
  uint32_t volume = 0;
  uint32_t total_buy_quantity = 0;
  uint32_t total_sell_quantity = 0;
  // Quote/full (tradable and index). For indices the wire order is high, low, open, close.
  double open = 0, high = 0, low = 0, close = 0;
  double change = 0;  // index packets only: absolute price change as sent
  // Full only.
  int64_t last_trade_time = 0;  // epoch seconds (tradable)
  uint32_t oi = 0, oi_day_high = 0, oi_day_low = 0;
  int64_t exchange_timestamp = 0;      // epoch seconds (tradable full, index full)
  std::array<DepthEntry, 5> bids{};    // best first
  std::array<DepthEntry, 5> offers{};  // best first
  bool operator==(const Tick&) const = default;
};

struct DecodedFrame {
  std::vector<Tick> ticks;  // every whole packet decoded before any error
  bool heartbeat = false;   // a 1-byte frame
  Status error;             // first problem found; ticks before it are still returned
};

// Decodes one binary WebSocket message. Empty input: no ticks, no error.
DecodedFrame DecodeFrame(std::string_view message);

// Decodes one unframed packet (8, 28, 32, 44 or 184 bytes).
Result<Tick> DecodePacket(std::string_view packet);

// Encodes a tick in its mode (index ticks: 28 bytes for kQuote, 32 for kFull; kLtp = 8 bytes).
std::string EncodePacket(const Tick& tick);
// Encodes a whole frame; EncodeFrame({}) is a valid frame with zero packets.
std::string EncodeFrame(const std::vector<Tick>& ticks);
// The 1-byte heartbeat message.
std::string HeartbeatFrame();

}  // namespace zm::kite
