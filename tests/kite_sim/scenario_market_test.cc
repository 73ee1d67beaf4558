// Scenario parsing and the price model (pure logic).
#include <gtest/gtest.h>

#include "kite_sim/market.h"
#include "kite_sim/scenario.h"
#include "support/sim_harness.h"

namespace zm::sim {
namespace {

Scenario Basic() {
  auto s = ParseScenario(testing::ReadScenario("test_basic.yaml"));
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : Scenario{};
}

TEST(ScenarioTest, BasicScenarioHasRealInstrumentStructure) {
  const Scenario s = Basic();
  ASSERT_EQ(s.instruments.size(), 7u);
  EXPECT_EQ(s.api_key, "sim_key");
  EXPECT_EQ(s.freeze_limits.at("NIFTY"), 1800);
  const SimInstrument& nifty = s.instruments[0];
  EXPECT_EQ(nifty.instrument.instrument_token, 50001u * 256 + 2);
  EXPECT_EQ(nifty.instrument.lot_size, 75);
  EXPECT_FALSE(nifty.market_orders_blocked);
  EXPECT_EQ(s.instruments[3].instrument.instrument_token, 60001u * 256 + 5);  // BFO
  EXPECT_TRUE(s.instruments[4].market_orders_blocked);                        // stock option
  EXPECT_EQ(s.instruments[5].instrument.instrument_token, 1594u * 256 + 1);   // NSE
  EXPECT_EQ(s.instruments[6].multiplier, 1000);                               // USDINR
  EXPECT_EQ(s.instruments[6].instrument.instrument_token % 256, 3u);          // CDS
}

TEST(ScenarioTest, DemoScenarioParses) {
  auto s = ParseScenario(testing::ReadScenario("demo.yaml"));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_FALSE(s->positions.empty());
}

TEST(ScenarioTest, ErrorsNameTheKey) {
  EXPECT_FALSE(ParseScenario("instruments: []").ok());
  EXPECT_FALSE(ParseScenario("[1, 2]").ok());
  auto bad = ParseScenario(
      "instruments:\n  - {exchange: XYZ, tradingsymbol: A, exchange_token: 1, price: 10}\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("instruments[0].exchange"), std::string::npos);
  auto unknown_position = ParseScenario(
      "instruments:\n  - {exchange: NSE, tradingsymbol: A, exchange_token: 1, price: 10}\n"
      "positions:\n  - {exchange: NSE, tradingsymbol: B, quantity: 1, price: 10}\n");
  ASSERT_FALSE(unknown_position.ok());
  EXPECT_NE(unknown_position.status().message().find("positions[0]"), std::string::npos);
}

TEST(ScenarioTest, FaultsAtStartAreJson) {
  auto s = ParseScenario(
      "instruments:\n  - {exchange: NSE, tradingsymbol: A, exchange_token: 1, price: 10}\n"
      "faults:\n  - {kind: http_error, endpoint: GET /orders, status: 503, count: 2}\n");
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->faults.size(), 1u);
  EXPECT_EQ(s->faults[0]["status"], 503);
  EXPECT_EQ(s->faults[0]["endpoint"], "GET /orders");
}

TEST(MarketTest, RoundToTick) {
  EXPECT_DOUBLE_EQ(RoundToTick(123.47, 0.05), 123.45);
  EXPECT_DOUBLE_EQ(RoundToTick(123.48, 0.05), 123.5);
  EXPECT_DOUBLE_EQ(RoundToTick(84.25126, 0.0025), 84.2525);
}

SimInstrument Inst(double price, PricePath path) {
  SimInstrument s;
  s.instrument.exchange = "NSE";
  s.instrument.tradingsymbol = "X";
  s.instrument.instrument_token = 256 + 1;
  s.instrument.tick_size = 0.05;
  s.start_price = s.close_price = price;
  s.path = path;
  return s;
}

TEST(MarketTest, ScriptedPointsInterpolateThenHold) {
  PricePath path;
  path.points = {{10, 200}, {20, 150}};
  Market m({Inst(100, path)}, 1);
  m.Advance(5);
  EXPECT_DOUBLE_EQ(*m.Ltp("NSE:X"), 150);
  m.Advance(15);
  EXPECT_DOUBLE_EQ(*m.Ltp("NSE:X"), 175);
  m.Advance(60);
  EXPECT_DOUBLE_EQ(*m.Ltp("NSE:X"), 150);
  EXPECT_EQ(m.TakeChanged(), std::set<uint32_t>{257});
  EXPECT_TRUE(m.TakeChanged().empty());
}

TEST(MarketTest, SetPricePinsAndReportsChange) {
  PricePath path;
  path.points = {{10, 200}};
  Market m({Inst(100, path)}, 1);
  ASSERT_TRUE(m.SetPrice("NSE:X", 90.02));
  EXPECT_DOUBLE_EQ(*m.Ltp("NSE:X"), 90);
  m.Advance(10);
  EXPECT_DOUBLE_EQ(*m.Ltp("NSE:X"), 90);  // pinned: the path no longer moves it
  EXPECT_FALSE(m.SetPrice("NSE:NOPE", 1));
  const kite::Tick t = m.MakeTick(257, kite::TickMode::kFull, 1700000000);
  EXPECT_DOUBLE_EQ(t.last_price, 90);
  EXPECT_DOUBLE_EQ(t.low, 90);
  EXPECT_DOUBLE_EQ(t.high, 100);
  EXPECT_DOUBLE_EQ(t.close, 100);
  EXPECT_DOUBLE_EQ(t.offers[0].price, 90.05);  // one tick above the LTP, the bid at it
  EXPECT_DOUBLE_EQ(t.offers[1].price, 90.1);
  EXPECT_DOUBLE_EQ(t.bids[0].price, 90);
  EXPECT_DOUBLE_EQ(t.bids[1].price, 89.95);
  EXPECT_EQ(t.total_buy_quantity, t.bids[0].quantity + t.bids[1].quantity + t.bids[2].quantity +
                                      t.bids[3].quantity + t.bids[4].quantity);
}

TEST(MarketTest, RandomWalkIsSeededAndDrifts) {
  PricePath path;
  path.volatility = 0.5;
  path.drift_per_second = -1;
  Market a({Inst(100, path)}, 42), b({Inst(100, path)}, 42), c({Inst(100, path)}, 43);
  for (int i = 1; i <= 50; ++i) {
    a.Advance(i * 0.2);
    b.Advance(i * 0.2);
    c.Advance(i * 0.2);
  }
  EXPECT_EQ(*a.Ltp("NSE:X"), *b.Ltp("NSE:X"));
  EXPECT_NE(*a.Ltp("NSE:X"), *c.Ltp("NSE:X"));
  EXPECT_LT(*a.Ltp("NSE:X"), 100);  // -10 drift over 10 s dominates 0.5 * sqrt(10) noise
}

}  // namespace
}  // namespace zm::sim
