// Each fault of the control API, observed through real clients on loopback.
#include <gtest/gtest.h>

#include "common/kite/tick.h"
#include "support/sim_harness.h"

namespace zm::testing {
namespace {

using namespace std::chrono_literals;
constexpr uint32_t kNiftyToken = 50001u * 256 + 2;
const char* kTarget = "/?api_key=sim_key&access_token=sim_token";
const char* kSell =
    "exchange=NFO&tradingsymbol=NIFTY26DEC24000CE&transaction_type=SELL&order_type=MARKET"
    "&quantity=300&product=NRML&market_protection=-1";

class SimFaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto h = SimHarness::StartFile("test_basic.yaml");
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    sim_ = std::move(*h);
  }
  nlohmann::json FirstOrder() { return (*sim_->State())["orders"][0]; }
  std::unique_ptr<SimHarness> sim_;
};

TEST_F(SimFaultsTest, HttpErrorCountsDownPerEndpoint) {
  ASSERT_TRUE(
      sim_->Fault(
              {{"kind", "http_error"}, {"endpoint", "POST /orders"}, {"status", 503}, {"count", 2}})
          .ok());
  ASSERT_TRUE(sim_->Fault({{"kind", "http_error"},
                           {"endpoint", "GET /portfolio"},
                           {"status", 502},
                           {"count", 1}})
                  .ok());
  EXPECT_EQ(KiteCall(sim_->port(), "POST", "/orders/regular", kSell)->status, 503);
  EXPECT_EQ(KiteCall(sim_->port(), "GET", "/orders")->status, 200);  // GET not matched
  EXPECT_EQ(KiteCall(sim_->port(), "POST", "/orders/regular", kSell)->status, 503);
  EXPECT_EQ(KiteCall(sim_->port(), "POST", "/orders/regular", kSell)->status, 200);
  auto positions = KiteCall(sim_->port(), "GET", "/portfolio/positions");
  EXPECT_EQ(positions->status, 502);
  EXPECT_EQ(positions->Json()["error_type"], "NetworkException");
  EXPECT_EQ(KiteCall(sim_->port(), "GET", "/portfolio/positions")->status, 200);
  const auto log = sim_->OrderLog();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0]["http_status"], 503);
  EXPECT_EQ(FirstOrder()["quantity"], 300);  // only the third POST created an order
  EXPECT_FALSE(sim_->Fault({{"kind", "nonsense"}}).ok());
}

TEST_F(SimFaultsTest, OrderHangCreatesTheOrderButHoldsTheAnswer) {
  ASSERT_TRUE(sim_->Fault({{"kind", "order_hang"}, {"count", 1}, {"seconds", 3}}).ok());
  auto res = HttpCall(sim_->port(), "POST", "/orders/regular", kSell,
                      {{"Authorization", "token sim_key:sim_token"},
                       {"Content-Type", "application/x-www-form-urlencoded"}},
                      500ms);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), StatusCode::kTimeout);
  // The order exists and fills although the client never got its answer.
  ASSERT_TRUE(WaitUntil([&] { return FirstOrder()["status"] == "COMPLETE"; }, 3s));
  EXPECT_EQ(sim_->OrderLog().size(), 1u);
  EXPECT_EQ(KiteCall(sim_->port(), "POST", "/orders/regular", kSell)->status,
            200);  // count used up
}

TEST_F(SimFaultsTest, TokenExpiredRejectsRestAndUpgrades) {
  ASSERT_TRUE(sim_->Fault({{"kind", "token_expired"}, {"on", true}}).ok());
  auto res = KiteCall(sim_->port(), "GET", "/portfolio/positions");
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(res->Json()["error_type"], "TokenException");
  TestWsClient ws;
  EXPECT_EQ(ws.Connect(sim_->port(), kTarget).http_status(), 403);
  ASSERT_TRUE(sim_->Fault({{"kind", "token_expired"}, {"on", false}}).ok());
  EXPECT_EQ(KiteCall(sim_->port(), "GET", "/portfolio/positions")->status, 200);
}

TEST_F(SimFaultsTest, WsDropThenRefuseForAWhile) {
  TestWsClient ws;
  ASSERT_TRUE(ws.Connect(sim_->port(), kTarget).ok());
  ASSERT_TRUE(WaitUntil([&] { return (*sim_->Stats())["ws_connections"] == 1; }, 3s));
  ASSERT_TRUE(sim_->Fault({{"kind", "ws_drop"}, {"refuse_seconds", 1}}).ok());
  ASSERT_TRUE(WaitUntil(
      [&] {
        (void)ws.Read(50ms);  // drain: closed() is true once the queue is empty and the peer gone
        return ws.closed();
      },
      3s));
  TestWsClient refused;
  EXPECT_EQ(refused.Connect(sim_->port(), kTarget).http_status(), 503);
  ASSERT_TRUE(WaitUntil(
      [&] {
        TestWsClient attempt;
        return attempt.Connect(sim_->port(), kTarget).ok();
      },
      5s, 200ms));
  EXPECT_GE((*sim_->Stats())["ws_upgrades_refused"], 1);
}

TEST_F(SimFaultsTest, TicksStopButHeartbeatsContinue) {
  TestWsClient ws;
  ASSERT_TRUE(ws.Connect(sim_->port(), kTarget).ok());
  ws.SendText(nlohmann::json({{"a", "subscribe"}, {"v", {kNiftyToken}}}).dump());
  ASSERT_TRUE(ws.ReadUntil([](const auto& m) { return m.binary && m.data.size() > 1; }, 3s).ok());
  ASSERT_TRUE(sim_->Fault({{"kind", "ticks_stop"}, {"on", true}}).ok());
  ASSERT_TRUE(sim_->SetPrice("NFO:NIFTY26DEC24000CE", 125).ok());
  // Over 2.5 s only heartbeats (1-byte frames) arrive.
  int heartbeats = 0, ticks = 0;
  const auto end = std::chrono::steady_clock::now() + 2500ms;
  while (std::chrono::steady_clock::now() < end) {
    auto m = ws.Read(100ms);
    if (!m.ok()) continue;
    if (m->binary && m->data.size() == 1) ++heartbeats;
    if (m->binary && m->data.size() > 1) ++ticks;
  }
  EXPECT_EQ(ticks, 0);
  EXPECT_GE(heartbeats, 1);
  ASSERT_TRUE(sim_->Fault({{"kind", "clear"}}).ok());
  ASSERT_TRUE(sim_->SetPrice("NFO:NIFTY26DEC24000CE", 126).ok());
  EXPECT_TRUE(ws.ReadUntil([](const auto& m) { return m.binary && m.data.size() > 1; }, 3s).ok());
}

TEST_F(SimFaultsTest, OrdersRestUntilTurnedOff) {
  ASSERT_TRUE(sim_->Fault({{"kind", "orders_rest"}, {"on", true}}).ok());
  ASSERT_EQ(KiteCall(sim_->port(), "POST", "/orders/regular", kSell)->status, 200);
  ASSERT_TRUE(WaitUntil([&] { return FirstOrder()["status"] == "OPEN"; }, 3s));
  std::this_thread::sleep_for(300ms);  // well past the 40 ms fill latency
  EXPECT_EQ(FirstOrder()["status"], "OPEN");
  EXPECT_EQ(FirstOrder()["filled_quantity"], 0);
  ASSERT_TRUE(sim_->Fault({{"kind", "orders_rest"}, {"on", false}}).ok());
  EXPECT_TRUE(WaitUntil([&] { return FirstOrder()["status"] == "COMPLETE"; }, 3s));
}

TEST_F(SimFaultsTest, PartialFillLeavesTheRestOpen) {
  ASSERT_TRUE(sim_->Fault({{"kind", "partial_fill"}, {"fraction", 0.5}}).ok());
  ASSERT_EQ(KiteCall(sim_->port(), "POST", "/orders/regular", kSell)->status, 200);
  ASSERT_TRUE(WaitUntil([&] { return FirstOrder()["filled_quantity"] == 150; }, 3s));
  EXPECT_EQ(FirstOrder()["status"], "OPEN");
  EXPECT_EQ(FirstOrder()["pending_quantity"], 150);
  EXPECT_EQ((*sim_->State())["positions"]["net"][0]["quantity"], -150);
  ASSERT_TRUE(sim_->Fault({{"kind", "partial_fill"}, {"fraction", 0}}).ok());
  EXPECT_TRUE(WaitUntil([&] { return FirstOrder()["status"] == "COMPLETE"; }, 3s));
}

TEST(SimScenarioFaultsTest, FaultsFromTheScenarioApplyAtStart) {
  std::string yaml = ReadScenario("test_basic.yaml");
  yaml.replace(yaml.find("faults: []"), 10, "faults:\n  - {kind: token_expired, on: true}\n");
  auto sim = SimHarness::Start(yaml);
  ASSERT_TRUE(sim.ok()) << sim.status().ToString();
  EXPECT_EQ(KiteCall((*sim)->port(), "GET", "/user/profile")->status, 403);
}

}  // namespace
}  // namespace zm::testing
