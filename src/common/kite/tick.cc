// Binary tick frames (layout in KITE_API.md section 1 and tick.h). Every read goes through
// ByteReader, which checks bounds, so a hostile frame can at worst produce an error.
#include "common/kite/tick.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "common/enum_names.h"

namespace zm::kite {
namespace {

constexpr size_t kLtpSize = 8, kIndexQuoteSize = 28, kIndexFullSize = 32, kQuoteSize = 44,
                 kFullSize = 184, kDepthOffset = 64, kDepthEntrySize = 12;

// Big-endian reads at fixed offsets of a packet whose size was already validated.
class PacketView {
 public:
  explicit PacketView(std::string_view bytes) : bytes_(bytes) {}
  uint32_t U32(size_t offset) const {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes_.data() + offset);
    return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
  }
  int32_t I32(size_t offset) const { return static_cast<int32_t>(U32(offset)); }
  uint16_t U16(size_t offset) const {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes_.data() + offset);
    return static_cast<uint16_t>((p[0] << 8) | p[1]);
  }

 private:
  std::string_view bytes_;
};

void PutU32(std::string& out, uint32_t v) {
  out += static_cast<char>(v >> 24);
  out += static_cast<char>(v >> 16);
  out += static_cast<char>(v >> 8);
  out += static_cast<char>(v);
}
void PutI32(std::string& out, int32_t v) { PutU32(out, static_cast<uint32_t>(v)); }
void PutU16(std::string& out, uint16_t v) {
  out += static_cast<char>(v >> 8);
  out += static_cast<char>(v);
}

// Price to wire integer; saturates instead of overflowing on absurd inputs.
int32_t WirePrice(double price, double divisor) {
  const double scaled = std::round(price * divisor);
  if (!(scaled < 2147483647.0)) return INT32_MAX;
  if (!(scaled > -2147483648.0)) return INT32_MIN;
  return static_cast<int32_t>(scaled);
}

// The decoders fill a Tick in place (the frame's vector element): no copy of its 368 bytes.
void DecodeIndex(const PacketView& v, size_t size, double divisor, Tick& t) {
  t.instrument_token = v.U32(0);
  t.tradable = false;
  t.mode = size == kIndexFullSize ? TickMode::kFull : TickMode::kQuote;
  t.last_price = v.I32(4) / divisor;
  t.high = v.I32(8) / divisor;
  t.low = v.I32(12) / divisor;
  t.open = v.I32(16) / divisor;
  t.close = v.I32(20) / divisor;
  t.change = v.I32(24) / divisor;
  if (size == kIndexFullSize) t.exchange_timestamp = v.U32(28);
}

void DecodeDepth(const PacketView& v, double divisor, Tick& t) {
  for (size_t i = 0; i < 10; ++i) {
    const size_t at = kDepthOffset + i * kDepthEntrySize;
    DepthEntry entry{v.U32(at), v.I32(at + 4) / divisor, v.U16(at + 8)};
    if (i < 5) {
      t.bids[i] = entry;
    } else {
      t.offers[i - 5] = entry;
    }
  }
}

void DecodeTradable(const PacketView& v, size_t size, double divisor, Tick& t) {
  t.instrument_token = v.U32(0);
  t.last_price = v.I32(4) / divisor;
  if (size == kLtpSize) return;
  t.mode = size == kFullSize ? TickMode::kFull : TickMode::kQuote;
  t.last_traded_quantity = v.U32(8);
  t.average_traded_price = v.I32(12) / divisor;
  t.volume = v.U32(16);
  t.total_buy_quantity = v.U32(20);
  t.total_sell_quantity = v.U32(24);
  t.open = v.I32(28) / divisor;
  t.high = v.I32(32) / divisor;
  t.low = v.I32(36) / divisor;
  t.close = v.I32(40) / divisor;
  if (size == kQuoteSize) return;
  t.last_trade_time = v.U32(44);
  t.oi = v.U32(48);
  t.oi_day_high = v.U32(52);
  t.oi_day_low = v.U32(56);
  t.exchange_timestamp = v.U32(60);
  DecodeDepth(v, divisor, t);
}

// Decodes one packet into `t` (a default Tick); false with `error` set when the size fits no
// layout of its segment.
bool DecodePacketInto(std::string_view packet, Tick& t, Status* error) {
  const size_t size = packet.size();
  if (size < 4) {
    *error = ParseError("tick packet of " + std::to_string(size) + " bytes");
    return false;
  }
  const PacketView view(packet);
  const int segment = SegmentOf(view.U32(0));
  const double divisor = PriceDivisor(segment);
  if (segment == kIndices) {
    if (size == kLtpSize) {
      DecodeTradable(view, size, divisor, t);
      t.tradable = false;
      return true;
    }
    if (size == kIndexQuoteSize || size == kIndexFullSize) {
      DecodeIndex(view, size, divisor, t);
      return true;
    }
  } else if (size == kLtpSize || size == kQuoteSize || size == kFullSize) {
    DecodeTradable(view, size, divisor, t);
    return true;
  }
  *error = ParseError("tick packet of " + std::to_string(size) + " bytes for segment " +
                      std::to_string(segment));
  return false;
}

void EncodeIndex(const Tick& t, double divisor, std::string& out) {
  PutI32(out, WirePrice(t.high, divisor));
  PutI32(out, WirePrice(t.low, divisor));
  PutI32(out, WirePrice(t.open, divisor));
  PutI32(out, WirePrice(t.close, divisor));
  PutI32(out, WirePrice(t.change, divisor));
  if (t.mode == TickMode::kFull) PutU32(out, static_cast<uint32_t>(t.exchange_timestamp));
}

void EncodeTradable(const Tick& t, double divisor, std::string& out) {
  PutU32(out, t.last_traded_quantity);
  PutI32(out, WirePrice(t.average_traded_price, divisor));
  PutU32(out, t.volume);
  PutU32(out, t.total_buy_quantity);
  PutU32(out, t.total_sell_quantity);
  PutI32(out, WirePrice(t.open, divisor));
  PutI32(out, WirePrice(t.high, divisor));
  PutI32(out, WirePrice(t.low, divisor));
  PutI32(out, WirePrice(t.close, divisor));
  if (t.mode != TickMode::kFull) return;
  PutU32(out, static_cast<uint32_t>(t.last_trade_time));
  PutU32(out, t.oi);
  PutU32(out, t.oi_day_high);
  PutU32(out, t.oi_day_low);
  PutU32(out, static_cast<uint32_t>(t.exchange_timestamp));
  for (size_t i = 0; i < 10; ++i) {
    const DepthEntry& e = i < 5 ? t.bids[i] : t.offers[i - 5];
    PutU32(out, e.quantity);
    PutI32(out, WirePrice(e.price, divisor));
    PutU16(out, e.orders);
    PutU16(out, 0);  // padding
  }
}

}  // namespace

constexpr auto kTickModeNames = MakeEnumNames<TickMode>({"ltp", "quote", "full"});

const char* TickModeName(TickMode mode) { return kTickModeNames.Name(mode, "ltp"); }

double PriceDivisor(int segment) {
  if (segment == kCds) return 10000000.0;
  if (segment == kBcd) return 10000.0;
  return 100.0;
}

Result<Tick> DecodePacket(std::string_view packet) {
  Tick t;
  Status error;
  if (!DecodePacketInto(packet, t, &error)) return error;
  return t;
}

DecodedFrame DecodeFrame(std::string_view message) {
  DecodedFrame frame;
  if (message.empty()) return frame;
  if (message.size() == 1) {
    frame.heartbeat = true;
    return frame;
  }
  const PacketView view(message);
  const size_t count = view.U16(0);
  size_t offset = 2;
  // The count is the peer's claim: reserve no more than the bytes can hold (every packet is a
  // 2-byte length plus at least kLtpSize bytes), so 10 bytes claiming 65535 packets reserve 0.
  const size_t fits = (message.size() - offset) / (2 + kLtpSize);
  frame.ticks.reserve(std::min(count, fits));
  for (size_t i = 0; i < count; ++i) {
    if (message.size() - offset < 2) {
      frame.error = ParseError("tick frame truncated before packet " + std::to_string(i) + " of " +
                               std::to_string(count));
      return frame;
    }
    const size_t length = view.U16(offset);
    offset += 2;
    if (message.size() - offset < length) {
      frame.error =
          ParseError("tick packet " + std::to_string(i) + " claims " + std::to_string(length) +
                     " bytes, " + std::to_string(message.size() - offset) + " present");
      return frame;
    }
    // Too short to be any packet: refused before a Tick is added, so that what the frame holds
    // never outgrows what its bytes can hold (the reserve above).
    if (length < kLtpSize) {
      frame.error = ParseError("tick packet " + std::to_string(i) + ": tick packet of " +
                               std::to_string(length) + " bytes");
      return frame;
    }
    Tick& tick = frame.ticks.emplace_back();
    Status error;
    if (!DecodePacketInto(message.substr(offset, length), tick, &error)) {
      frame.ticks.pop_back();
      frame.error = ParseError("tick packet " + std::to_string(i) + ": " + error.message());
      return frame;
    }
    offset += length;
  }
  if (offset != message.size()) {
    frame.error = ParseError("tick frame has " + std::to_string(message.size() - offset) +
                             " bytes after its " + std::to_string(count) + " packets");
  }
  return frame;
}

std::string EncodePacket(const Tick& tick) {
  const double divisor = PriceDivisor(SegmentOf(tick.instrument_token));
  std::string out;
  out.reserve(kFullSize);
  PutU32(out, tick.instrument_token);
  PutI32(out, WirePrice(tick.last_price, divisor));
  if (tick.mode == TickMode::kLtp) return out;
  // The layout follows the segment, as DecodePacket does (the tradable flag is derived).
  if (SegmentOf(tick.instrument_token) == kIndices) {
    EncodeIndex(tick, divisor, out);
  } else {
    EncodeTradable(tick, divisor, out);
  }
  return out;
}

std::string EncodeFrame(const std::vector<Tick>& ticks) {
  // The count is a uint16: callers (the simulator) split larger batches into several frames.
  std::string out;
  out.reserve(2 + ticks.size() * (2 + kFullSize));
  PutU16(out, static_cast<uint16_t>(ticks.size()));
  for (const Tick& tick : ticks) {
    const std::string packet = EncodePacket(tick);
    PutU16(out, static_cast<uint16_t>(packet.size()));
    out += packet;
  }
  return out;
}

std::string HeartbeatFrame() { return std::string(1, '\0'); }

}  // namespace zm::kite
