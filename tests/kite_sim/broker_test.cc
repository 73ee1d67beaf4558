// The broker model: Kite's rules and messages, order states, fills and position arithmetic.
#include "kite_sim/broker.h"

#include <gtest/gtest.h>

#include "support/sim_harness.h"

namespace zm::sim {
namespace {

constexpr int64_t kT0 = 1'795'669'200'000;  // 2026-11-26 10:30 IST (Thursday): in session
const std::string kNifty = "NIFTY26DEC24000CE";

class BrokerTest : public ::testing::Test {
 protected:
  BrokerTest()
      : scenario_(*ParseScenario(testing::ReadScenario("test_basic.yaml"))),
        market_(scenario_.instruments, 1),
        broker_(scenario_, &market_, kT0) {}

  FormParams Order(const std::string& symbol, const std::string& side, const std::string& type,
                   long long quantity, double price = 0, const std::string& exchange = "NFO") {
    FormParams p = {{"exchange", exchange},
                    {"tradingsymbol", symbol},
                    {"transaction_type", side},
                    {"order_type", type},
                    {"quantity", std::to_string(quantity)},
                    {"product", "NRML"}};
    if (price > 0) p.emplace_back("price", std::to_string(price));
    if (type == "MARKET") p.emplace_back("market_protection", "-1");
    return p;
  }
  // Runs the order engine past every latency (one state step per call, as the sim's loop does).
  void Settle(int64_t at = kT0 + 1000) {
    for (int step = 0; step < 3; ++step) broker_.Process(at + step, {});
  }
  const kite::Position* Net(const std::string& symbol) {
    positions_ = broker_.Positions();
    for (const auto& p : positions_.net) {
      if (p.tradingsymbol == symbol) return &p;
    }
    return nullptr;
  }

  Scenario scenario_;
  Market market_;
  Broker broker_;
  kite::Positions positions_;
};

TEST_F(BrokerTest, MarketOrderFillsAtLtpThroughKiteStates) {
  const BrokerAnswer a = broker_.Place("regular", Order(kNifty, "SELL", "MARKET", 75), kT0);
  ASSERT_TRUE(a.ok()) << a.message;
  EXPECT_EQ(broker_.Orders()[0].status, "OPEN PENDING");
  EXPECT_TRUE(broker_.Process(kT0 + 10, {}).empty());   // accept latency 20 ms
  ASSERT_EQ(broker_.Process(kT0 + 20, {}).size(), 1u);  // OPEN
  EXPECT_EQ(broker_.Orders()[0].status, "OPEN");
  const auto done = broker_.Process(kT0 + 60, {});  // fill latency 40 ms
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].status, "COMPLETE");
  EXPECT_EQ(done[0].filled_quantity, 75);
  EXPECT_DOUBLE_EQ(done[0].average_price, 120);
  std::vector<std::string> states;
  for (const auto& row : *broker_.History(a.order_id)) states.push_back(row.status);
  EXPECT_EQ(states, (std::vector<std::string>{"PUT ORDER REQ RECEIVED", "VALIDATION PENDING",
                                              "OPEN PENDING", "OPEN", "COMPLETE"}));
  ASSERT_EQ(broker_.Trades().size(), 1u);
  EXPECT_EQ(broker_.Trades()[0].quantity, 75);
}

TEST_F(BrokerTest, PositionsFollowKiteArithmetic) {
  ASSERT_TRUE(broker_.Place("regular", Order(kNifty, "SELL", "MARKET", 150), kT0).ok());
  Settle();
  ASSERT_TRUE(market_.SetPrice("NFO:" + kNifty, 130));
  const kite::Position* p = Net(kNifty);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->quantity, -150);
  EXPECT_DOUBLE_EQ(p->sell_value, 18000);
  EXPECT_DOUBLE_EQ(p->average_price, 120);
  EXPECT_DOUBLE_EQ(p->pnl, -1500);  // (18000 - 0) + (-150 * 130)
  EXPECT_DOUBLE_EQ(p->unrealised, -1500);
  EXPECT_DOUBLE_EQ(p->value, 18000);
  // Buy back half: a BUY pays the offer, one tick above the LTP (130.05); the rest open.
  ASSERT_TRUE(broker_.Place("regular", Order(kNifty, "BUY", "LIMIT", 75, 130.5), kT0 + 2000).ok());
  Settle(kT0 + 3000);
  p = Net(kNifty);
  EXPECT_EQ(p->quantity, -75);
  EXPECT_DOUBLE_EQ(p->buy_value, 9753.75);
  EXPECT_DOUBLE_EQ(p->pnl, -1503.75);  // 18000 - 9753.75 - 75 * 130
  EXPECT_DOUBLE_EQ(p->unrealised, -750);
  EXPECT_DOUBLE_EQ(p->realised, -753.75);
}

TEST_F(BrokerTest, CurrencyFutureUsesMultiplier) {
  ASSERT_TRUE(
      broker_.Place("regular", Order("USDINR26DECFUT", "BUY", "MARKET", 2, 0, "CDS"), kT0).ok());
  Settle();
  ASSERT_TRUE(market_.SetPrice("CDS:USDINR26DECFUT", 84.26));
  const kite::Position* p = Net("USDINR26DECFUT");
  ASSERT_NE(p, nullptr);
  EXPECT_DOUBLE_EQ(p->multiplier, 1000);
  EXPECT_DOUBLE_EQ(p->buy_value, 168505);  // bought at the offer, 84.2525
  EXPECT_NEAR(p->pnl, 15, 1e-9);           // 2 * (84.26 - 84.2525) * 1000
}

TEST_F(BrokerTest, InputRulesAnswer400WithKiteMessages) {
  auto no_protection = Order(kNifty, "SELL", "MARKET", 75);
  no_protection.pop_back();
  BrokerAnswer a = broker_.Place("regular", no_protection, kT0);
  EXPECT_EQ(a.http_status, 400);
  EXPECT_EQ(a.error_type, "InputException");
  EXPECT_EQ(a.message,
            "Market orders without market protection are not allowed via API. Please set market "
            "protection or use a Limit order.");
  a = broker_.Place("regular", Order(kNifty, "SELL", "MARKET", 1875), kT0);
  EXPECT_EQ(a.http_status, 400);
  EXPECT_EQ(a.message.rfind("The order quantity 1875 (25 lots) is higher than the maximum "
                            "quantity of 1800 (24 lots)",
                            0),
            0u)
      << a.message;
  EXPECT_EQ(broker_.Place("regular", Order(kNifty, "SELL", "MARKET", 1800), kT0).http_status, 200);
  a = broker_.Place("regular", Order(kNifty, "SELL", "MARKET", 70), kT0);
  EXPECT_EQ(a.message,
            "Quantity should be a multiple of lot size. Lot size for this instrument is 75.");
  auto tagged = Order(kNifty, "SELL", "MARKET", 75);
  tagged.emplace_back("tag", std::string(21, 'x'));
  EXPECT_EQ(broker_.Place("regular", tagged, kT0).error_type, "InputException");
  tagged.back().second = std::string(20, 'x');
  EXPECT_TRUE(broker_.Place("regular", tagged, kT0).ok());
  a = broker_.Place("regular", Order(kNifty, "SELL", "LIMIT", 75, 120.03), kT0);
  EXPECT_NE(a.message.find("Tick size for this script is 0.05"), std::string::npos);
  EXPECT_EQ(broker_.Place("regular", Order("NOPE", "SELL", "LIMIT", 75, 1), kT0).message,
            "Invalid `tradingsymbol`.");
  EXPECT_EQ(broker_.Place("amo", Order(kNifty, "SELL", "LIMIT", 75, 120), kT0).message,
            "Invalid `variety`.");
  // Only the two accepted orders exist.
  EXPECT_EQ(broker_.Orders().size(), 2u);
}

TEST_F(BrokerTest, RmsRejectionsBecomeRejectedOrders) {
  const BrokerAnswer stock =
      broker_.Place("regular", Order("RELIANCE26DEC1500CE", "SELL", "MARKET", 500), kT0);
  ASSERT_TRUE(stock.ok());
  const BrokerAnswer circuit =
      broker_.Place("regular", Order(kNifty, "BUY", "LIMIT", 75, 150), kT0);
  ASSERT_TRUE(circuit.ok());
  Settle();
  const auto orders = broker_.Orders();
  EXPECT_EQ(orders[0].status, "REJECTED");
  EXPECT_NE(orders[0].status_message.find("stock option"), std::string::npos);
  EXPECT_EQ(orders[1].status, "REJECTED");
  EXPECT_EQ(orders[1].status_message,
            "Your order price is higher than the current upper circuit limit of 144.00. Place an "
            "order within the daily range.");
  // A LIMIT on the stock option is fine.
  ASSERT_TRUE(
      broker_.Place("regular", Order("RELIANCE26DEC1500CE", "SELL", "LIMIT", 500, 22.0), kT0).ok());
  Settle();
  EXPECT_EQ(broker_.Orders()[2].status, "COMPLETE");
}

TEST_F(BrokerTest, LimitRestsUntilMarketableAndCanBeModifiedOrCancelled) {
  const BrokerAnswer a = broker_.Place("regular", Order(kNifty, "BUY", "LIMIT", 75, 110), kT0);
  ASSERT_TRUE(a.ok());
  Settle();
  EXPECT_EQ(broker_.Orders()[0].status, "OPEN");
  ASSERT_TRUE(broker_.Modify("regular", a.order_id, {{"price", "121"}}, kT0 + 1100).ok());
  Settle(kT0 + 1200);
  EXPECT_EQ(broker_.Orders()[0].status, "COMPLETE");
  EXPECT_DOUBLE_EQ(broker_.Orders()[0].average_price, 120.05);  // the offer
  EXPECT_EQ(broker_.Cancel("regular", a.order_id, kT0 + 1300).http_status, 400);

  const BrokerAnswer b = broker_.Place("regular", Order(kNifty, "BUY", "LIMIT", 75, 110), kT0);
  Settle();
  ASSERT_TRUE(broker_.Cancel("regular", b.order_id, kT0 + 1400).ok());
  EXPECT_EQ(broker_.Orders()[1].status, "CANCELLED");
  EXPECT_EQ(broker_.Orders()[1].cancelled_quantity, 75);
  ASSERT_TRUE(market_.SetPrice("NFO:" + kNifty, 100));
  Settle(kT0 + 2000);
  EXPECT_EQ(broker_.Orders()[1].status, "CANCELLED");
}

TEST_F(BrokerTest, FillPoliciesRestAndPartial) {
  ASSERT_TRUE(broker_.Place("regular", Order(kNifty, "SELL", "MARKET", 300), kT0).ok());
  broker_.Process(kT0 + 1000, {.rest = true});
  EXPECT_EQ(broker_.Orders()[0].status, "OPEN");
  broker_.Process(kT0 + 1100, {.rest = false, .partial_fraction = 0.5});
  EXPECT_EQ(broker_.Orders()[0].filled_quantity, 150);
  EXPECT_EQ(broker_.Orders()[0].pending_quantity, 150);
  EXPECT_EQ(broker_.Orders()[0].status, "OPEN");
  broker_.Process(kT0 + 1200, {.rest = false, .partial_fraction = 0.5});
  EXPECT_EQ(broker_.Orders()[0].filled_quantity, 150);  // the rest waits
  broker_.Process(kT0 + 1300, {});
  EXPECT_EQ(broker_.Orders()[0].status, "COMPLETE");
  EXPECT_EQ(Net(kNifty)->quantity, -300);
}

TEST_F(BrokerTest, StopLossWaitsForItsTrigger) {
  auto stop = Order(kNifty, "BUY", "SL-M", 75);
  stop.emplace_back("trigger_price", "125");
  stop.emplace_back("market_protection", "-1");
  const BrokerAnswer a = broker_.Place("regular", stop, kT0);
  ASSERT_TRUE(a.ok()) << a.message;
  Settle();
  EXPECT_EQ(broker_.Orders()[0].status, "TRIGGER PENDING");
  ASSERT_TRUE(market_.SetPrice("NFO:" + kNifty, 125.5));
  Settle(kT0 + 2000);
  EXPECT_EQ(broker_.Orders()[0].status, "COMPLETE");
  EXPECT_DOUBLE_EQ(broker_.Orders()[0].average_price, 125.55);  // the offer above 125.5
  auto no_trigger = Order(kNifty, "BUY", "SL", 75, 126);
  EXPECT_EQ(broker_.Place("regular", no_trigger, kT0).message, "Invalid `trigger_price`.");
}

TEST_F(BrokerTest, ExternalTradeIsAnUntaggedCompleteOrder) {
  const BrokerAnswer a = broker_.ExternalTrade("NSE", "INFY", "CNC", -10, 1510, kT0);
  ASSERT_TRUE(a.ok());
  const kite::Order o = broker_.Orders().at(0);
  EXPECT_EQ(o.status, "COMPLETE");
  EXPECT_EQ(o.tag, "");
  EXPECT_EQ(o.transaction_type, "SELL");
  EXPECT_EQ(Net("INFY")->quantity, -10);
  EXPECT_DOUBLE_EQ(Net("INFY")->pnl, 100);  // sold at 1510, LTP 1500
}

}  // namespace
}  // namespace zm::sim
