// The model field tables (kite/model_fields.h) drive parsing, Kite's JSON and the SQLite columns:
// each entry must name a member once and both directions must agree on it.
#include "common/kite/model_fields.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <type_traits>
#include <variant>

#include "common/kite/models.h"

namespace zm::kite {
namespace {

// Gives every field of `row` a value of its own (strings "s<i>", numbers i + 0.5, whole
// numbers i), so that a table entry reading or writing the wrong member shows as a difference.
template <typename Model>
void FillDistinct(std::span<const ModelField<Model>> fields, Model& row) {
  int i = 1;
  for (const ModelField<Model>& f : fields) {
    std::visit(
        [&](auto member) {
          using V = std::decay_t<decltype(row.*member)>;
          if constexpr (std::is_same_v<V, std::string>) {
            row.*member = "s" + std::to_string(i);
          } else if constexpr (std::is_same_v<V, double>) {
            row.*member = i + 0.5;
          } else {
            row.*member = static_cast<V>(i);
          }
        },
        f.member);
    ++i;
  }
}

template <typename Model>
std::set<std::string> Names(std::span<const ModelField<Model>> fields) {
  std::set<std::string> names;
  for (const ModelField<Model>& f : fields) EXPECT_TRUE(names.insert(f.name).second) << f.name;
  return names;
}

TEST(ModelFieldsTest, EveryNameIsListedOnce) {
  EXPECT_EQ(Names(PositionFields()).size(), 29u);
  EXPECT_EQ(Names(OrderFields()).size(), 27u);
  EXPECT_EQ(Names(TradeFields()).size(), 13u);
  EXPECT_EQ(Names(HoldingFields()).size(), 18u);
  EXPECT_EQ(Names(GttOrderFields()).size(), 7u);
  EXPECT_EQ(Names(GttFields()).size(), 6u);
  EXPECT_EQ(Names(GttConditionFields()).size(), 4u);
  EXPECT_EQ(Names(LtpQuoteFields()).size(), 2u);
  EXPECT_EQ(Names(FullQuoteFields()).size(), 4u);
  EXPECT_EQ(Names(ProfileFields()).size(), 6u);
  EXPECT_EQ(Names(SessionTokenFields()).size(), 5u);
}

TEST(ModelFieldsTest, PositionSurvivesKitesJsonBothWays) {
  Position p;
  FillDistinct(PositionFields(), p);
  const nlohmann::json positions = {{"net", {ToJson(p)}}, {"day", nlohmann::json::array()}};
  Result<Positions> back = ParsePositions(positions);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->net.size(), 1u);
  EXPECT_EQ(back->net[0], p);
}

// A list of one `row` written as Kite's JSON and parsed back with `parse_list`.
template <typename Model, typename ParseList>
Model ThroughJson(const Model& row, ParseList parse_list) {
  Result<std::vector<Model>> back = parse_list(nlohmann::json::array({ToJson(row)}));
  EXPECT_TRUE(back.ok()) << back.status().ToString();
  if (!back.ok() || back->size() != 1) return Model{};
  return back->front();
}

TEST(ModelFieldsTest, OrderHoldingAndTradeSurviveKitesJsonBothWays) {
  Order o;
  FillDistinct(OrderFields(), o);
  o.tags = {"mktp", "autoslice"};
  EXPECT_EQ(ThroughJson(o, ParseOrders), o);
  Holding h;
  FillDistinct(HoldingFields(), h);
  EXPECT_EQ(ThroughJson(h, ParseHoldings), h);
  Trade t;  // no operator==: compared through its JSON
  FillDistinct(TradeFields(), t);
  EXPECT_EQ(ToJson(ThroughJson(t, ParseTrades)), ToJson(t));
}

TEST(ModelFieldsTest, AGttLegSurvivesKitesJsonBothWays) {
  Gtt g;
  g.id = 7;
  g.status = "active";
  g.exchange = "NSE";
  g.tradingsymbol = "INFY";
  GttOrder leg;
  FillDistinct(GttOrderFields(), leg);
  g.orders = {leg};
  Result<Gtt> back = ParseGtt(ToJson(g));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->orders.size(), 1u);
  EXPECT_EQ(back->orders[0], leg);
}

TEST(ModelFieldsTest, AGttWithItsConditionSurvivesKitesJsonBothWays) {
  Gtt g;
  FillDistinct(GttFields(), g);
  // The condition's fields get values of their own, after the header's.
  Gtt condition;
  FillDistinct(GttConditionFields(), condition);
  g.exchange = condition.exchange + "c";
  g.tradingsymbol = condition.tradingsymbol + "c";
  g.instrument_token = condition.instrument_token + 100;
  g.last_price = condition.last_price + 100;
  g.trigger_values = {101.5, 99};
  Result<Gtt> back = ParseGtt(ToJson(g));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, g);
  Result<std::vector<Gtt>> list = ParseGtts(nlohmann::json::array({ToJson(g)}));
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(list->at(0), g);
}

TEST(ModelFieldsTest, QuotesSurviveKitesJsonBothWays) {
  FullQuote full;
  FillDistinct(FullQuoteFields(), full);
  full.buy[0] = {100.5, 75, 3};
  full.sell[4] = {101, 150, 1};
  Result<FullQuotes> quotes = ParseQuote({{"NFO:X", ToJson(full)}});
  ASSERT_TRUE(quotes.ok()) << quotes.status().ToString();
  EXPECT_EQ(quotes->at("NFO:X"), full);
  LtpQuote ltp;
  FillDistinct(LtpQuoteFields(), ltp);
  Result<LtpQuotes> ltps = ParseLtp(ToJson(LtpQuotes{{"NSE:INFY", ltp}}));
  ASSERT_TRUE(ltps.ok()) << ltps.status().ToString();
  EXPECT_EQ(ltps->at("NSE:INFY").instrument_token, ltp.instrument_token);
  EXPECT_EQ(ltps->at("NSE:INFY").last_price, ltp.last_price);
}

TEST(ModelFieldsTest, ProfileAndSessionSurviveKitesJsonBothWays) {
  Profile p;
  FillDistinct(ProfileFields(), p);
  p.exchanges = {"NSE", "NFO"};
  p.products = {"MIS"};
  Result<Profile> profile = ParseProfile(ToJson(p));
  ASSERT_TRUE(profile.ok()) << profile.status().ToString();
  EXPECT_EQ(ToJson(*profile), ToJson(p));
  EXPECT_EQ(profile->exchanges, p.exchanges);
  SessionToken s;
  FillDistinct(SessionTokenFields(), s);
  Result<SessionToken> session = ParseSessionToken(ToJson(s));
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  EXPECT_EQ(ToJson(*session), ToJson(s));
  EXPECT_EQ(session->access_token, s.access_token);
}

TEST(ModelFieldsTest, AListNamesTheItemThatIsWrong) {
  Order good;
  good.order_id = "1";
  good.status = "OPEN";
  nlohmann::json bad = ToJson(good);
  bad.erase("status");
  Result<std::vector<Order>> orders = ParseOrders(nlohmann::json::array({ToJson(good), bad}));
  ASSERT_FALSE(orders.ok());
  EXPECT_EQ(orders.status().message(), "orders[1]: order: missing 'status'");
  EXPECT_FALSE(ParseOrders(nlohmann::json::object()).ok());  // not a list
  ASSERT_TRUE(ParseOrders(nullptr).ok());                    // no orders yet
  EXPECT_FALSE(ParsePositions({{"net", nullptr}}).ok());     // never "no positions"
}

TEST(ModelFieldsTest, EmptyOptionalStringsAreWrittenAsNullWhereKiteDoes) {
  Order o;
  o.order_id = "1";
  o.status = "OPEN";
  const nlohmann::json j = ToJson(o);
  EXPECT_TRUE(j["exchange_order_id"].is_null());
  EXPECT_TRUE(j["tag"].is_null());
  EXPECT_TRUE(j["status_message_raw"].is_null());
  EXPECT_EQ(j["variety"], "");  // not a nullable member
  EXPECT_EQ(j["tags"], nlohmann::json::array());
}

TEST(ModelFieldsTest, RequiredMembersAreNamedWhenMissing) {
  Position named;
  named.tradingsymbol = "X";
  named.exchange = "NSE";
  named.product = "MIS";
  nlohmann::json row = ToJson(named);
  row.erase("sell_value");
  Result<Positions> bad = ParsePositions({{"net", {row}}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("sell_value"), std::string::npos)
      << bad.status().ToString();
  nlohmann::json no_multiplier = ToJson(named);
  no_multiplier.erase("multiplier");
  Result<Positions> ok = ParsePositions({{"net", {no_multiplier}}});
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->net[0].multiplier, 1);  // absent means 1, never 0
}

}  // namespace
}  // namespace zm::kite
