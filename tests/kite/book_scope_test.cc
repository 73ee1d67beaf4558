// Holdings (GET /portfolio/holdings, real shapes) and which position rows the guard owns.
#include "common/kite/book_scope.h"

#include <gtest/gtest.h>

namespace zm::kite {
namespace {

// Two rows of Kite's holdings mock (holdings.json), copied so that the test needs only the tree.
const char* kHoldingsData = R"([
 {"tradingsymbol": "AARON", "exchange": "NSE", "instrument_token": 263681,
  "isin": "INE721Z01010", "product": "CNC", "price": 0, "quantity": 1, "used_quantity": 0,
  "t1_quantity": 0, "realised_quantity": 1, "authorised_quantity": 0,
  "authorised_date": "2025-01-17 00:00:00", "authorisation": {}, "opening_quantity": 1,
  "short_quantity": 0, "collateral_quantity": 0, "collateral_type": "", "discrepancy": false,
  "average_price": 161, "last_price": 352.95, "close_price": 352.35, "pnl": 191.95,
  "day_change": 0.5999999999999659, "day_change_percentage": 0.17028522775648244,
  "mtf": {"quantity": 1000, "used_quantity": 0, "average_price": 100, "value": 100000,
          "initial_margin": 0}},
 {"tradingsymbol": "SBIN", "exchange": "BSE", "instrument_token": 128028676,
  "isin": "INE062A01020", "product": "CNC", "price": 0, "quantity": 16, "used_quantity": 0,
  "t1_quantity": 0, "realised_quantity": 16, "opening_quantity": 16, "short_quantity": 0,
  "collateral_quantity": 0, "average_price": 801.78125, "last_price": 762.45,
  "close_price": 766.4, "pnl": -629.2999999999993}
])";

Position Row(const std::string& exchange, const std::string& symbol, const std::string& product,
             long long quantity) {
  Position p;
  p.exchange = exchange;
  p.tradingsymbol = symbol;
  p.product = product;
  p.quantity = quantity;
  return p;
}

TEST(HoldingsTest, ParsesKitesShapeAndRoundTrips) {
  auto holdings = ParseHoldings(nlohmann::json::parse(kHoldingsData));
  ASSERT_TRUE(holdings.ok()) << holdings.status().ToString();
  ASSERT_EQ(holdings->size(), 2u);
  const Holding& sbin = (*holdings)[1];
  EXPECT_EQ(sbin.tradingsymbol, "SBIN");
  EXPECT_EQ(sbin.exchange, "BSE");
  EXPECT_EQ(sbin.quantity, 16);
  EXPECT_EQ(sbin.opening_quantity, 16);
  EXPECT_DOUBLE_EQ(sbin.average_price, 801.78125);
  auto again = ParseHoldings(nlohmann::json::array({ToJson(sbin)}));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)[0], sbin);
  EXPECT_TRUE(ParseHoldings(nullptr)->empty());
  auto missing = ParseHoldings(nlohmann::json::parse(R"([{"exchange":"NSE","quantity":1}])"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("tradingsymbol"), std::string::npos);
}

TEST(BookScopeTest, NegativeCncEquityRowCoveredByHoldingsIsASale) {
  Holding infy;
  infy.tradingsymbol = "INFY";
  infy.exchange = "NSE";
  infy.quantity = 100;
  infy.used_quantity = 40;
  const HoldingsCover cover = CoverOf({infy});
  EXPECT_EQ(cover.by_symbol.at("INFY"), 100);
  const std::set<std::string> all;
  EXPECT_EQ(ScopeOf(Row("NSE", "INFY", "CNC", -40), cover, all), RowScope::kSoldFromHoldings);
  // Sold on the other exchange: still the same shares.
  EXPECT_EQ(ScopeOf(Row("BSE", "INFY", "CNC", -40), cover, all), RowScope::kSoldFromHoldings);
  // Not held: Kite's rules as before (guarded). MIS and NRML shorts are shorts.
  EXPECT_EQ(ScopeOf(Row("NSE", "TCS", "CNC", -5), cover, all), RowScope::kGuarded);
  EXPECT_EQ(ScopeOf(Row("NSE", "INFY", "MIS", -40), cover, all), RowScope::kGuarded);
  EXPECT_EQ(ScopeOf(Row("NFO", "INFY26DECFUT", "NRML", -400), cover, all), RowScope::kGuarded);
  EXPECT_EQ(ScopeOf(Row("NSE", "INFY", "CNC", 10), cover, all), RowScope::kGuarded);
}

TEST(BookScopeTest, UnknownHoldingsNeverBuyBackANegativeCncEquityRow) {
  const HoldingsCover unknown;
  EXPECT_EQ(ScopeOf(Row("NSE", "TCS", "CNC", -5), unknown, {}), RowScope::kSoldFromHoldings);
  EXPECT_EQ(ScopeOf(Row("NSE", "TCS", "MIS", -5), unknown, {}), RowScope::kGuarded);
}

TEST(BookScopeTest, ProductsLimitTheGuard) {
  const std::set<std::string> trading = {"MIS", "NRML"};
  const HoldingsCover none = CoverOf({});
  EXPECT_EQ(ScopeOf(Row("NSE", "TCS", "CNC", 5), none, trading), RowScope::kProductNotGuarded);
  EXPECT_EQ(ScopeOf(Row("NSE", "TCS", "MIS", 5), none, trading), RowScope::kGuarded);
  const std::vector<Position> net = {Row("NSE", "TCS", "CNC", 5), Row("NSE", "TCS", "MIS", 5),
                                     Row("NSE", "ITC", "CNC", -3)};
  EXPECT_EQ(UnguardedKeys(net, CoverOf({}), trading),
            (std::set<std::string>{"NSE:TCS:CNC", "NSE:ITC:CNC"}));
  EXPECT_EQ(UnguardedKeys(net, HoldingsCover{}, {}), (std::set<std::string>{"NSE:ITC:CNC"}));
  EXPECT_STREQ(RowScopeName(RowScope::kSoldFromHoldings), "sold_from_holdings");
}

TEST(BookScopeTest, SquareOffNeverTouchesHeldSymbolsUnlessTheyAreGuardedPositions) {
  Holding infy, tcs;
  infy.tradingsymbol = "INFY";
  infy.quantity = 100;
  tcs.tradingsymbol = "TCS";
  tcs.quantity = 10;
  const HoldingsCover cover = CoverOf({infy, tcs});
  // INFY sold from holdings; TCS bought today on top of the holding (a guarded CNC position).
  const std::vector<Position> net = {Row("NSE", "INFY", "CNC", -40), Row("NSE", "TCS", "CNC", 5),
                                     Row("NFO", "NIFTY26DECFUT", "NRML", 75)};
  EXPECT_EQ(SquareOffExcludedKeys(net, cover, {}),
            (std::set<std::string>{"NSE:INFY:CNC", "BSE:INFY:CNC", "BSE:TCS:CNC"}));
  // Holdings unknown: the negative CNC equity rows the view shows.
  EXPECT_EQ(SquareOffExcludedKeys(net, HoldingsCover{}, {}),
            (std::set<std::string>{"NSE:INFY:CNC"}));
}

}  // namespace
}  // namespace zm::kite
