// The unkind OMS over REST: slow acceptance and a lagging book, lagging positions, POSTs that
// time out but create their order later, time-bounded GET /orders failures, and Kite's order
// rate limits (per minute, per day) beside the per-second one.
#include <gtest/gtest.h>

#include "common/kite/models.h"
#include "kite_sim/rate_limits.h"
#include "support/sim_harness.h"

namespace zm::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const char* kSell =
    "exchange=NFO&tradingsymbol=NIFTY26DEC24000CE&transaction_type=SELL&order_type=MARKET"
    "&quantity=75&product=NRML&market_protection=-1&tag=late1";

std::string WithBroker(const std::string& keys) {
  std::string yaml = ReadScenario("test_basic.yaml");
  yaml.insert(yaml.find("  order_rate_limit: 10"), keys);
  return yaml;
}

class SimOmsTest : public ::testing::Test {
 protected:
  void Start(const std::string& yaml) {
    auto h = SimHarness::Start(yaml);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    sim_ = std::move(*h);
  }
  void SetUp() override { Start(ReadScenario("test_basic.yaml")); }
  json Book() { return KiteCall(sim_->port(), "GET", "/orders")->Json()["data"]; }
  json TruthOrders() { return (*sim_->State())["orders"]; }
  json NetPositions() {
    return KiteCall(sim_->port(), "GET", "/portfolio/positions")->Json()["data"]["net"];
  }
  std::unique_ptr<SimHarness> sim_;
};

TEST_F(SimOmsTest, OmsSlowFaultHidesNewOrdersThenShowsThemOpenPending) {
  ASSERT_TRUE(
      sim_->Fault({{"kind", "oms_slow"}, {"open_pending_ms", 4000}, {"book_delay_ms", 2500}}).ok());
  auto res = KiteCall(sim_->port(), "POST", "/orders/regular", kSell);
  ASSERT_EQ(res->status, 200);  // accepted while still OPEN PENDING
  const std::string id = res->Json()["data"]["order_id"];
  // Well inside the 2.5 s book delay: absent from the book, unknown to GET /orders/{id}.
  EXPECT_TRUE(Book().empty());
  auto history = KiteCall(sim_->port(), "GET", "/orders/" + id);
  EXPECT_EQ(history->status, 400);
  EXPECT_EQ(history->Json()["message"], "Invalid `order_id`.");
  EXPECT_EQ(TruthOrders().size(), 1u);
  ASSERT_TRUE(WaitUntil([&] { return Book().size() == 1; }, 5s));
  EXPECT_EQ(KiteCall(sim_->port(), "GET", "/orders/" + id)->status, 200);
  ASSERT_TRUE(WaitUntil([&] { return Book()[0]["status"] == "COMPLETE"; }, 8s));
  const json rows = KiteCall(sim_->port(), "GET", "/orders/" + id)->Json()["data"];
  EXPECT_EQ(rows[2]["status"], "OPEN PENDING");
  EXPECT_EQ(rows[3]["status"], "OPEN");
}

TEST_F(SimOmsTest, ScenarioKeysSetTheSameSlowness) {
  Start(WithBroker("  book_delay_ms: 3000\n  positions_lag_ms: 3000\n"));
  ASSERT_EQ(KiteCall(sim_->port(), "POST", "/orders/regular", kSell)->status, 200);
  EXPECT_TRUE(Book().empty());
  ASSERT_TRUE(WaitUntil([&] { return TruthOrders()[0]["status"] == "COMPLETE"; }, 3s));
  EXPECT_TRUE(NetPositions().empty());  // the fill is younger than 3 s
  ASSERT_TRUE(WaitUntil([&] { return NetPositions().size() == 1; }, 8s));
  EXPECT_EQ(NetPositions()[0]["quantity"], -75);
  EXPECT_EQ(Book().size(), 1u);
}

TEST_F(SimOmsTest, PositionsLagFaultLeavesOrdersAndTradesCurrent) {
  ASSERT_TRUE(sim_->Fault({{"kind", "positions_lag"}, {"ms", 3000}}).ok());
  ASSERT_EQ(KiteCall(sim_->port(), "POST", "/orders/regular", kSell)->status, 200);
  ASSERT_TRUE(
      WaitUntil([&] { return Book().size() == 1 && Book()[0]["status"] == "COMPLETE"; }, 3s));
  EXPECT_EQ(KiteCall(sim_->port(), "GET", "/trades")->Json()["data"].size(), 1u);
  EXPECT_TRUE(NetPositions().empty());
  EXPECT_EQ((*sim_->State())["positions"]["net"][0]["quantity"], -75);  // the truth
  ASSERT_TRUE(WaitUntil([&] { return NetPositions().size() == 1; }, 8s));
  ASSERT_TRUE(sim_->Fault({{"kind", "positions_lag"}, {"on", false}}).ok());
}

TEST_F(SimOmsTest, LateCreateTimeoutCreatesTheOrderAfterTheClientGaveUp) {
  ASSERT_TRUE(sim_->Fault({{"kind", "late_create"},
                           {"count", 1},
                           {"answer", "timeout"},
                           {"create_after_ms", 2500}})
                  .ok());
  auto res = HttpCall(sim_->port(), "POST", "/orders/regular", kSell,
                      {{"Authorization", "token sim_key:sim_token"},
                       {"Content-Type", "application/x-www-form-urlencoded"}},
                      500ms);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), StatusCode::kTimeout);
  EXPECT_TRUE(TruthOrders().empty());  // not yet: the OMS takes it 2.5 s after the request
  ASSERT_TRUE(WaitUntil([&] { return TruthOrders().size() == 1; }, 5s));
  EXPECT_EQ(TruthOrders()[0]["tag"], "late1");
  const auto log = sim_->OrderLog();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]["http_status"], 0);
  EXPECT_EQ(log[0]["late_order_id"], TruthOrders()[0]["order_id"]);
  EXPECT_EQ(KiteCall(sim_->port(), "POST", "/orders/regular", kSell)->status, 200);  // used up
}

TEST_F(SimOmsTest, LateCreate504AnswersAtOnceAndCreatesLater) {
  ASSERT_TRUE(
      sim_->Fault(
              {{"kind", "late_create"}, {"count", 1}, {"answer", "504"}, {"create_after_ms", 300}})
          .ok());
  auto res = KiteCall(sim_->port(), "POST", "/orders/regular", kSell);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->status, 504);
  EXPECT_EQ(res->Json()["error_type"], "NetworkException");
  ASSERT_TRUE(WaitUntil([&] { return Book().size() == 1; }, 5s));
  EXPECT_EQ(Book()[0]["tag"], "late1");
  EXPECT_FALSE(sim_->Fault({{"kind", "late_create"}, {"answer", "maybe"}}).ok());
}

TEST_F(SimOmsTest, HttpErrorForSecondsThenCountsCombined) {
  ASSERT_TRUE(sim_->Fault({{"kind", "http_error"},
                           {"endpoint", "GET /orders"},
                           {"status", 503},
                           {"seconds", 1.5}})
                  .ok());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(KiteCall(sim_->port(), "GET", "/orders")->status, 503);
  EXPECT_EQ(KiteCall(sim_->port(), "POST", "/orders/regular", kSell)->status, 200);  // POST works
  ASSERT_TRUE(
      WaitUntil([&] { return KiteCall(sim_->port(), "GET", "/orders")->status == 200; }, 5s));
  // count + seconds: at most 2 within a long window.
  ASSERT_TRUE(sim_->Fault({{"kind", "http_error"},
                           {"endpoint", "GET /orders"},
                           {"status", 502},
                           {"count", 2},
                           {"seconds", 60}})
                  .ok());
  EXPECT_EQ(KiteCall(sim_->port(), "GET", "/orders")->status, 502);
  EXPECT_EQ(KiteCall(sim_->port(), "GET", "/orders")->status, 502);
  EXPECT_EQ(KiteCall(sim_->port(), "GET", "/orders")->status, 200);
}

TEST_F(SimOmsTest, OrderLimitsPerMinuteAndPerDayCountRejectedRequests) {
  Start(WithBroker("  order_rate_limit_per_minute: 4\n"));
  const std::string bad = std::string(kSell) + "&quantity=70";  // not a lot multiple: 400
  EXPECT_EQ(KiteCall(sim_->port(), "POST", "/orders/regular", bad)->status, 400);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(KiteCall(sim_->port(), "POST", "/orders/regular", kSell)->status, 200);
  }
  auto limited = KiteCall(sim_->port(), "POST", "/orders/regular", kSell);
  EXPECT_EQ(limited->status, 429);
  EXPECT_EQ(limited->Json()["error_type"], "NetworkException");
  EXPECT_EQ(limited->Json()["message"], "Too many requests");

  Start(WithBroker("  order_limit_per_day: 2\n"));
  EXPECT_EQ(KiteCall(sim_->port(), "POST", "/orders/regular", bad)->status, 400);
  EXPECT_EQ(KiteCall(sim_->port(), "POST", "/orders/regular", kSell)->status, 200);
  EXPECT_EQ(KiteCall(sim_->port(), "POST", "/orders/regular", kSell)->status, 429);
}

TEST_F(SimOmsTest, OtherEndpointsShareOneLimitWhenConfigured) {
  Start(WithBroker("  other_rate_limit: 2\n"));
  int limited = 0;
  for (int i = 0; i < 20; ++i) {
    const char* path = i % 2 ? "/portfolio/positions" : "/orders";
    if (KiteCall(sim_->port(), "GET", path)->status == 429) ++limited;
  }
  EXPECT_GT(limited, 0);
  EXPECT_EQ(KiteCall(sim_->port(), "POST", "/orders/regular", kSell)->status, 200);  // apart
}

TEST(RateLimitsTest, WindowsAndDayWithExplicitTimes) {
  sim::RateLimits limits;
  limits.AddWindow(1000, 2);
  limits.AddWindow(60'000, 3);
  limits.SetDailyLimit(4);
  EXPECT_TRUE(limits.Admit(0, 1));
  EXPECT_TRUE(limits.Admit(10, 1));
  EXPECT_FALSE(limits.Admit(20, 1));  // 2/s
  EXPECT_TRUE(limits.Admit(1000, 1));
  EXPECT_FALSE(limits.Admit(2000, 1));  // 3/min (the refused ones did not count)
  EXPECT_TRUE(limits.Admit(60'000, 1));
  EXPECT_FALSE(limits.Admit(120'000, 1));  // 4/day
  EXPECT_TRUE(limits.Admit(120'000, 2));   // a new IST day
  EXPECT_EQ(sim::IstDayNumber(0), 0);
  EXPECT_EQ(sim::IstDayNumber(18 * 3600 * 1000LL + 30 * 60 * 1000LL), 1);  // 00:00 IST
}

}  // namespace
}  // namespace zm::testing
