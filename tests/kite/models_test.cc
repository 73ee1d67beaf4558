#include "common/kite/models.h"

#include <gtest/gtest.h>

#include <limits>

#include "test_util.h"

namespace zm::kite {
namespace {

using nlohmann::json;
using testing::ReadFixture;

json FixtureData(const std::string& name) {
  auto data = ParseEnvelope(200, ReadFixture(name));
  EXPECT_TRUE(data.ok()) << name << ": " << data.status().ToString();
  return data.ok() ? *data : json();
}

TEST(ModelsTest, PositionsFixtureParsesAndSerialisesBack) {
  const json data = FixtureData("positions.json");
  auto positions = ParsePositions(data);
  ASSERT_TRUE(positions.ok()) << positions.status().ToString();
  ASSERT_EQ(positions->net.size(), 3u);
  ASSERT_EQ(positions->day.size(), 3u);
  const Position& lead = positions->net[0];
  EXPECT_EQ(lead.tradingsymbol, "LEADMINI17DECFUT");
  EXPECT_EQ(lead.exchange, "MCX");
  EXPECT_EQ(lead.product, "NRML");
  EXPECT_EQ(lead.instrument_token, 53496327u);
  EXPECT_EQ(lead.quantity, 1);
  EXPECT_EQ(lead.multiplier, 1000);
  EXPECT_DOUBLE_EQ(lead.average_price, 161.05);
  EXPECT_DOUBLE_EQ(lead.value, -161050);
  EXPECT_DOUBLE_EQ(lead.buy_value, 161050);
  const Position& gold = positions->net[1];
  EXPECT_EQ(gold.overnight_quantity, 3);
  EXPECT_DOUBLE_EQ(gold.pnl, 801);
  EXPECT_DOUBLE_EQ(gold.m2m, 276);
  EXPECT_DOUBLE_EQ(gold.buy_m2m, 93084);
  EXPECT_EQ(gold.day_sell_quantity, 4);
  EXPECT_DOUBLE_EQ(gold.day_buy_price, 23388);
  EXPECT_EQ(positions->day[0].quantity, -3);
  // Every member of every row is mapped: serialising gives back the fixture (numerically).
  EXPECT_EQ(ToJson(*positions), data);
}

TEST(ModelsTest, PositionsRequireNet) {
  EXPECT_FALSE(ParsePositions(json::object()).ok());
  EXPECT_FALSE(ParsePositions(json{{"net", json::object()}}).ok());
  EXPECT_FALSE(ParsePositions(json::array()).ok());
  auto empty = ParsePositions(json{{"net", json::array()}, {"day", json::array()}});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->net.empty());
}

TEST(ModelsTest, PositionMissingQuantityNamesFieldAndRow) {
  json data = FixtureData("positions.json");
  data["net"][2].erase("quantity");
  auto positions = ParsePositions(data);
  ASSERT_FALSE(positions.ok());
  EXPECT_EQ(positions.status().code(), StatusCode::kParseError);
  EXPECT_NE(positions.status().message().find("quantity"), std::string::npos);
  EXPECT_NE(positions.status().message().find("net[2]"), std::string::npos);
}

TEST(ModelsTest, PositionWrongTypeIsError) {
  json data = FixtureData("positions.json");
  data["net"][0]["sell_value"] = json::array();
  auto positions = ParsePositions(data);
  ASSERT_FALSE(positions.ok());
  EXPECT_NE(positions.status().message().find("sell_value"), std::string::npos);
}

// A number that is not finite is never a price or a value: the JSON parser refuses 1e999, and a
// document built otherwise (or by a more lenient parser) is refused by the model.
TEST(ModelsTest, NonFiniteNumberIsAnError) {
  EXPECT_FALSE(ParseEnvelope(200, R"({"status":"success","data":{"x":1e999}})").ok());
  json data = FixtureData("positions.json");
  data["net"][0]["buy_value"] = std::numeric_limits<double>::infinity();
  auto positions = ParsePositions(data);
  ASSERT_FALSE(positions.ok());
  EXPECT_NE(positions.status().message().find("buy_value"), std::string::npos)
      << positions.status().message();
  data = FixtureData("positions.json");
  data["net"][0]["last_price"] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(ParsePositions(data).ok());
}

TEST(ModelsTest, EveryOrderInFixtureParses) {
  const json data = FixtureData("orders.json");
  auto orders = ParseOrders(data);
  ASSERT_TRUE(orders.ok()) << orders.status().ToString();
  ASSERT_EQ(orders->size(), data.size());
  const Order& first = (*orders)[0];
  EXPECT_EQ(first.order_id, "100000000000000");
  EXPECT_EQ(first.exchange_order_id, "200000000000000");
  EXPECT_EQ(first.parent_order_id, "");  // null
  EXPECT_EQ(first.status, "CANCELLED");
  EXPECT_EQ(first.status_message, "");
  EXPECT_EQ(first.tag, "");
  EXPECT_EQ(first.instrument_token, 412675u);
  EXPECT_DOUBLE_EQ(first.price, 72);
  EXPECT_EQ(first.pending_quantity, 1);
  EXPECT_EQ((*orders)[1].average_price, 109.4);
  for (size_t i = 0; i < data.size(); ++i) {
    const Order& o = (*orders)[i];
    const json& raw = data[i];
    EXPECT_EQ(o.order_id, raw["order_id"].get<std::string>());
    EXPECT_EQ(o.status, raw["status"].get<std::string>());
    EXPECT_EQ(o.tag, raw["tag"].is_null() ? "" : raw["tag"].get<std::string>());
    EXPECT_EQ(o.quantity, raw["quantity"].get<long long>());
    EXPECT_EQ(o.filled_quantity, raw["filled_quantity"].get<long long>());
    EXPECT_DOUBLE_EQ(o.average_price, raw["average_price"].get<double>());
    // ToJson keeps Kite's shape for every member the model holds.
    const json back = ToJson(o);
    for (const char* key : {"order_id", "status", "tag", "tradingsymbol", "exchange",
                            "transaction_type", "product", "quantity", "price", "average_price",
                            "filled_quantity", "pending_quantity", "cancelled_quantity",
                            "status_message", "parent_order_id", "order_timestamp", "variety"}) {
      EXPECT_EQ(back[key], raw[key]) << "order " << i << " key " << key;
    }
    auto again = ParseOrder(back);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, o);
  }
  const Order& rejected = (*orders)[3];
  EXPECT_EQ(rejected.status, "REJECTED");
  EXPECT_NE(rejected.status_message.find("Insufficient funds"), std::string::npos);
}

TEST(ModelsTest, OrderLeniency) {
  json o = {{"order_id", "1"},    {"status", "SOME NEW STATE"}, {"quantity", 75.0},
            {"price", 10},        {"average_price", 10.5},      {"tag", nullptr},
            {"extra", {{"x", 1}}}};
  auto order = ParseOrder(o);
  ASSERT_TRUE(order.ok());
  EXPECT_EQ(order->status, "SOME NEW STATE");
  EXPECT_FALSE(IsTerminalStatus(order->status));
  EXPECT_EQ(order->quantity, 75);
  EXPECT_DOUBLE_EQ(order->price, 10);
  EXPECT_EQ(order->tag, "");
}

TEST(ModelsTest, OrderMissingIdOrStatusNamesIt) {
  auto no_id = ParseOrder(json{{"status", "OPEN"}});
  ASSERT_FALSE(no_id.ok());
  EXPECT_NE(no_id.status().message().find("order_id"), std::string::npos);
  auto no_status = ParseOrder(json{{"order_id", "1"}});
  ASSERT_FALSE(no_status.ok());
  EXPECT_NE(no_status.status().message().find("status"), std::string::npos);
  auto list = ParseOrders(json::array({json{{"order_id", "1"}, {"status", "OPEN"}}, json(5)}));
  ASSERT_FALSE(list.ok());
  EXPECT_NE(list.status().message().find("orders[1]"), std::string::npos);
  EXPECT_FALSE(ParseOrders(json::object()).ok());
  EXPECT_FALSE(ParseOrder(json{{"order_id", "1"}, {"status", "OPEN"}, {"quantity", "x"}}).ok());
  EXPECT_FALSE(
      ParseOrder(json{{"order_id", "1"}, {"status", "OPEN"}, {"instrument_token", -5}}).ok());
}

TEST(ModelsTest, OrderHistoryFixtureParses) {
  auto orders = ParseOrders(FixtureData("order_info.json"));
  ASSERT_TRUE(orders.ok()) << orders.status().ToString();
  EXPECT_FALSE(orders->empty());
}

TEST(ModelsTest, TradesFixture) {
  const json data = FixtureData("trades.json");
  auto trades = ParseTrades(data);
  ASSERT_TRUE(trades.ok()) << trades.status().ToString();
  ASSERT_EQ(trades->size(), 4u);
  EXPECT_EQ((*trades)[1].tradingsymbol, "USDINR21JUNFUT");
  EXPECT_DOUBLE_EQ((*trades)[1].average_price, 72.755);
  for (size_t i = 0; i < trades->size(); ++i) EXPECT_EQ(ToJson((*trades)[i]), data[i]);
}

TEST(ModelsTest, LtpFixture) {
  const json data = FixtureData("ltp.json");
  auto ltp = ParseLtp(data);
  ASSERT_TRUE(ltp.ok());
  ASSERT_EQ(ltp->count("NSE:INFY"), 1u);
  EXPECT_EQ(ltp->at("NSE:INFY").instrument_token, 408065u);
  EXPECT_DOUBLE_EQ(ltp->at("NSE:INFY").last_price, 1074.35);
  EXPECT_EQ(ToJson(*ltp), data);
  EXPECT_FALSE(ParseLtp(json{{"NSE:X", json::object()}}).ok());
}

TEST(ModelsTest, ProfileFixture) {
  const json data = FixtureData("profile.json");
  auto profile = ParseProfile(data);
  ASSERT_TRUE(profile.ok());
  EXPECT_EQ(profile->user_id, "AB1234");
  EXPECT_EQ(profile->broker, "ZERODHA");
  EXPECT_EQ(profile->exchanges.size(), 8u);
  EXPECT_EQ(profile->order_types.back(), "SL-M");
  const json back = ToJson(*profile);
  for (const char* key : {"user_id", "user_type", "email", "user_name", "user_shortname", "broker",
                          "exchanges", "products", "order_types", "avatar_url"}) {
    EXPECT_EQ(back[key], data[key]) << key;
  }
  EXPECT_FALSE(ParseProfile(json{{"user_id", "x"}, {"exchanges", "NSE"}}).ok());
}

TEST(ModelsTest, SessionFixture) {
  const json data = FixtureData("generate_session.json");
  auto session = ParseSessionToken(data);
  ASSERT_TRUE(session.ok());
  EXPECT_EQ(session->user_id, "XX0000");
  EXPECT_EQ(session->access_token, "XXXXXX");
  EXPECT_EQ(session->login_time, "2021-01-01 16:15:14");
  auto again = ParseSessionToken(ToJson(*session));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->public_token, session->public_token);
  EXPECT_FALSE(ParseSessionToken(json{{"user_id", "x"}}).ok());
}

}  // namespace
}  // namespace zm::kite
