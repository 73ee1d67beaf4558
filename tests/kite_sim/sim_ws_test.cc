// The simulator's ticker WebSocket through a real client on loopback.
#include <gtest/gtest.h>

#include "common/kite/text_frame.h"
#include "common/kite/tick.h"
#include "support/sim_harness.h"

namespace zm::testing {
namespace {

using namespace std::chrono_literals;
constexpr uint32_t kNiftyToken = 50001u * 256 + 2;
constexpr uint32_t kUsdInrToken = 10001u * 256 + 3;
const char* kTarget = "/?api_key=sim_key&access_token=sim_token";

bool HasTick(const TestWsClient::Message& m, uint32_t token, double price, kite::TickMode mode) {
  if (!m.binary) return false;
  const kite::DecodedFrame frame = kite::DecodeFrame(m.data);
  for (const kite::Tick& t : frame.ticks) {
    if (t.instrument_token == token && t.last_price == price && t.mode == mode) return true;
  }
  return false;
}

class SimWsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto h = SimHarness::StartFile("test_basic.yaml");
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    sim_ = std::move(*h);
    ASSERT_TRUE(ws_.Connect(sim_->port(), kTarget).ok());
  }
  void Subscribe(uint32_t token, const std::string& mode) {
    ws_.SendText(nlohmann::json({{"a", "subscribe"}, {"v", {token}}}).dump());
    ws_.SendText(nlohmann::json({{"a", "mode"}, {"v", {mode, {token}}}}).dump());
  }
  std::unique_ptr<SimHarness> sim_;
  TestWsClient ws_;
};

TEST_F(SimWsTest, SubscribeGetsSnapshotThenTicksOnPriceMoves) {
  Subscribe(kNiftyToken, "full");
  auto snapshot = ws_.ReadUntil(
      [](const auto& m) { return HasTick(m, kNiftyToken, 120, kite::TickMode::kFull); }, 3s);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  ASSERT_TRUE(sim_->SetPrice("NFO:NIFTY26DEC24000CE", 131.45).ok());
  auto tick = ws_.ReadUntil(
      [](const auto& m) { return HasTick(m, kNiftyToken, 131.45, kite::TickMode::kFull); }, 3s);
  ASSERT_TRUE(tick.ok()) << tick.status().ToString();
  const kite::Tick t = kite::DecodeFrame(tick->data).ticks.at(0);
  EXPECT_DOUBLE_EQ(t.close, 120);
  EXPECT_DOUBLE_EQ(t.bids[0].price, 131.45);
  auto stats = sim_->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ((*stats)["ws_connections"], 1);
  EXPECT_EQ((*stats)["subscribed"], nlohmann::json::array({kNiftyToken}));
}

TEST_F(SimWsTest, ModesAndCurrencyDivisor) {
  Subscribe(kUsdInrToken, "ltp");
  ASSERT_TRUE(
      ws_.ReadUntil(
             [](const auto& m) { return HasTick(m, kUsdInrToken, 84.25, kite::TickMode::kLtp); },
             3s)
          .ok());
  ASSERT_TRUE(sim_->SetPrice("CDS:USDINR26DECFUT", 84.2625).ok());
  ASSERT_TRUE(
      ws_.ReadUntil(
             [](const auto& m) { return HasTick(m, kUsdInrToken, 84.2625, kite::TickMode::kLtp); },
             3s)
          .ok());
  ws_.SendText(R"({"a":"mode","v":["quote",[)" + std::to_string(kUsdInrToken) + "]]}");
  ASSERT_TRUE(ws_.ReadUntil(
                     [](const auto& m) {
                       return HasTick(m, kUsdInrToken, 84.2625, kite::TickMode::kQuote);
                     },
                     3s)
                  .ok());
  ws_.SendText(R"({"a":"unsubscribe","v":[)" + std::to_string(kUsdInrToken) + "]}");
  ASSERT_TRUE(WaitUntil([&] { return (*sim_->Stats())["subscribed"].empty(); }, 3s));
}

TEST_F(SimWsTest, HeartbeatsWhenIdle) {
  auto beat = ws_.ReadUntil(
      [](const auto& m) { return m.binary && kite::DecodeFrame(m.data).heartbeat; }, 3s);
  ASSERT_TRUE(beat.ok()) << beat.status().ToString();
  EXPECT_EQ(beat->data.size(), 1u);
}

TEST_F(SimWsTest, OrderUpdatesAsTextFrames) {
  auto res = KiteCall(
      sim_->port(), "POST", "/orders/regular",
      "exchange=NFO&tradingsymbol=NIFTY26DEC24000CE&transaction_type=SELL&order_type=MARKET"
      "&quantity=75&product=NRML&market_protection=-1&tag=ws1");
  ASSERT_TRUE(res.ok());
  ASSERT_EQ(res->status, 200);
  std::vector<std::string> statuses;
  auto done = ws_.ReadUntil(
      [&](const auto& m) {
        if (m.binary) return false;
        auto text = kite::ParseTextFrame(m.data);
        if (!text.ok() || text->kind != kite::TextMessage::Kind::kOrder) return false;
        EXPECT_EQ(text->order.tag, "ws1");
        statuses.push_back(text->order.status);
        return text->order.status == "COMPLETE";
      },
      3s);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(statuses, (std::vector<std::string>{"OPEN", "COMPLETE"}));
}

TEST_F(SimWsTest, BadCredentialsAre403) {
  TestWsClient bad;
  const Status s = bad.Connect(sim_->port(), "/?api_key=sim_key&access_token=nope");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.http_status(), 403);
  EXPECT_EQ((*sim_->Stats())["ws_upgrades_refused"], 1);
}

}  // namespace
}  // namespace zm::testing
