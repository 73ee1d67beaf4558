// Property and mutation tests: random ticks round-trip through the wire format, and random or
// mutated input never crashes a parser (deterministic seeds, bounded iteration counts).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "common/kite/instruments.h"
#include "common/kite/models.h"
#include "common/kite/text_frame.h"
#include "common/kite/tick.h"
#include "test_util.h"

namespace zm::kite {
namespace {

// A price exactly representable on the segment's wire grid.
double GridPrice(std::mt19937& rng, double divisor) {
  std::uniform_int_distribution<int32_t> wire(-5'000'000, 200'000'000);
  return wire(rng) / divisor;
}

Tick RandomTick(std::mt19937& rng) {
  static const int kSegments[] = {kNse, kNfo, kCds, kBse, kBfo, kBcd, kMcx, kMcxSx, kIndices};
  std::uniform_int_distribution<uint32_t> u32;
  std::uniform_int_distribution<int> pick(0, 8), mode(0, 2);
  Tick t;
  t.instrument_token = (u32(rng) & 0xffffff00u) | kSegments[pick(rng)];
  t.tradable = SegmentOf(t.instrument_token) != kIndices;
  t.mode = static_cast<TickMode>(mode(rng));
  const double div = PriceDivisor(SegmentOf(t.instrument_token));
  t.last_price = GridPrice(rng, div);
  if (t.mode == TickMode::kLtp) return t;
  t.open = GridPrice(rng, div);
  t.high = GridPrice(rng, div);
  t.low = GridPrice(rng, div);
  t.close = GridPrice(rng, div);
  if (!t.tradable) {
    t.change = GridPrice(rng, div);
    if (t.mode == TickMode::kFull) t.exchange_timestamp = u32(rng);
    return t;
  }
  t.last_traded_quantity = u32(rng);
  t.average_traded_price = GridPrice(rng, div);
  t.volume = u32(rng);
  t.total_buy_quantity = u32(rng);
  t.total_sell_quantity = u32(rng);
  if (t.mode == TickMode::kQuote) return t;
  t.last_trade_time = u32(rng);
  t.exchange_timestamp = u32(rng);
  t.oi = u32(rng);
  t.oi_day_high = u32(rng);
  t.oi_day_low = u32(rng);
  for (auto* side : {&t.bids, &t.offers}) {
    for (DepthEntry& e : *side) {
      e = {u32(rng), GridPrice(rng, div), static_cast<uint16_t>(u32(rng))};
    }
  }
  return t;
}

TEST(TickPropertyTest, RandomTicksRoundTripExactly) {
  std::mt19937 rng(20261126);
  for (int round = 0; round < 300; ++round) {
    std::vector<Tick> ticks;
    const int n = round % 17;
    for (int i = 0; i < n; ++i) ticks.push_back(RandomTick(rng));
    const std::string frame = EncodeFrame(ticks);
    const DecodedFrame decoded = DecodeFrame(frame);
    ASSERT_TRUE(decoded.error.ok()) << decoded.error.ToString();
    ASSERT_EQ(decoded.ticks, ticks) << "round " << round;
    ASSERT_EQ(EncodeFrame(decoded.ticks), frame);
  }
}

TEST(TickPropertyTest, MutatedFramesNeverCrashAndKeepOnlyWholePackets) {
  std::mt19937 rng(7);
  std::vector<Tick> ticks;
  for (int i = 0; i < 6; ++i) ticks.push_back(RandomTick(rng));
  const std::string valid = EncodeFrame(ticks);
  std::uniform_int_distribution<size_t> pos(0, valid.size() - 1);
  std::uniform_int_distribution<int> byte(0, 255), edits(1, 4);
  for (int round = 0; round < 5000; ++round) {
    std::string frame = valid;
    for (int e = edits(rng); e > 0; --e) frame[pos(rng)] = static_cast<char>(byte(rng));
    if (round % 3 == 0) frame.resize(pos(rng));
    const DecodedFrame decoded = DecodeFrame(frame);
    ASSERT_LE(decoded.ticks.size(), 65535u);
    if (decoded.error.ok() && frame.size() > 1) {
      // A frame accepted as valid re-encodes to the same bytes except depth padding.
      EXPECT_EQ(EncodeFrame(decoded.ticks).size(), frame.size());
    }
  }
  std::uniform_int_distribution<size_t> len(0, 600);
  for (int round = 0; round < 3000; ++round) {
    std::string noise(len(rng), '\0');
    for (char& c : noise) c = static_cast<char>(byte(rng));
    (void)DecodeFrame(noise);
  }
}

TEST(ParserRobustnessTest, MutatedJsonAndCsvNeverCrash) {
  const std::string inputs[] = {
      testing::ReadFixture("positions.json"), testing::ReadFixture("orders.json"),
      testing::ReadFixture("trades.json"), testing::ReadFixture("profile.json")};
  const std::string csv = testing::ReadFixture("instruments_all.csv");
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 400; ++round) {
    std::string body = inputs[round % 4];
    std::uniform_int_distribution<size_t> pos(0, body.size() - 1);
    for (int e = 0; e < 3; ++e) body[pos(rng)] = static_cast<char>(byte(rng));
    auto data = ParseEnvelope(200, body);
    if (data.ok()) {
      (void)ParsePositions(*data);
      (void)ParseOrders(*data);
      (void)ParseTrades(*data);
      (void)ParseProfile(*data);
      (void)ParseLtp(*data);
    }
    (void)ParseTextFrame(R"({"type":"order","data":)" + body + "}");
    std::string mutated_csv = csv;
    std::uniform_int_distribution<size_t> csv_pos(0, csv.size() - 1);
    for (int e = 0; e < 3; ++e) mutated_csv[csv_pos(rng)] = static_cast<char>(byte(rng));
    (void)ParseInstrumentsCsv(mutated_csv);
  }
}

TEST(ParserRobustnessTest, InvalidUtf8NeverThrowsWhenSerialising) {
  Order order;
  order.order_id = "1";
  order.status = "REJECTED";
  order.status_message = std::string("bad \xff\xfe utf8");
  std::string encoded;
  ASSERT_NO_THROW(encoded = EncodeOrderUpdate(order));
  auto back = ParseTextFrame(encoded);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->order.order_id, "1");
  ASSERT_NO_THROW((void)ErrorEnvelope("InputException", "\xc3"));
  ASSERT_NO_THROW((void)EncodeTextMessage("error", "\x80"));
  ASSERT_NO_THROW((void)SuccessEnvelope(ToJson(order)));
}

}  // namespace
}  // namespace zm::kite
