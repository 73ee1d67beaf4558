// GTT triggers (REST + control API, firing into regular orders) and full quotes with depth,
// compared with Kite's real shapes (tests/fixtures).
#include <gtest/gtest.h>

#include "common/kite/models.h"
#include "common/kite/tick.h"
#include "common/url.h"
#include "support/sim_harness.h"

namespace zm::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// Every member of `mock` (recursively into objects, and into the first element of arrays) is in
// `ours`.
void ExpectMembersOf(const json& mock, const json& ours, const std::string& where) {
  if (!mock.is_object()) return;
  ASSERT_TRUE(ours.is_object()) << where;
  for (const auto& [key, value] : mock.items()) {
    ASSERT_TRUE(ours.contains(key)) << where << "." << key;
    if (value.is_object() && ours[key].is_object()) {
      ExpectMembersOf(value, ours[key], where + "." + key);
    } else if (value.is_array() && !value.empty() && ours[key].is_array() && !ours[key].empty()) {
      ExpectMembersOf(value[0], ours[key][0], where + "." + key + "[0]");
    }
  }
}

json FixtureData(const std::string& name) { return json::parse(ReadTestFixture(name))["data"]; }

class SimGttQuoteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto h = SimHarness::StartFile("test_basic.yaml");
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    sim_ = std::move(*h);
  }
  json Get(const std::string& path) { return KiteCall(sim_->port(), "GET", path)->Json(); }
  json Net(const std::string& symbol) {
    const json state = *sim_->State();
    for (const json& row : state["positions"]["net"]) {
      if (row["tradingsymbol"] == symbol) return row;
    }
    return json();
  }
  std::unique_ptr<SimHarness> sim_;
};

TEST_F(SimGttQuoteTest, GttRestShapesMatchKite) {
  const json condition = {{"exchange", "NFO"},
                          {"tradingsymbol", "NIFTY26DEC24000CE"},
                          {"trigger_values", {110}},
                          {"last_price", 120}};
  const json orders = json::array({{{"exchange", "NFO"},
                                    {"tradingsymbol", "NIFTY26DEC24000CE"},
                                    {"transaction_type", "SELL"},
                                    {"quantity", 75},
                                    {"order_type", "LIMIT"},
                                    {"product", "NRML"},
                                    {"price", 109.5}}});
  const std::string form = "type=single&condition=" + UrlEncode(condition.dump()) +
                           "&orders=" + UrlEncode(orders.dump());
  auto placed = KiteCall(sim_->port(), "POST", "/gtt/triggers", form);
  ASSERT_EQ(placed->status, 200) << placed->body;
  EXPECT_EQ(placed->Json()["data"].size(), FixtureData("gtt_place_order.json").size());
  const long long id = placed->Json()["data"]["trigger_id"];
  const json list = Get("/gtt/triggers")["data"];
  ASSERT_EQ(list.size(), 1u);
  ExpectMembersOf(FixtureData("gtt_get_orders.json")[0], list[0], "trigger");
  EXPECT_EQ(list[0]["status"], "active");
  EXPECT_EQ(list[0]["condition"]["instrument_token"], 50001 * 256 + 2);
  auto parsed = kite::ParseGtts(list);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->at(0).trigger_values, std::vector<double>{110});
  EXPECT_EQ(Get("/gtt/triggers/" + std::to_string(id))["data"]["id"], id);
  EXPECT_TRUE(Get("/orders")["data"].empty());  // GTTs are not in the order book
  auto deleted = KiteCall(sim_->port(), "DELETE", "/gtt/triggers/" + std::to_string(id));
  ASSERT_EQ(deleted->status, 200);
  EXPECT_EQ(deleted->Json()["data"].size(), FixtureData("gtt_delete_order.json").size());
  EXPECT_EQ(deleted->Json()["data"]["trigger_id"], id);
  EXPECT_TRUE(Get("/gtt/triggers")["data"].empty());
  EXPECT_EQ(KiteCall(sim_->port(), "DELETE", "/gtt/triggers/" + std::to_string(id))->status, 400);
  EXPECT_EQ(KiteCall(sim_->port(), "POST", "/gtt/triggers", "type=single&condition=x")->status,
            400);
}

TEST_F(SimGttQuoteTest, AFiredGttReopensASquaredOffPosition) {
  // Short 75 made in the app, with a stop-loss GTT made in the app; then squared off flat.
  ASSERT_TRUE(sim_->Control("POST", "/_sim/position",
                            {{"exchange", "NFO"},
                             {"tradingsymbol", "NIFTY26DEC24000CE"},
                             {"quantity", -75},
                             {"price", 120}})
                  .ok());
  auto gtt = sim_->Control(
      "POST", "/_sim/gtt",
      {{"type", "single"},
       {"condition",
        {{"exchange", "NFO"}, {"tradingsymbol", "NIFTY26DEC24000CE"}, {"trigger_values", {130}}}},
       {"orders", json::array({{{"exchange", "NFO"},
                                {"tradingsymbol", "NIFTY26DEC24000CE"},
                                {"transaction_type", "BUY"},
                                {"quantity", 75},
                                {"order_type", "LIMIT"},
                                {"product", "NRML"},
                                {"price", 131}}})}});
  ASSERT_TRUE(gtt.ok()) << gtt.status().ToString();
  ASSERT_EQ(KiteCall(sim_->port(), "POST", "/orders/regular",
                     "exchange=NFO&tradingsymbol=NIFTY26DEC24000CE&transaction_type=BUY"
                     "&order_type=LIMIT&price=121&quantity=75&product=NRML&tag=exit1")
                ->status,
            200);
  ASSERT_TRUE(WaitUntil([&] { return Net("NIFTY26DEC24000CE")["quantity"] == 0; }, 3s));
  ASSERT_TRUE(sim_->SetPrice("NFO:NIFTY26DEC24000CE", 130.5).ok());  // crosses 130 upward
  ASSERT_TRUE(WaitUntil([&] { return Net("NIFTY26DEC24000CE")["quantity"] == 75; }, 3s));
  const json trigger = Get("/gtt/triggers")["data"].at(0);
  EXPECT_EQ(trigger["status"], "triggered");
  const json result = trigger["orders"][0]["result"];
  ExpectMembersOf(FixtureData("gtt_get_orders.json")[1]["orders"][1]["result"], result, "result");
  EXPECT_EQ(result["order_result"]["status"], "success");
  const json book = Get("/orders")["data"];
  EXPECT_EQ(book.back()["order_id"], result["order_result"]["order_id"]);
  EXPECT_TRUE(book.back()["tag"].is_null());  // not the engine's
}

TEST_F(SimGttQuoteTest, TwoLegGttFiresTheLegOnTheSideCrossed) {
  auto leg = [](const char* side, double price) {
    return json{{"exchange", "NSE"}, {"tradingsymbol", "INFY"}, {"transaction_type", side},
                {"quantity", 10},    {"order_type", "LIMIT"},   {"product", "CNC"},
                {"price", price}};
  };
  auto gtt = sim_->Control(
      "POST", "/_sim/gtt",
      {{"type", "two-leg"},
       {"condition",
        {{"exchange", "NSE"}, {"tradingsymbol", "INFY"}, {"trigger_values", {1450, 1550}}}},
       {"orders", json::array({leg("SELL", 1449), leg("SELL", 1551)})}});
  ASSERT_TRUE(gtt.ok()) << gtt.status().ToString();
  ASSERT_TRUE(sim_->SetPrice("NSE:INFY", 1449).ok());
  ASSERT_TRUE(
      WaitUntil([&] { return Get("/gtt/triggers")["data"][0]["status"] == "triggered"; }, 3s));
  const json trigger = Get("/gtt/triggers")["data"][0];
  EXPECT_FALSE(trigger["orders"][0]["result"].is_null());
  EXPECT_TRUE(trigger["orders"][1]["result"].is_null());
  EXPECT_FALSE(
      sim_->Control("POST", "/_sim/gtt", {{"type", "two-leg"}, {"condition", json::object()}})
          .ok());
}

TEST_F(SimGttQuoteTest, FullQuoteHasKitesShapeAndTheMarketsDepth) {
  ASSERT_TRUE(sim_->SetPrice("NFO:NIFTY26DEC24000CE", 124.5).ok());
  const json data = Get("/quote?i=NFO:NIFTY26DEC24000CE&i=NSE:INFY&i=NSE:NOPE")["data"];
  ASSERT_EQ(data.size(), 2u);
  ExpectMembersOf(FixtureData("quote.json")["NSE:INFY"], data["NFO:NIFTY26DEC24000CE"], "quote");
  auto quotes = kite::ParseQuote(data);
  ASSERT_TRUE(quotes.ok()) << quotes.status().ToString();
  const kite::FullQuote& q = quotes->at("NFO:NIFTY26DEC24000CE");
  EXPECT_DOUBLE_EQ(q.last_price, 124.5);
  EXPECT_DOUBLE_EQ(q.upper_circuit_limit, 144);  // close 120 + 20 %
  EXPECT_DOUBLE_EQ(q.lower_circuit_limit, 96);
  for (int level = 0; level < 5; ++level) {
    EXPECT_NEAR(q.buy[level].price, 124.5 - 0.05 * level, 1e-9);
    EXPECT_NEAR(q.sell[level].price, 124.5 + 0.05 * (level + 1), 1e-9);
    EXPECT_EQ(q.buy[level].quantity % 75, 0);
    EXPECT_GE(q.sell[level].quantity, 75 * 50 * (level + 1));  // default depth_lots 100
  }
  // A full-mode tick carries the same book.
  TestWsClient ws;
  ASSERT_TRUE(ws.Connect(sim_->port(), "/?api_key=sim_key&access_token=sim_token").ok());
  const uint32_t token = 50001u * 256 + 2;
  ws.SendText(json({{"a", "subscribe"}, {"v", {token}}}).dump());
  ws.SendText(json({{"a", "mode"}, {"v", {"full", {token}}}}).dump());
  auto frame = ws.ReadUntil(
      [](const auto& m) {
        if (!m.binary || m.data.size() < 100) return false;
        const auto decoded = kite::DecodeFrame(m.data);
        return !decoded.ticks.empty() && decoded.ticks[0].mode == kite::TickMode::kFull;
      },
      3s);
  ASSERT_TRUE(frame.ok());
  const kite::Tick tick = kite::DecodeFrame(frame->data).ticks.at(0);
  const json again = Get("/quote?i=NFO:NIFTY26DEC24000CE")["data"]["NFO:NIFTY26DEC24000CE"];
  // Same prices level by level (quantities may have been redrawn by a market tick since).
  for (int level = 0; level < 5; ++level) {
    EXPECT_DOUBLE_EQ(tick.bids[level].price, again["depth"]["buy"][level]["price"].get<double>());
    EXPECT_GT(tick.offers[level].quantity, 0u);
  }
}

TEST(SimQuoteSharedLimitTest, QuoteAndLtpShareOneLimit) {
  std::string yaml = ReadScenario("test_basic.yaml");
  yaml.insert(yaml.find("  order_rate_limit: 10"), "  quote_rate_limit: 1\n");
  auto sim = SimHarness::Start(yaml);
  ASSERT_TRUE(sim.ok());
  int limited = 0;
  for (int i = 0; i < 6; ++i) {
    const char* path = i % 2 ? "/quote/ltp?i=NSE:INFY" : "/quote?i=NSE:INFY";
    if (KiteCall((*sim)->port(), "GET", path)->status == 429) ++limited;
  }
  EXPECT_GE(limited, 1);
}

}  // namespace
}  // namespace zm::testing
