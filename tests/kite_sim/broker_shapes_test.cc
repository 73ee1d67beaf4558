// The broker model's real-Kite shapes, with explicit times: protected MARKET orders resting as
// LIMIT with mktp tags, autoslice, Kite's rejection texts, a slow OMS, lagging positions and
// fills against a thin depth.
#include <gtest/gtest.h>

#include "kite_sim/broker.h"
#include "support/sim_harness.h"

namespace zm::sim {
namespace {

constexpr int64_t kT0 = 1'795'669'200'000;  // 2026-11-26 10:30 IST (Thursday): in session
const std::string kNifty = "NIFTY26DEC24000CE";
const std::string kBank = "BANKNIFTY26DEC52000CE";

FormParams Order(const std::string& symbol, const std::string& side, const std::string& type,
                 long long quantity, double price = 0) {
  FormParams p = {{"exchange", "NFO"},
                  {"tradingsymbol", symbol},
                  {"transaction_type", side},
                  {"order_type", type},
                  {"quantity", std::to_string(quantity)},
                  {"product", "NRML"}};
  if (price > 0) p.emplace_back("price", std::to_string(price));
  if (type == "MARKET") p.emplace_back("market_protection", "-1");
  return p;
}

std::string WithInstruments(const std::string& items) {
  std::string yaml = testing::ReadScenario("test_basic.yaml");
  yaml.insert(yaml.find("positions: []"), items);
  return yaml;
}

class BrokerShapesTest : public ::testing::Test {
 protected:
  // extra_instruments: YAML list items added to test_basic's instruments.
  explicit BrokerShapesTest(const std::string& extra_instruments = "")
      : scenario_(*ParseScenario(WithInstruments(extra_instruments))),
        market_(scenario_.instruments, 1),
        broker_(scenario_, &market_, kT0) {}
  void Run(int64_t from, int64_t to) {
    for (int64_t t = from; t <= to; t += 10) broker_.Process(t, {});
  }
  const kite::Order& Book(size_t i) {
    orders_ = broker_.Orders();
    return orders_.at(i);
  }
  Scenario scenario_;
  Market market_;
  Broker broker_;
  std::vector<kite::Order> orders_;
};

TEST_F(BrokerShapesTest, ProtectedMarketRestsAsLimitWithMktpTags) {
  auto buy = Order(kNifty, "BUY", "MARKET", 75);
  buy.emplace_back("tag", "exit1");
  ASSERT_TRUE(broker_.Place("regular", buy, kT0).ok());
  auto sell = Order(kNifty, "SELL", "MARKET", 75);
  sell.back().second = "5";  // market_protection 5 %
  ASSERT_TRUE(broker_.Place("regular", sell, kT0).ok());
  // BUY: 120 * 1.02 = 122.4 (rounded down to the tick); SELL: 120 * 0.95 = 114.
  EXPECT_EQ(Book(0).order_type, "LIMIT");
  EXPECT_DOUBLE_EQ(Book(0).price, 122.4);
  EXPECT_EQ(Book(0).market_protection, 0);  // as Kite's book shows it
  EXPECT_EQ(Book(0).tag, "exit1");
  EXPECT_EQ(Book(0).tags, (std::vector<std::string>{"exit1", "mktp", "mktp:2.00"}));
  EXPECT_DOUBLE_EQ(Book(1).price, 114);
  EXPECT_EQ(Book(1).tags, (std::vector<std::string>{"mktp", "mktp:5.00"}));
  Run(kT0, kT0 + 200);
  EXPECT_EQ(Book(0).status, "COMPLETE");
  EXPECT_DOUBLE_EQ(Book(0).average_price, 120.05);  // fills at the offer, not at the band
}

TEST_F(BrokerShapesTest, ProtectedMarketRestsWhenThePriceRunsAway) {
  ASSERT_TRUE(broker_.Place("regular", Order(kNifty, "BUY", "MARKET", 75), kT0).ok());
  ASSERT_TRUE(market_.SetPrice("NFO:" + kNifty, 125));  // beyond the 122.4 band
  Run(kT0, kT0 + 500);
  EXPECT_EQ(Book(0).status, "OPEN");
  EXPECT_EQ(Book(0).filled_quantity, 0);
  ASSERT_TRUE(market_.SetPrice("NFO:" + kNifty, 122.35));  // the offer is then 122.40
  Run(kT0 + 500, kT0 + 600);
  EXPECT_EQ(Book(0).status, "COMPLETE");
}

TEST_F(BrokerShapesTest, AutosliceSplitsAtTheFreezeLimitInLots) {
  // BANKNIFTY: lot 35, freeze 900 -> slices of 25 lots (875); 2100 = 875 + 875 + 350.
  auto sell = Order(kBank, "SELL", "MARKET", 2100);
  sell.emplace_back("autoslice", "true");
  sell.emplace_back("tag", "sq1");
  const BrokerAnswer a = broker_.Place("regular", sell, kT0);
  ASSERT_TRUE(a.ok()) << a.message;
  ASSERT_EQ(a.children.size(), 2u);
  ASSERT_EQ(broker_.Orders().size(), 3u);
  EXPECT_EQ(Book(0).order_id, a.order_id);
  EXPECT_EQ(Book(1).order_id, a.children[0]);
  EXPECT_EQ(Book(2).order_id, a.children[1]);
  const std::vector<long long> quantities = {875, 875, 350};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(Book(i).quantity, quantities[i]);
    EXPECT_EQ(Book(i).tag, "sq1");
    EXPECT_EQ(Book(i).tags, (std::vector<std::string>{"sq1", "autoslice", "autoslice:" + a.order_id,
                                                      "mktp", "mktp:2.00"}));
  }
  Run(kT0, kT0 + 200);
  EXPECT_EQ(broker_.Positions().net.at(0).quantity, -2100);
}

TEST_F(BrokerShapesTest, AutosliceLimitsAndPlainOrders) {
  auto within = Order(kBank, "SELL", "MARKET", 875);
  within.emplace_back("autoslice", "true");
  const BrokerAnswer one = broker_.Place("regular", within, kT0);
  ASSERT_TRUE(one.ok());
  EXPECT_TRUE(one.children.empty());
  EXPECT_EQ(Book(0).tags, (std::vector<std::string>{"mktp", "mktp:2.00"}));  // no autoslice tags
  auto eleven = Order(kBank, "SELL", "MARKET", 875 * 10 + 35);
  eleven.emplace_back("autoslice", "true");
  const BrokerAnswer refused = broker_.Place("regular", eleven, kT0);
  EXPECT_EQ(refused.http_status, 400);
  EXPECT_EQ(refused.error_type, "InputException");
  EXPECT_NE(refused.message.find("at most 10 slices"), std::string::npos) << refused.message;
  EXPECT_EQ(broker_.Orders().size(), 1u);
}

TEST_F(BrokerShapesTest, RejectionTextsCarryTheNumbers) {
  EXPECT_EQ(broker_.Place("regular", Order(kBank, "SELL", "MARKET", 1050), kT0).message,
            "The order quantity 1050 (30 lots) is higher than the maximum quantity of 900 (25 "
            "lots) allowed by the exchanges. Reduce the quantity or use autoslice.");
  EXPECT_EQ(broker_.Place("regular", Order(kBank, "SELL", "MARKET", 40), kT0).message,
            "Quantity should be a multiple of lot size. Lot size for this instrument is 35.");
  EXPECT_EQ(broker_.Place("regular", Order(kBank, "SELL", "LIMIT", 35, 310.03), kT0).message,
            "Tick size for this script is 0.05. Kindly enter price in the multiple of tick size "
            "for this script");
}

TEST_F(BrokerShapesTest, SlowOmsKeepsOpenPendingAndHidesFromTheBook) {
  broker_.SetOmsTiming({.open_pending_ms = 3000, .book_delay_ms = 1000});
  const BrokerAnswer a = broker_.Place("regular", Order(kNifty, "SELL", "MARKET", 75), kT0);
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(broker_.BookOrders(kT0 + 999).empty());
  EXPECT_EQ(broker_.BookHistory(a.order_id, kT0 + 999), nullptr);
  EXPECT_EQ(broker_.Orders().size(), 1u);  // the truth has it
  Run(kT0, kT0 + 2990);
  ASSERT_EQ(broker_.BookOrders(kT0 + 1000).size(), 1u);
  EXPECT_EQ(broker_.BookOrders(kT0 + 2990)[0].status, "OPEN PENDING");
  // accept latency 20 ms + 3000 ms, then the fill latency.
  Run(kT0 + 3000, kT0 + 3100);
  EXPECT_EQ(Book(0).status, "COMPLETE");
  broker_.SetOmsTiming({});
  ASSERT_TRUE(broker_.Place("regular", Order(kNifty, "SELL", "MARKET", 75), kT0 + 4000).ok());
  EXPECT_EQ(broker_.BookOrders(kT0 + 4000).size(), 2u);
}

TEST_F(BrokerShapesTest, PositionsAsOfShowOnlyFillsThatOld) {
  ASSERT_TRUE(broker_.Place("regular", Order(kNifty, "SELL", "MARKET", 75), kT0).ok());
  Run(kT0, kT0 + 100);  // filled at kT0 + 60
  EXPECT_EQ(broker_.Positions().net.at(0).quantity, -75);
  EXPECT_TRUE(broker_.PositionsAsOf(kT0 + 59).net.empty());
  EXPECT_EQ(broker_.PositionsAsOf(kT0 + 60).net.at(0).quantity, -75);
}

class ThinDepthTest : public BrokerShapesTest {
 protected:
  ThinDepthTest()
      : BrokerShapesTest(
            "  - {exchange: NFO, tradingsymbol: THIN26DECFUT, name: THIN, exchange_token: 50999,\n"
            "     instrument_type: FUT, segment: NFO-FUT, lot_size: 10, tick_size: 0.05,\n"
            "     price: 100, depth_lots: 1}\n") {}
};

TEST_F(ThinDepthTest, LimitFillsPartlyAgainstDepthThenAsTheBookRefreshes) {
  // depth_lots 1: level L holds ceil((L+1)/2)..(L+1) lots; a BUY at 100.10 reaches the offers
  // at 100.05 and 100.10, at most 1 + 2 lots, so 20 lots cannot fill at once.
  auto buy = Order("THIN26DECFUT", "BUY", "LIMIT", 200, 100.10);
  ASSERT_TRUE(broker_.Place("regular", buy, kT0).ok());
  Run(kT0, kT0 + 200);
  const long long first = Book(0).filled_quantity;
  EXPECT_GT(first, 0);
  EXPECT_LE(first, 30);
  EXPECT_EQ(first % 10, 0);  // whole lots
  EXPECT_EQ(Book(0).status, "OPEN");
  Run(kT0 + 200, kT0 + 400);
  EXPECT_EQ(Book(0).filled_quantity, first);  // no fresh liquidity until the market ticks
  for (int tick = 1; tick <= 40 && Book(0).status != "COMPLETE"; ++tick) {
    market_.Advance(tick * 0.1);
    broker_.Process(kT0 + 1000 + tick * 100, {});
  }
  EXPECT_EQ(Book(0).status, "COMPLETE");
  EXPECT_LE(Book(0).average_price, 100.10);
  EXPECT_GT(broker_.Trades().size(), 1u);  // several executions
}

}  // namespace
}  // namespace zm::sim
