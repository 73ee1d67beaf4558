// Real-account shapes (issue #10.6): carried positions valued as Kite values them (all six rows
// of kite-mocks positions.json), the start-of-day run, shares sold from holdings, market sessions
// per exchange and the simulator's settable clock.
#include <gtest/gtest.h>

#include "common/kite/models.h"
#include "kite_sim/sessions.h"
#include "kite_sim/sim_clock.h"
#include "support/sim_harness.h"

namespace zm::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// The book behind kite-mocks positions.json: LEADMINI bought today; GOLDGUINEA long 3 carried
// from an entry of 23057 (previous close 23232), then bought 1 and sold 4 today; SBIN (CO)
// bought and sold today.
constexpr const char* kMockBook = R"(
market: {tick_interval_ms: 100}
instruments:
  - {exchange: MCX, tradingsymbol: LEADMINI17DECFUT, name: LEADMINI, exchange_token: 208970,
     instrument_type: FUT, segment: MCX-FUT, lot_size: 1, tick_size: 0.05, multiplier: 1000,
     price: 161.05}
  - {exchange: MCX, tradingsymbol: GOLDGUINEA17DECFUT, name: GOLDGUINEA, exchange_token: 209007,
     instrument_type: FUT, segment: MCX-FUT, lot_size: 1, tick_size: 1, price: 23355,
     close: 23232}
  - {exchange: NSE, tradingsymbol: SBIN, name: STATE BANK OF INDIA, exchange_token: 3045,
     lot_size: 1, tick_size: 0.05, price: 308.4}
positions:
  - {exchange: MCX, tradingsymbol: LEADMINI17DECFUT, product: NRML, quantity: 1, price: 161.05}
  - {exchange: MCX, tradingsymbol: GOLDGUINEA17DECFUT, product: NRML, quantity: 3,
     carried: true, entry_price: 23057, close: 23232}
  - {exchange: MCX, tradingsymbol: GOLDGUINEA17DECFUT, product: NRML, quantity: 1, price: 23388}
  - {exchange: MCX, tradingsymbol: GOLDGUINEA17DECFUT, product: NRML, quantity: -4, price: 23340}
  - {exchange: NSE, tradingsymbol: SBIN, product: CO, quantity: 1, price: 311}
  - {exchange: NSE, tradingsymbol: SBIN, product: CO, quantity: -1, price: 309}
)";

const kite::Position* Row(const std::vector<kite::Position>& rows, const std::string& symbol) {
  for (const kite::Position& p : rows) {
    if (p.tradingsymbol == symbol) return &p;
  }
  return nullptr;
}

std::unique_ptr<SimHarness> StartSim(const std::string& yaml) {
  auto h = SimHarness::Start(yaml);
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  return h.ok() ? std::move(*h) : nullptr;
}

kite::Positions RestPositions(const SimHarness& sim) {
  auto res = KiteCall(sim.port(), "GET", "/portfolio/positions");
  auto parsed = kite::ParsePositions(res->Json()["data"]);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? *parsed : kite::Positions{};
}

TEST(SimAccountTest, CarriedPositionsReproduceAllSixRowsOfKitesMock) {
  auto sim = StartSim(kMockBook);
  ASSERT_NE(sim, nullptr);
  const kite::Positions ours = RestPositions(*sim);
  auto mock = kite::ParsePositions(json::parse(ReadTestFixture("positions.json"))["data"]);
  ASSERT_TRUE(mock.ok());
  ASSERT_EQ(ours.net.size(), 3u);
  ASSERT_EQ(ours.day.size(), 3u);
  for (const auto& [mine, theirs] : {std::pair{&ours.net, &mock->net}, {&ours.day, &mock->day}}) {
    for (const kite::Position& want : *theirs) {
      const kite::Position* got = Row(*mine, want.tradingsymbol);
      ASSERT_NE(got, nullptr) << want.tradingsymbol;
      SCOPED_TRACE(want.tradingsymbol);
      EXPECT_DOUBLE_EQ(got->pnl, want.pnl);
      EXPECT_DOUBLE_EQ(got->m2m, want.m2m);
      EXPECT_EQ(got->quantity, want.quantity);
      EXPECT_EQ(got->overnight_quantity, want.overnight_quantity);
      EXPECT_DOUBLE_EQ(got->buy_value, want.buy_value);
      EXPECT_DOUBLE_EQ(got->sell_value, want.sell_value);
      EXPECT_DOUBLE_EQ(got->buy_m2m, want.buy_m2m);
      EXPECT_DOUBLE_EQ(got->sell_m2m, want.sell_m2m);
      EXPECT_DOUBLE_EQ(got->value, want.value);
      EXPECT_EQ(got->day_buy_quantity, want.day_buy_quantity);
      EXPECT_DOUBLE_EQ(got->day_sell_value, want.day_sell_value);
      EXPECT_DOUBLE_EQ(got->buy_price, want.buy_price);
    }
  }
}

TEST(SimAccountTest, StartOfDayCarriesTheNetAtTheCloseAndSettlesDeliveryIntoHoldings) {
  auto sim = StartSim(ReadScenario("test_basic.yaml"));
  ASSERT_NE(sim, nullptr);
  ASSERT_TRUE(sim->Control("POST", "/_sim/position",
                           {{"exchange", "NFO"},
                            {"tradingsymbol", "NIFTY26DEC24000CE"},
                            {"quantity", -75},
                            {"price", 120}})
                  .ok());
  ASSERT_TRUE(sim->Control("POST", "/_sim/position",
                           {{"exchange", "NSE"},
                            {"tradingsymbol", "INFY"},
                            {"product", "CNC"},
                            {"quantity", 10},
                            {"price", 1500}})
                  .ok());
  auto sod =
      sim->Control("POST", "/_sim/start_of_day", {{"close", {{"NFO:NIFTY26DEC24000CE", 125}}}});
  ASSERT_TRUE(sod.ok()) << sod.status().ToString();
  EXPECT_TRUE((*sim->State())["orders"].empty());  // yesterday's book is gone
  ASSERT_TRUE(sim->SetPrice("NFO:NIFTY26DEC24000CE", 130).ok());
  const kite::Positions p = RestPositions(*sim);
  ASSERT_EQ(p.net.size(), 1u);  // the CNC buy became a holding
  EXPECT_TRUE(p.day.empty());   // no trade today yet
  const kite::Position& nifty = p.net[0];
  EXPECT_EQ(nifty.overnight_quantity, -75);
  EXPECT_EQ(nifty.quantity, -75);
  EXPECT_DOUBLE_EQ(nifty.sell_value, 9000);  // entry 120
  EXPECT_DOUBLE_EQ(nifty.sell_m2m, 9375);    // previous close 125
  EXPECT_DOUBLE_EQ(nifty.pnl, -750);         // since entry
  EXPECT_DOUBLE_EQ(nifty.m2m, -375);         // today
  EXPECT_DOUBLE_EQ(nifty.close_price, 125);
  const json quote = KiteCall(sim->port(), "GET", "/quote?i=NFO:NIFTY26DEC24000CE")->Json()["data"];
  EXPECT_EQ(quote["NFO:NIFTY26DEC24000CE"]["ohlc"]["close"], 125);
  auto holdings =
      kite::ParseHoldings(KiteCall(sim->port(), "GET", "/portfolio/holdings")->Json()["data"]);
  ASSERT_TRUE(holdings.ok());
  ASSERT_EQ(holdings->size(), 1u);
  EXPECT_EQ(holdings->at(0).t1_quantity, 10);
  EXPECT_EQ(holdings->at(0).quantity, 0);
  // Buying back today: the carried short closes; m2m counts only today's move.
  ASSERT_EQ(KiteCall(sim->port(), "POST", "/orders/regular",
                     "exchange=NFO&tradingsymbol=NIFTY26DEC24000CE&transaction_type=BUY"
                     "&order_type=LIMIT&price=131&quantity=75&product=NRML")
                ->status,
            200);
  ASSERT_TRUE(WaitUntil([&] { return RestPositions(*sim).day.size() == 1; }, 3s));
  const kite::Position closed = RestPositions(*sim).net.at(0);
  EXPECT_EQ(closed.quantity, 0);
  EXPECT_DOUBLE_EQ(closed.pnl, 9000 - 75 * 130.05);  // bought at the offer
  EXPECT_DOUBLE_EQ(closed.m2m, 9375 - 75 * 130.05);
  EXPECT_FALSE(sim->Control("POST", "/_sim/start_of_day", {{"close", {{"NSE:NOPE", 1}}}}).ok());
}

TEST(SimAccountTest, SharesSoldFromHoldingsShowAsANegativeCncRow) {
  std::string yaml = ReadScenario("test_basic.yaml");
  yaml +=
      "holdings:\n  - {exchange: NSE, tradingsymbol: INFY, isin: INE009A01021, quantity: 100,"
      " average_price: 1400}\n";
  auto sim = StartSim(yaml);
  ASSERT_NE(sim, nullptr);
  const json listed = KiteCall(sim->port(), "GET", "/portfolio/holdings")->Json()["data"];
  const json mock = json::parse(ReadTestFixture("holdings.json"))["data"][0];
  for (const auto& [key, value] : mock.items()) {
    if (key == "mtf") continue;  // margin trading details: not modelled
    EXPECT_TRUE(listed[0].contains(key)) << key;
  }
  ASSERT_EQ(KiteCall(sim->port(), "POST", "/orders/regular",
                     "exchange=NSE&tradingsymbol=INFY&transaction_type=SELL&order_type=MARKET"
                     "&market_protection=-1&quantity=40&product=CNC")
                ->status,
            200);
  ASSERT_TRUE(WaitUntil([&] { return RestPositions(*sim).net.size() == 1; }, 3s));
  const kite::Position row = RestPositions(*sim).net[0];
  EXPECT_EQ(row.product, "CNC");
  EXPECT_EQ(row.quantity, -40);
  EXPECT_EQ(row.overnight_quantity, 0);
  auto holdings =
      kite::ParseHoldings(KiteCall(sim->port(), "GET", "/portfolio/holdings")->Json()["data"]);
  ASSERT_TRUE(holdings.ok());
  const kite::Holding& infy = holdings->at(0);
  EXPECT_EQ(infy.quantity, 100);
  EXPECT_EQ(infy.used_quantity, 40);
  EXPECT_EQ(infy.isin, "INE009A01021");
  EXPECT_EQ(infy.product, "CNC");
  EXPECT_DOUBLE_EQ(infy.pnl, 100 * (1500 - 1400.0));
  // The next day the sold shares have left the holding and no position is left.
  ASSERT_TRUE(sim->Control("POST", "/_sim/start_of_day", json::object()).ok());
  EXPECT_TRUE(RestPositions(*sim).net.empty());
  holdings =
      kite::ParseHoldings(KiteCall(sim->port(), "GET", "/portfolio/holdings")->Json()["data"]);
  EXPECT_EQ(holdings->at(0).quantity, 60);
  EXPECT_EQ(holdings->at(0).used_quantity, 0);
}

TEST(SimAccountTest, SessionsPerExchangeFollowTheSimulatorsClock) {
  auto sim = StartSim(ReadScenario("test_basic.yaml"));
  ASSERT_NE(sim, nullptr);
  const std::string nifty =
      "exchange=NFO&tradingsymbol=NIFTY26DEC24000CE&transaction_type=SELL&order_type=LIMIT"
      "&price=119&quantity=75&product=NRML";
  const std::string usdinr =
      "exchange=CDS&tradingsymbol=USDINR26DECFUT&transaction_type=BUY&order_type=LIMIT"
      "&price=84.25&quantity=1&product=NRML";
  auto post = [&](const std::string& form) {
    return KiteCall(sim->port(), "POST", "/orders/regular", form);
  };
  // The default clock is a trading time whatever the machine's time of day.
  EXPECT_EQ(post(nifty)->status, 200);
  auto night = sim->Control("POST", "/_sim/clock", {{"ist", "2026-11-26T02:00:00"}});
  ASSERT_TRUE(night.ok()) << night.status().ToString();
  EXPECT_EQ((*night)["ist"].get<std::string>().substr(0, 19), "2026-11-26T02:00:00");
  auto closed = post(nifty);
  EXPECT_EQ(closed->status, 400);
  EXPECT_EQ(closed->Json()["error_type"], "InputException");
  EXPECT_EQ(closed->Json()["message"], sim::kMarketClosedMessage);
  ASSERT_TRUE(sim->Control("POST", "/_sim/clock", {{"ist", "2026-11-26T16:00:00"}}).ok());
  EXPECT_EQ(post(nifty)->status, 400);
  EXPECT_EQ(post(usdinr)->status, 200);  // CDS until 17:00
  ASSERT_TRUE(sim->Control("POST", "/_sim/clock", {{"ist", "2026-11-28T10:30:00"}}).ok());
  EXPECT_EQ(post(nifty)->status, 400);  // a Saturday
  const json orders = (*sim->State())["orders"];
  EXPECT_EQ(orders.size(), 2u);
  EXPECT_EQ(orders[1]["order_timestamp"].get<std::string>().substr(0, 16),
            "2026-11-26 16:00");  // stamped by the simulator's clock
  // The order log keeps the machine's wall clock in at_ms and the simulator's in sim_at_ms.
  const json logged = sim->OrderLog().back();
  const int64_t wall = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  EXPECT_NEAR(logged["at_ms"].get<double>(), static_cast<double>(wall), 120'000.0);
  EXPECT_GE(logged["sim_at_ms"].get<int64_t>(), *sim::ParseIstDateTime("2026-11-28T10:30:00"));
  EXPECT_LT(logged["sim_at_ms"].get<int64_t>(), *sim::ParseIstDateTime("2026-11-28T10:35:00"));
  EXPECT_FALSE(sim->Control("POST", "/_sim/clock", {{"ist", "26/11/2026"}}).ok());
  ASSERT_TRUE(sim->Control("POST", "/_sim/clock", {{"default", true}}).ok());
  EXPECT_EQ(post(nifty)->status, 200);

  std::string yaml = ReadScenario("test_basic.yaml");
  yaml.insert(yaml.find("  circuit_percent"), "  sessions: false\n");
  auto always = StartSim(yaml);
  ASSERT_NE(always, nullptr);
  ASSERT_TRUE(always->Control("POST", "/_sim/clock", {{"ist", "2026-11-26T02:00:00"}}).ok());
  EXPECT_EQ(KiteCall(always->port(), "POST", "/orders/regular", nifty)->status, 200);
}

TEST(SimClockTest, DefaultIsTenThirtyIstOnAWeekdayAndSetsMove) {
  int64_t wall = *sim::ParseIstDateTime("2026-11-26T23:59:00");  // a Thursday night
  int64_t steady = 5000;
  sim::SimClock clock([&] { return wall; }, [&] { return steady; });
  EXPECT_EQ(clock.NowMs(), *sim::ParseIstDateTime("2026-11-26T10:30:00"));
  steady += 1500;
  EXPECT_EQ(clock.NowMs(), *sim::ParseIstDateTime("2026-11-26T10:30:01") + 500);
  clock.SetNow(*sim::ParseIstDateTime("2026-11-26T02:00"));
  EXPECT_EQ(clock.NowMs(), *sim::ParseIstDateTime("2026-11-26T02:00:00"));
  clock.SetWallOffset(-60'000);
  EXPECT_EQ(clock.NowMs(), wall - 60'000);
  EXPECT_EQ(sim::SimClock::DefaultTradingTime(*sim::ParseIstDateTime("2026-11-29T08:00:00")),
            *sim::ParseIstDateTime("2026-11-27T10:30:00"));  // Sunday -> Friday
  EXPECT_EQ(*sim::ParseIstDateTime("1970-01-01T05:30:00"), 0);
  EXPECT_FALSE(sim::ParseIstDateTime("2026-13-01T00:00:00"));
  EXPECT_FALSE(sim::ParseIstDateTime("2026-11-26 02:00:00"));
  EXPECT_TRUE(sim::InSession("MCX", *sim::ParseIstDateTime("2026-11-26T23:29:00")));
  EXPECT_FALSE(sim::InSession("MCX", *sim::ParseIstDateTime("2026-11-26T23:30:00")));
  EXPECT_FALSE(sim::InSession("NSE", *sim::ParseIstDateTime("2026-11-26T09:14:59")));
  EXPECT_TRUE(sim::InSession("BFO", *sim::ParseIstDateTime("2026-11-26T09:15:00")));
}

}  // namespace
}  // namespace zm::testing
