#include "common/kite/tick.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace zm::kite {
namespace {

using testing::Base64Decode;
using testing::ReadFixture;

std::string Framed(const std::vector<std::string>& packets) {
  std::string out;
  out += static_cast<char>(packets.size() >> 8);
  out += static_cast<char>(packets.size() & 0xff);
  for (const std::string& p : packets) {
    out += static_cast<char>(p.size() >> 8);
    out += static_cast<char>(p.size() & 0xff);
    out += p;
  }
  return out;
}

TEST(TickFixtureTest, QuotePacketDecodesToOfficialValues) {
  const std::string packet = Base64Decode(ReadFixture("ticker_quote.packet"));
  ASSERT_EQ(packet.size(), 44u);
  auto tick = DecodePacket(packet);
  ASSERT_TRUE(tick.ok()) << tick.status().ToString();
  EXPECT_EQ(tick->instrument_token, 408065u);
  EXPECT_TRUE(tick->tradable);
  EXPECT_EQ(tick->mode, TickMode::kQuote);
  EXPECT_DOUBLE_EQ(tick->last_price, 1573.15);
  EXPECT_EQ(tick->last_traded_quantity, 1u);
  EXPECT_DOUBLE_EQ(tick->average_traded_price, 1570.33);
  EXPECT_EQ(tick->volume, 1175986u);
  EXPECT_EQ(tick->total_buy_quantity, 256511u);
  EXPECT_EQ(tick->total_sell_quantity, 360503u);
  EXPECT_DOUBLE_EQ(tick->open, 1569.15);
  EXPECT_DOUBLE_EQ(tick->high, 1575);
  EXPECT_DOUBLE_EQ(tick->low, 1561.05);
  EXPECT_DOUBLE_EQ(tick->close, 1567.8);
  EXPECT_EQ(EncodePacket(*tick), packet);
}

TEST(TickFixtureTest, FullPacketDecodesToOfficialValues) {
  const std::string packet = Base64Decode(ReadFixture("ticker_full.packet"));
  ASSERT_EQ(packet.size(), 184u);
  auto tick = DecodePacket(packet);
  ASSERT_TRUE(tick.ok()) << tick.status().ToString();
  EXPECT_EQ(tick->instrument_token, 408065u);
  EXPECT_TRUE(tick->tradable);
  EXPECT_EQ(tick->mode, TickMode::kFull);
  EXPECT_DOUBLE_EQ(tick->last_price, 1573.7);
  EXPECT_EQ(tick->last_traded_quantity, 7u);
  EXPECT_DOUBLE_EQ(tick->average_traded_price, 1570.37);
  EXPECT_EQ(tick->volume, 1192471u);
  EXPECT_EQ(tick->total_buy_quantity, 256443u);
  EXPECT_EQ(tick->total_sell_quantity, 363009u);
  EXPECT_DOUBLE_EQ(tick->open, 1569.15);
  EXPECT_DOUBLE_EQ(tick->high, 1575);
  EXPECT_DOUBLE_EQ(tick->low, 1561.05);
  EXPECT_DOUBLE_EQ(tick->close, 1567.8);
  EXPECT_EQ(tick->last_trade_time, 1625461887);
  EXPECT_EQ(tick->exchange_timestamp, 1625461887);
  EXPECT_EQ(tick->oi, 0u);
  EXPECT_EQ(tick->oi_day_high, 0u);
  EXPECT_EQ(tick->oi_day_low, 0u);
  const std::array<DepthEntry, 5> bids = {DepthEntry{5, 1573.4, 1}, DepthEntry{140, 1573, 2},
                                          DepthEntry{2, 1572.95, 1}, DepthEntry{219, 1572.9, 7},
                                          DepthEntry{50, 1572.85, 1}};
  const std::array<DepthEntry, 5> offers = {DepthEntry{172, 1573.7, 3}, DepthEntry{44, 1573.75, 3},
                                            DepthEntry{302, 1573.85, 3}, DepthEntry{141, 1573.9, 2},
                                            DepthEntry{724, 1573.95, 5}};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(tick->bids[i].quantity, bids[i].quantity) << i;
    EXPECT_DOUBLE_EQ(tick->bids[i].price, bids[i].price) << i;
    EXPECT_EQ(tick->bids[i].orders, bids[i].orders) << i;
    EXPECT_EQ(tick->offers[i].quantity, offers[i].quantity) << i;
    EXPECT_DOUBLE_EQ(tick->offers[i].price, offers[i].price) << i;
    EXPECT_EQ(tick->offers[i].orders, offers[i].orders) << i;
  }
  EXPECT_EQ(EncodePacket(*tick), packet);
}

TEST(TickFixtureTest, FixturesFramedTogetherRoundTrip) {
  const std::string quote = Base64Decode(ReadFixture("ticker_quote.packet"));
  const std::string full = Base64Decode(ReadFixture("ticker_full.packet"));
  const std::string frame = Framed({quote, full, quote.substr(0, 8)});
  const DecodedFrame decoded = DecodeFrame(frame);
  ASSERT_TRUE(decoded.error.ok()) << decoded.error.ToString();
  ASSERT_EQ(decoded.ticks.size(), 3u);
  EXPECT_EQ(decoded.ticks[2].mode, TickMode::kLtp);
  EXPECT_DOUBLE_EQ(decoded.ticks[2].last_price, 1573.15);
  EXPECT_EQ(EncodeFrame(decoded.ticks), frame);
}

Tick IndexTick(TickMode mode) {
  Tick t;
  t.instrument_token = 256265;  // NIFTY 50, segment 9
  t.tradable = false;
  t.mode = mode;
  t.last_price = 24012.35;
  t.high = 24100.5;
  t.low = 23950.05;
  t.open = 24000;
  t.close = 24050.1;
  t.change = -37.75;
  if (mode == TickMode::kFull) t.exchange_timestamp = 1764132903;
  return t;
}

TEST(TickIndexTest, IndexQuoteIs28BytesWithItsOwnFieldOrder) {
  const Tick t = IndexTick(TickMode::kQuote);
  const std::string packet = EncodePacket(t);
  ASSERT_EQ(packet.size(), 28u);
  // high at 8, low at 12, open at 16: 2410050, 2395005, 2400000.
  EXPECT_EQ(packet.substr(8, 4), std::string("\x00\x24\xC6\x42", 4));
  EXPECT_EQ(packet.substr(16, 4), std::string("\x00\x24\x9F\x00", 4));
  auto decoded = DecodePacket(packet);
  ASSERT_TRUE(decoded.ok());
  EXPECT_FALSE(decoded->tradable);
  EXPECT_EQ(*decoded, t);
}

TEST(TickIndexTest, IndexFullIs32BytesWithTimestamp) {
  const Tick t = IndexTick(TickMode::kFull);
  const std::string packet = EncodePacket(t);
  ASSERT_EQ(packet.size(), 32u);
  auto decoded = DecodePacket(packet);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->exchange_timestamp, 1764132903);
  EXPECT_DOUBLE_EQ(decoded->change, -37.75);
  EXPECT_EQ(*decoded, t);
}

TEST(TickIndexTest, IndexLtpIs8Bytes) {
  Tick t = IndexTick(TickMode::kLtp);
  t = Tick{.instrument_token = t.instrument_token,
           .tradable = false,
           .mode = TickMode::kLtp,
           .last_price = t.last_price};
  const std::string packet = EncodePacket(t);
  ASSERT_EQ(packet.size(), 8u);
  auto decoded = DecodePacket(packet);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, t);
}

TEST(TickDivisorTest, Divisors) {
  EXPECT_EQ(PriceDivisor(kCds), 1e7);
  EXPECT_EQ(PriceDivisor(kBcd), 1e4);
  for (int s : {1, 2, 4, 5, 7, 8, 9, 0, 200}) {
    EXPECT_EQ(PriceDivisor(s), 100) << s;
  }
  EXPECT_EQ(SegmentOf(412675), kCds);
}

TEST(TickDivisorTest, CdsPricesUseTenMillion) {
  // USDINR future: token 412675 (segment 3), 83.1234567 -> 831234567 on the wire.
  const std::string packet =
      std::string("\x00\x06\x4C\x03", 4) + std::string("\x31\x8B\xA2\x07", 4);
  auto tick = DecodePacket(packet);
  ASSERT_TRUE(tick.ok());
  EXPECT_EQ(tick->instrument_token, 412675u);
  EXPECT_DOUBLE_EQ(tick->last_price, 831234567 / 1e7);
  EXPECT_EQ(EncodePacket(*tick), packet);
}

TEST(TickDivisorTest, BcdPricesUseTenThousand) {
  Tick t;
  t.instrument_token = (1234u << 8) | kBcd;
  t.mode = TickMode::kQuote;
  t.last_price = 83.1275;
  t.open = 83.0025;
  t.close = 82.9;
  const std::string packet = EncodePacket(t);
  ASSERT_EQ(packet.size(), 44u);
  EXPECT_EQ(packet.substr(4, 4), std::string("\x00\x0C\xAF\x2B", 4));  // 831275
  auto decoded = DecodePacket(packet);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, t);
}

TEST(TickSignTest, NegativePricesAndChanges) {
  Tick t;
  t.instrument_token = (5000u << 8) | kMcx;  // crude oil went negative in 2020
  t.mode = TickMode::kFull;
  t.last_price = -37.63;
  t.average_traded_price = -12.5;
  t.close = 18.27;
  t.bids[0] = {10, -38, 2};
  t.offers[0] = {5, -37.5, 1};
  t.volume = 4000000000u;  // above int32: volumes are unsigned
  const std::string packet = EncodePacket(t);
  ASSERT_EQ(packet.size(), 184u);
  EXPECT_EQ(packet.substr(4, 4), std::string("\xFF\xFF\xF1\x4D", 4));  // -3763
  auto decoded = DecodePacket(packet);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, t);
  Tick index = IndexTick(TickMode::kQuote);
  index.change = -123.45;
  auto back = DecodePacket(EncodePacket(index));
  ASSERT_TRUE(back.ok());
  EXPECT_DOUBLE_EQ(back->change, -123.45);
}

TEST(TickFrameTest, SeveralPacketsOfEveryKind) {
  std::vector<Tick> ticks;
  Tick ltp;
  ltp.instrument_token = (100u << 8) | kNfo;
  ltp.last_price = 101.05;
  ticks.push_back(ltp);
  ticks.push_back(IndexTick(TickMode::kQuote));
  ticks.push_back(IndexTick(TickMode::kFull));
  auto full = DecodePacket(Base64Decode(ReadFixture("ticker_full.packet")));
  ASSERT_TRUE(full.ok());
  for (int i = 0; i < 20; ++i) ticks.push_back(*full);
  const std::string frame = EncodeFrame(ticks);
  EXPECT_EQ(frame.size(), 2u + 3 * 2 + 8 + 28 + 32 + 20 * (2 + 184));
  const DecodedFrame decoded = DecodeFrame(frame);
  ASSERT_TRUE(decoded.error.ok()) << decoded.error.ToString();
  EXPECT_FALSE(decoded.heartbeat);
  EXPECT_EQ(decoded.ticks, ticks);
}

TEST(TickFrameTest, HeartbeatAndEmpty) {
  const std::string heartbeat = HeartbeatFrame();
  ASSERT_EQ(heartbeat.size(), 1u);
  DecodedFrame frame = DecodeFrame(heartbeat);
  EXPECT_TRUE(frame.heartbeat);
  EXPECT_TRUE(frame.ticks.empty());
  EXPECT_TRUE(frame.error.ok());
  frame = DecodeFrame("");
  EXPECT_FALSE(frame.heartbeat);
  EXPECT_TRUE(frame.ticks.empty());
  EXPECT_TRUE(frame.error.ok());
  const std::string zero = EncodeFrame({});
  EXPECT_EQ(zero, std::string(2, '\0'));
  frame = DecodeFrame(zero);
  EXPECT_TRUE(frame.ticks.empty());
  EXPECT_TRUE(frame.error.ok());
  EXPECT_FALSE(frame.heartbeat);
}

TEST(TickModeTest, Names) {
  EXPECT_STREQ(TickModeName(TickMode::kLtp), "ltp");
  EXPECT_STREQ(TickModeName(TickMode::kQuote), "quote");
  EXPECT_STREQ(TickModeName(TickMode::kFull), "full");
}

}  // namespace
}  // namespace zm::kite
