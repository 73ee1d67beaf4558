// The simulator's REST API through real HTTP on loopback: envelopes, auth, each endpoint,
// rate limit and the order log.
#include <gtest/gtest.h>

#include <algorithm>

#include "common/kite/checksum.h"
#include "common/kite/instruments.h"
#include "common/kite/models.h"
#include "common/net/gzip.h"
#include "support/sim_harness.h"

namespace zm::testing {
namespace {

using namespace std::chrono_literals;

const char* kSellNifty =
    "exchange=NFO&tradingsymbol=NIFTY26DEC24000CE&transaction_type=SELL&order_type=MARKET"
    "&quantity=75&product=NRML&market_protection=-1&tag=zmtest1";

class SimRestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto h = SimHarness::StartFile("test_basic.yaml");
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    sim_ = std::move(*h);
  }
  nlohmann::json Data(const std::string& method, const std::string& target,
                      const std::string& form = "") {
    auto res = KiteCall(sim_->port(), method, target, form);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    if (!res.ok()) return nullptr;
    auto data = kite::ParseEnvelope(res->status, res->body);
    EXPECT_TRUE(data.ok()) << data.status().ToString();
    return data.ok() ? *data : nlohmann::json();
  }
  std::unique_ptr<SimHarness> sim_;
};

TEST_F(SimRestTest, ProfileAndAuth) {
  EXPECT_EQ(Data("GET", "/user/profile")["user_id"], "SIM001");
  for (const auto& [key, token] : std::vector<std::pair<std::string, std::string>>{
           {"sim_key", "wrong"}, {"wrong", "sim_token"}}) {
    auto res = KiteCall(sim_->port(), "GET", "/user/profile", "", key, token);
    ASSERT_TRUE(res.ok());
    EXPECT_EQ(res->status, 403);
    EXPECT_EQ(res->Json()["error_type"], "TokenException");
    EXPECT_EQ(res->Json()["status"], "error");
  }
  auto none = HttpCall(sim_->port(), "GET", "/orders");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->status, 403);
  // A new token from the control API replaces the old one.
  ASSERT_TRUE(sim_->Control("POST", "/_sim/token", {{"access_token", "fresh"}}).ok());
  EXPECT_EQ(KiteCall(sim_->port(), "GET", "/user/profile")->status, 403);
  EXPECT_EQ(KiteCall(sim_->port(), "GET", "/user/profile", "", "sim_key", "fresh")->status, 200);
}

TEST_F(SimRestTest, OrderLifecycleOverRest) {
  const nlohmann::json placed = Data("POST", "/orders/regular", kSellNifty);
  const std::string id = placed["order_id"];
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(WaitUntil(
      [&] {
        auto orders = kite::ParseOrders(Data("GET", "/orders"));
        return orders.ok() && orders->size() == 1 && (*orders)[0].status == "COMPLETE";
      },
      3s));
  auto history = kite::ParseOrders(Data("GET", "/orders/" + id));
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->back().status, "COMPLETE");
  EXPECT_EQ(history->back().tag, "zmtest1");
  EXPECT_EQ(history->front().status, "PUT ORDER REQ RECEIVED");
  auto trades = kite::ParseTrades(Data("GET", "/trades"));
  ASSERT_TRUE(trades.ok());
  ASSERT_EQ(trades->size(), 1u);
  EXPECT_EQ((*trades)[0].order_id, id);
  auto positions = kite::ParsePositions(Data("GET", "/portfolio/positions"));
  ASSERT_TRUE(positions.ok());
  ASSERT_EQ(positions->net.size(), 1u);
  EXPECT_EQ(positions->net[0].quantity, -75);
  EXPECT_EQ(positions->day.size(), 1u);
  auto unknown = KiteCall(sim_->port(), "GET", "/orders/999");
  EXPECT_EQ(unknown->status, 400);
}

TEST_F(SimRestTest, ModifyAndCancel) {
  const std::string id =
      Data("POST", "/orders/regular",
           "exchange=NFO&tradingsymbol=NIFTY26DEC24000CE&transaction_type=BUY&order_type=LIMIT"
           "&quantity=75&product=NRML&price=100")["order_id"];
  ASSERT_TRUE(WaitUntil([&] { return Data("GET", "/orders")[0]["status"] == "OPEN"; }, 3s));
  EXPECT_EQ(Data("PUT", "/orders/regular/" + id, "price=101")["order_id"], id);
  EXPECT_EQ(Data("GET", "/orders")[0]["price"], 101.0);
  EXPECT_EQ(Data("DELETE", "/orders/regular/" + id)["order_id"], id);
  EXPECT_EQ(Data("GET", "/orders")[0]["status"], "CANCELLED");
  auto again = KiteCall(sim_->port(), "DELETE", "/orders/regular/" + id);
  EXPECT_EQ(again->status, 400);
  EXPECT_EQ(again->Json()["error_type"], "InputException");
}

TEST_F(SimRestTest, RulesAnswerWithKiteErrors) {
  auto res = KiteCall(
      sim_->port(), "POST", "/orders/regular",
      "exchange=NFO&tradingsymbol=NIFTY26DEC24000CE&transaction_type=SELL&order_type=MARKET"
      "&quantity=75&product=NRML");
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(res->Json()["error_type"], "InputException");
  EXPECT_NE(res->Json()["message"].get<std::string>().find("market protection"), std::string::npos);
  res = KiteCall(
      sim_->port(), "POST", "/orders/regular",
      "exchange=NFO&tradingsymbol=BANKNIFTY26DEC52000CE&transaction_type=SELL&order_type=MARKET"
      "&quantity=945&product=NRML&market_protection=-1");
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("945 (27 lots)"), std::string::npos) << res->body;
  res = KiteCall(
      sim_->port(), "POST", "/orders/regular",
      "exchange=BFO&tradingsymbol=SENSEX26DEC80000CE&transaction_type=SELL&order_type=LIMIT"
      "&quantity=20&product=NRML&price=10");  // below the lower circuit (200)
  EXPECT_EQ(res->status, 200);
  const std::string id = res->Json()["data"]["order_id"];
  ASSERT_TRUE(
      WaitUntil([&] { return Data("GET", "/orders/" + id).back()["status"] == "REJECTED"; }, 3s));
  EXPECT_NE(
      Data("GET", "/orders").back()["status_message"].get<std::string>().find("lower circuit"),
      std::string::npos);
}

TEST_F(SimRestTest, MoreThanTenOrderRequestsInASecondAre429) {
  // Rejected requests count too; they are answered at once (no accept latency), so 30 of them
  // necessarily put more than 10 into some one-second window even on a slow machine.
  const std::string rejected =
      "exchange=NFO&tradingsymbol=NIFTY26DEC24000CE&transaction_type=SELL&order_type=MARKET"
      "&quantity=75&product=NRML";
  std::vector<int> statuses;
  for (int i = 0; i < 30; ++i) {
    auto res = KiteCall(sim_->port(), "POST", "/orders/regular", i == 0 ? kSellNifty : rejected);
    ASSERT_TRUE(res.ok());
    statuses.push_back(res->status);
    if (res->status == 429) {
      EXPECT_EQ(res->Json()["message"], "Too many requests");
    }
  }
  EXPECT_EQ(statuses[0], 200);
  for (int i = 1; i < 10; ++i) {
    EXPECT_EQ(statuses[i], 400);  // the first 10 always fit
  }
  EXPECT_GE(std::count(statuses.begin(), statuses.end(), 429), 1);
  const auto log = sim_->OrderLog();
  ASSERT_EQ(log.size(), 30u);
  for (size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(log[i]["http_status"], statuses[i]);
  }
  EXPECT_EQ(log[0]["params"]["tag"], "zmtest1");
  EXPECT_EQ(log[0]["method"], "POST");
  EXPECT_EQ(log[0]["path"], "/orders/regular");
  EXPECT_FALSE(log[0]["order_id"].get<std::string>().empty());
  EXPECT_EQ(log[1]["error_type"], "InputException");
}

TEST(SimQuoteLimitTest, QuoteRateLimitWhenConfigured) {
  std::string yaml = ReadScenario("test_basic.yaml");
  yaml.replace(yaml.find("order_rate_limit: 10"), 20,
               "order_rate_limit: 10\n  quote_rate_limit: 1");
  auto sim = SimHarness::Start(yaml);
  ASSERT_TRUE(sim.ok()) << sim.status().ToString();
  std::vector<int> statuses;
  for (int i = 0; i < 3; ++i) {
    statuses.push_back(KiteCall((*sim)->port(), "GET", "/quote/ltp?i=NSE:INFY")->status);
  }
  EXPECT_EQ(statuses[0], 200);
  EXPECT_GE(std::count(statuses.begin(), statuses.end(), 429), 1);  // 3 calls need > 1 s
}

TEST_F(SimRestTest, LtpAndInstruments) {
  ASSERT_TRUE(sim_->SetPrice("NFO:NIFTY26DEC24000CE", 133.3).ok());
  auto ltp =
      kite::ParseLtp(Data("GET", "/quote/ltp?i=NFO:NIFTY26DEC24000CE&i=NSE:INFY&i=NSE:NOPE"));
  ASSERT_TRUE(ltp.ok());
  EXPECT_EQ(ltp->size(), 2u);
  EXPECT_DOUBLE_EQ(ltp->at("NFO:NIFTY26DEC24000CE").last_price, 133.3);
  EXPECT_EQ(ltp->at("NSE:INFY").instrument_token, 1594u * 256 + 1);
  auto csv = KiteCall(sim_->port(), "GET", "/instruments");
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(csv->status, 200);
  auto instruments = kite::ParseInstrumentsCsv(csv->body);
  ASSERT_TRUE(instruments.ok()) << instruments.status().ToString();
  EXPECT_EQ(instruments->size(), 11u);  // 7 scenario instruments + 4 index rows (lot 0)
  EXPECT_EQ((*instruments)[0].lot_size, 75);
  EXPECT_EQ((*instruments)[0].name, "NIFTY");
  auto gz = HttpCall(sim_->port(), "GET", "/instruments/NFO", "",
                     {{"Authorization", "token sim_key:sim_token"}, {"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(gz.ok());
  auto inflated = net::GunzipBody(gz->body);
  ASSERT_TRUE(inflated.ok()) << inflated.status().ToString();
  auto nfo = kite::ParseInstrumentsCsv(*inflated);
  ASSERT_TRUE(nfo.ok());
  EXPECT_EQ(nfo->size(), 4u);  // the NFO ones only
}

TEST_F(SimRestTest, SessionTokenChecksTheChecksum) {
  const std::string good = kite::SessionChecksum("sim_key", "req123", Secret("sim_secret"));
  auto res = HttpCall(sim_->port(), "POST", "/session/token",
                      "api_key=sim_key&request_token=req123&checksum=" + good,
                      {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_TRUE(res.ok());
  ASSERT_EQ(res->status, 200) << res->body;
  auto session = kite::ParseSessionToken(res->Json()["data"]);
  ASSERT_TRUE(session.ok());
  EXPECT_EQ(session->access_token, "sim_token");
  EXPECT_EQ(session->user_id, "SIM001");
  res = HttpCall(sim_->port(), "POST", "/session/token",
                 "api_key=sim_key&request_token=req123&checksum=" + std::string(64, '0'),
                 {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(res->Json()["error_type"], "TokenException");
}

TEST_F(SimRestTest, ExternalPositionAndState) {
  auto added = sim_->Control("POST", "/_sim/position",
                             {{"exchange", "NFO"},
                              {"tradingsymbol", "NIFTY26DEC24000PE"},
                              {"product", "NRML"},
                              {"quantity", -75},
                              {"price", 100}});
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  auto state = sim_->State();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ((*state)["positions"]["net"][0]["quantity"], -75);
  EXPECT_EQ((*state)["orders"][0]["status"], "COMPLETE");
  EXPECT_DOUBLE_EQ((*state)["ltp"]["NFO:NIFTY26DEC24000PE"].get<double>(), 95.5);
  EXPECT_TRUE(sim_->OrderLog().empty());  // app trades are not API order requests
  EXPECT_FALSE(
      sim_->Control("POST", "/_sim/price", {{"instrument", "NFO:NOPE"}, {"last_price", 1}}).ok());
}

}  // namespace
}  // namespace zm::testing
