// Full quotes, GTT triggers, holdings and order tags against Kite's real shapes (tests/fixtures).
#include <gtest/gtest.h>

#include "common/kite/models.h"
#include "test_util.h"

namespace zm::kite {
namespace {

using nlohmann::json;
using testing::ReadLocalFixture;

json LocalData(const std::string& name) {
  auto data = ParseEnvelope(200, ReadLocalFixture(name));
  EXPECT_TRUE(data.ok()) << name << ": " << data.status().ToString();
  return data.ok() ? *data : json();
}

TEST(ModelsMarketTest, FullQuoteFixtureParses) {
  auto quotes = ParseQuote(LocalData("quote.json"));
  ASSERT_TRUE(quotes.ok()) << quotes.status().ToString();
  const FullQuote& infy = quotes->at("NSE:INFY");
  EXPECT_EQ(infy.instrument_token, 408065u);
  EXPECT_DOUBLE_EQ(infy.last_price, 1412.95);
  EXPECT_DOUBLE_EQ(infy.lower_circuit_limit, 1250.7);
  EXPECT_DOUBLE_EQ(infy.upper_circuit_limit, 1528.6);
  EXPECT_EQ(infy.buy[0], DepthLevel{});  // an empty level is zeros
  EXPECT_EQ(infy.sell[0], (DepthLevel{1412.95, 5191, 13}));
  // The model's members serialise in the same shape and parse back equal.
  auto again = ParseQuote(json{{"NSE:INFY", ToJson(infy)}});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->at("NSE:INFY"), infy);
  EXPECT_FALSE(ParseQuote(json{{"NSE:X", json{{"instrument_token", 1}}}}).ok());  // no price
  EXPECT_TRUE(ParseQuote(json()).ok());
}

TEST(ModelsMarketTest, GttFixturesParseAndRoundTrip) {
  auto gtts = ParseGtts(LocalData("gtt_get_orders.json"));
  ASSERT_TRUE(gtts.ok()) << gtts.status().ToString();
  ASSERT_EQ(gtts->size(), 2u);
  const Gtt& single = gtts->at(0);
  EXPECT_EQ(single.id, 112127);
  EXPECT_EQ(single.status, "active");
  EXPECT_EQ(single.trigger_type, "single");
  EXPECT_EQ(single.tradingsymbol, "INFY");
  EXPECT_EQ(single.instrument_token, 408065u);
  EXPECT_EQ(single.trigger_values, std::vector<double>{702});
  ASSERT_EQ(single.orders.size(), 1u);
  EXPECT_EQ(single.orders[0].transaction_type, "BUY");
  EXPECT_DOUBLE_EQ(single.orders[0].price, 702.5);
  EXPECT_TRUE(single.orders[0].result.status.empty());
  const Gtt& oco = gtts->at(1);
  EXPECT_EQ(oco.trigger_type, "two-leg");
  EXPECT_EQ(oco.status, "triggered");
  EXPECT_EQ(oco.trigger_values, (std::vector<double>{102.0, 103.7}));
  EXPECT_EQ(oco.orders[1].result.status, "failed");
  EXPECT_DOUBLE_EQ(oco.orders[1].result.triggered_at, 103.7);
  EXPECT_NE(oco.orders[1].result.rejection_reason.find("lower circuit"), std::string::npos);
  for (const Gtt& g : *gtts) {
    auto again = ParseGtt(ToJson(g));
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_EQ(*again, g);
  }
  auto one = ParseGtt(LocalData("gtt_get_order.json"));
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->id, 123);
  EXPECT_EQ(*ParseTriggerId(LocalData("gtt_place_order.json")), 123);
  EXPECT_EQ(*ParseTriggerId(LocalData("gtt_delete_order.json")), 123);
  EXPECT_FALSE(ParseGtt(json{{"id", 1}}).ok());  // no status
}

TEST(ModelsMarketTest, HoldingsFixtureParsesAndRoundTrips) {
  auto holdings = ParseHoldings(LocalData("holdings.json"));
  ASSERT_TRUE(holdings.ok()) << holdings.status().ToString();
  ASSERT_EQ(holdings->size(), 2u);
  const Holding& sbin = holdings->at(1);
  EXPECT_EQ(sbin.tradingsymbol, "SBIN");
  EXPECT_EQ(sbin.exchange, "BSE");
  EXPECT_EQ(sbin.isin, "INE062A01020");
  EXPECT_EQ(sbin.product, "CNC");
  EXPECT_EQ(sbin.quantity, 16);
  EXPECT_EQ(sbin.opening_quantity, 16);
  EXPECT_EQ(sbin.used_quantity, 0);
  EXPECT_DOUBLE_EQ(sbin.average_price, 801.78125);
  EXPECT_NEAR(sbin.pnl, -629.3, 1e-9);
  for (const Holding& h : *holdings) {
    auto again = ParseHoldings(json::array({ToJson(h)}));
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->at(0), h);
  }
  EXPECT_FALSE(ParseHoldings(json::array({json{{"tradingsymbol", "X"}}})).ok());
  EXPECT_TRUE(ParseHoldings(json())->empty());
}

TEST(ModelsMarketTest, OrderTagsParseFromEveryShape) {
  auto orders = ParseOrders(LocalData("orders.json"));
  ASSERT_TRUE(orders.ok()) << orders.status().ToString();
  std::map<std::string, std::vector<std::string>> tags;
  for (const Order& o : *orders) tags[o.order_id] = o.tags;
  EXPECT_TRUE(tags.at("100000000000000").empty());  // no "tags" member
  EXPECT_EQ(tags.at("700000000000000"), std::vector<std::string>{"connect test order1"});
  EXPECT_EQ(tags.at("1953341975595868160"), (std::vector<std::string>{"mktp", "mktp:2.00"}));
  EXPECT_EQ(tags.at("1953367517686685697"),
            (std::vector<std::string>{"autoslice", "autoslice:1953367517640548352"}));
  for (const Order& o : *orders) {
    const json back = ToJson(o);
    EXPECT_EQ(back["tags"], json(o.tags));
    EXPECT_EQ(*ParseOrder(back), o);
  }
  json bad = LocalData("orders.json")[0];
  bad["tags"] = json::array({1});
  EXPECT_FALSE(ParseOrder(bad).ok());
  bad["tags"] = nullptr;
  EXPECT_TRUE(ParseOrder(bad)->tags.empty());
}

}  // namespace
}  // namespace zm::kite
