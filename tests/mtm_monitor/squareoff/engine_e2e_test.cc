// The square-off engine end to end against the simulator (in-process SimHarness), through
// RestKiteApi over HTTP: asserts on the simulator's order log and final positions.
#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <fmt/format.h>
#include <iostream>
#include <map>
#include <set>

#include "common/kite/kite_api.h"
#include "common/net/http_client.h"
#include "common/trading_db.h"
#include "mtm_monitor/squareoff/engine.h"
#include "support/sim_harness.h"

namespace zm::monitor {
namespace {

using Json = nlohmann::json;
constexpr const char* kDay = "2026-11-26";

class SquareOffE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = zm::testing::MakeTempDir("engine_e2e");
    config_.data_dir = dir_;
    config_.risk_management.order_retry_delay = 0.2;
    config_.instruments["NIFTY"].volume_freeze_quantity = 1800;
    config_.instruments["BANKNIFTY"].volume_freeze_quantity = 900;
    config_.risk_management.unknown_order_absence_seconds = 2;
    config_.risk_management.positions_lag_max_seconds = 3;
    timing_.poll_interval = std::chrono::milliseconds(100);
    timing_.positions_interval = std::chrono::milliseconds(100);
    timing_.rest_timeout = std::chrono::milliseconds(600);
    timing_.reprice_interval = std::chrono::milliseconds(300);
    timing_.run_timeout = std::chrono::seconds(40);
    timing_.cancel_wait = std::chrono::milliseconds(2000);
  }

  void StartSim(const std::string& scenario) {
    auto harness = zm::testing::SimHarness::Start(scenario);
    ASSERT_TRUE(harness.ok()) << harness.status().ToString();
    harness_ = std::move(*harness);
  }
  void StartBasicSim() { StartSim(zm::testing::ReadScenario("test_basic.yaml")); }

  void AddPosition(std::string exchange, std::string symbol, std::string product, long long qty,
                   double price = 100) {
    auto r = harness_->Control("POST", "/_sim/position",
                               {{"exchange", exchange}, {"tradingsymbol", symbol},
                                {"product", product}, {"quantity", qty}, {"price", price}});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }

  // A fresh engine (a restarted monitor): its own HTTP client, same zerodha_mtm.db file.
  void MakeEngine(std::chrono::milliseconds request_timeout = std::chrono::milliseconds(3000)) {
    engine_.reset();
    api_.reset();
    if (!tls_) tls_ = *net::MakeClientTlsContext();
    net::HttpClientOptions options;
    options.phase_timeout = request_timeout;
    auto http = net::HttpClient::Create(io_.get_executor(), *tls_, harness_->rest_url(), options);
    ASSERT_TRUE(http.ok()) << http.status().ToString();
    api_ = std::make_unique<kite::RestKiteApi>(std::move(*http), "sim_key", Secret("sim_token"));
    if (!db_) {
      db_ = std::make_unique<SQLite::Database>((dir_ / "zerodha_mtm.db").string(),
                                               SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      db_->exec("PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;");
    }
    engine_ = std::make_unique<SquareOffEngine>(*api_, *db_, config_, clock_, mono_);
    engine_->set_timing(timing_);
    ASSERT_TRUE(engine_->Init().ok());
    auto refreshed = Drive(engine_->RefreshInstruments(kDay));
    ASSERT_TRUE(refreshed && refreshed->ok()) << (refreshed ? refreshed->ToString() : "timeout");
  }

  template <typename T>
  std::optional<T> Drive(boost::asio::awaitable<T> task,
                         std::chrono::seconds timeout = std::chrono::seconds(60)) {
    std::optional<T> out;
    boost::asio::co_spawn(
        io_, [&]() -> boost::asio::awaitable<void> { out.emplace(co_await std::move(task)); },
        boost::asio::detached);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!out && std::chrono::steady_clock::now() < deadline) {
      io_.restart();
      io_.run_for(std::chrono::milliseconds(50));
    }
    return out;
  }

  // The trader's stop-loss BUY 75 on the short PE, placed in the app before the breach.
  std::string PlaceStop() {
    kite::OrderRequest sl;
    sl.exchange = "NFO";
    sl.tradingsymbol = "NIFTY26DEC24000PE";
    sl.transaction_type = "BUY";
    sl.order_type = "SL-M";
    sl.product = "NRML";
    sl.quantity = 75;
    sl.trigger_price = 150;
    sl.market_protection = -1;
    auto id = Drive(api_->PlaceOrder(sl));
    EXPECT_TRUE(id && id->ok()) << (id ? id->status().ToString() : "timeout");
    return id && id->ok() ? **id : "";
  }

  Result<SquareOffOutcome> SquareOff() {
    auto out = Drive(engine_->Run({"loss", kDay, clock_.Now(), -10000}));
    if (!out) return InternalError("square-off did not finish in time");
    return std::move(*out);
  }

  std::vector<Json> OrderPosts() {
    std::vector<Json> posts;
    for (auto& r : harness_->OrderLog())
      if (r["method"] == "POST") posts.push_back(r);
    return posts;
  }

  // Every net position in the simulator is zero; and no tag was ever used twice.
  void ExpectFlatAndNoDuplicateTags() {
    auto state = harness_->State();
    ASSERT_TRUE(state.ok());
    for (auto& p : (*state)["positions"]["net"]) {
      EXPECT_EQ(p["quantity"].get<long long>(), 0) << p["tradingsymbol"];
    }
    std::map<std::string, int> by_tag;
    for (auto& o : (*state)["orders"])
      if (o.contains("tag") && o["tag"].is_string()) ++by_tag[o["tag"].get<std::string>()];
    for (auto& [tag, n] : by_tag) EXPECT_EQ(n, 1) << "tag sent twice: " << tag;
  }

  std::filesystem::path dir_;
  Config config_;
  EngineTiming timing_;
  RealClock clock_;
  RealMonoClock mono_;
  boost::asio::io_context io_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  std::unique_ptr<zm::testing::SimHarness> harness_;
  std::unique_ptr<kite::RestKiteApi> api_;
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<SquareOffEngine> engine_;
};

TEST_F(SquareOffE2eTest, LossBreachClosesMixedBookShortsFirstInFreezeSlices) {
  StartBasicSim();
  AddPosition("NFO", "NIFTY26DEC24000CE", "NRML", 150);
  AddPosition("NFO", "NIFTY26DEC24000PE", "MIS", -3750);
  AddPosition("NFO", "BANKNIFTY26DEC52000CE", "NRML", -1050);
  MakeEngine();
  auto outcome = SquareOff();
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_TRUE(outcome->flat) << outcome->summary;
  ExpectFlatAndNoDuplicateTags();
  auto posts = OrderPosts();
  ASSERT_EQ(posts.size(), 6u);  // PE 1800+1800+150, BANKNIFTY 875+175, CE 150
  std::map<std::string, std::string> product = {{"NIFTY26DEC24000CE", "NRML"},
                                                {"NIFTY26DEC24000PE", "MIS"},
                                                {"BANKNIFTY26DEC52000CE", "NRML"}};
  for (size_t i = 0; i < posts.size(); ++i) {
    const Json& p = posts[i]["params"];
    EXPECT_EQ(posts[i]["http_status"], 200) << posts[i].dump();
    EXPECT_EQ(p["transaction_type"], i < 5 ? "BUY" : "SELL") << i;
    EXPECT_EQ(p["order_type"], "MARKET");
    EXPECT_EQ(p["market_protection"], "-1");
    EXPECT_EQ(p["product"], product[p["tradingsymbol"]]);
    long long qty = std::stoll(p["quantity"].get<std::string>());
    EXPECT_LE(qty, p["tradingsymbol"].get<std::string>().rfind("BANK", 0) == 0 ? 900 : 1800);
  }
}

TEST_F(SquareOffE2eTest, DryRunSendsNothingToTheBroker) {
  config_.risk_management.dry_run = true;
  StartBasicSim();
  AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -3750);
  AddPosition("NSE", "INFY", "CNC", 50, 1500);
  MakeEngine();
  auto outcome = SquareOff();
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_TRUE(outcome->dry_run);
  // Nothing reached the broker: no order request of any kind (place, modify or cancel).
  EXPECT_TRUE(harness_->OrderLog().empty()) << Json(harness_->OrderLog()).dump();
  auto state = harness_->State();
  ASSERT_TRUE(state.ok());
  long long open = 0;
  for (auto& p : (*state)["positions"]["net"]) open += p["quantity"].get<long long>() != 0;
  EXPECT_EQ(open, 2);
  // ... but the journal shows what would have been sent: the short first, in freeze slices.
  auto day = engine_->DaySquareOffsJson(kDay);
  ASSERT_TRUE(day.ok());
  ASSERT_EQ(day->size(), 1u);
  const Json& orders = (*day)[0]["orders"];
  ASSERT_EQ(orders.size(), 4u) << day->dump();  // 1800 + 1800 + 150 BUY, then 50 SELL
  EXPECT_EQ(orders[0]["transaction_type"], "BUY");
  EXPECT_EQ(orders[3]["tradingsymbol"], "INFY");
}

TEST_F(SquareOffE2eTest, ServiceUnavailableThenSuccess) {
  StartBasicSim();
  AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -150);
  MakeEngine();
  ASSERT_TRUE(harness_->Fault({{"kind", "http_error"}, {"endpoint", "POST /orders"},
                               {"status", 503}, {"count", 1}}).ok());
  auto outcome = SquareOff();
  ASSERT_TRUE(outcome.ok() && outcome->flat) << outcome.status().ToString();
  ExpectFlatAndNoDuplicateTags();
  auto posts = OrderPosts();
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[0]["http_status"], 503);
  EXPECT_EQ(posts[1]["http_status"], 200);
}

TEST_F(SquareOffE2eTest, PostThatTimedOutAfterCreatingIsNotDuplicated) {
  StartBasicSim();
  AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -150);
  MakeEngine(std::chrono::milliseconds(700));
  ASSERT_TRUE(harness_->Fault({{"kind", "order_hang"}, {"count", 1}, {"seconds", 3}}).ok());
  auto outcome = SquareOff();
  ASSERT_TRUE(outcome.ok() && outcome->flat) << outcome.status().ToString();
  ExpectFlatAndNoDuplicateTags();
  auto state = harness_->State();
  ASSERT_TRUE(state.ok());
  int created = 0;
  for (auto& o : (*state)["orders"])
    if (o["tag"].is_string() && o["tag"].get<std::string>().rfind("ZM", 0) == 0) ++created;
  EXPECT_EQ(created, 1);
}

TEST_F(SquareOffE2eTest, RateLimitedRequestsArePacedOut) {
  StartBasicSim();
  AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -150);
  AddPosition("NFO", "NIFTY26DEC24000CE", "NRML", 75);
  MakeEngine();
  ASSERT_TRUE(harness_->Fault({{"kind", "http_error"}, {"endpoint", "POST /orders"},
                               {"status", 429}, {"count", 2}}).ok());
  auto outcome = SquareOff();
  ASSERT_TRUE(outcome.ok() && outcome->flat) << outcome.status().ToString();
  ExpectFlatAndNoDuplicateTags();
  auto posts = OrderPosts();
  ASSERT_EQ(posts.size(), 4u) << Json(posts).dump();
  EXPECT_EQ(posts[0]["http_status"], 429);
  EXPECT_EQ(posts[1]["http_status"], 429);
  EXPECT_GE(posts[2]["at_ms"].get<long long>() - posts[1]["at_ms"].get<long long>(), 400);
}

TEST_F(SquareOffE2eTest, StockOptionMarketRefusedLimitFallbackFilled) {
  StartBasicSim();
  AddPosition("NFO", "RELIANCE26DEC1500CE", "NRML", -1000, 22.4);
  MakeEngine();
  auto outcome = SquareOff();
  ASSERT_TRUE(outcome.ok() && outcome->flat) << outcome.status().ToString();
  ExpectFlatAndNoDuplicateTags();
  auto posts = OrderPosts();
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[0]["params"]["order_type"], "MARKET");
  EXPECT_EQ(posts[1]["params"]["order_type"], "LIMIT");
  double price = std::stod(posts[1]["params"]["price"].get<std::string>());
  EXPECT_GT(price, 22.4);  // a BUY through the market
  EXPECT_EQ(posts[1]["params"].count("market_protection"), 0u);
}

TEST_F(SquareOffE2eTest, PartialFillRemainderClosed) {
  StartBasicSim();
  AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -300);
  MakeEngine();
  ASSERT_TRUE(harness_->Fault({{"kind", "partial_fill"}, {"fraction", 0.5}}).ok());
  auto outcome = SquareOff();
  ASSERT_TRUE(outcome.ok() && outcome->flat) << outcome.status().ToString();
  ExpectFlatAndNoDuplicateTags();
  bool cancelled = false;
  for (auto& r : harness_->OrderLog()) cancelled = cancelled || r["method"] == "DELETE";
  EXPECT_TRUE(cancelled);
}

TEST_F(SquareOffE2eTest, StopKnownFromStoredUpdatesIsCancelledBeforeItsExit) {
  StartBasicSim();
  AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -75, 95.5);
  AddPosition("NFO", "NIFTY26DEC24000CE", "NRML", 75, 120);
  MakeEngine();
  const std::string stop = PlaceStop();
  // The subscriber stored the stop's order update (WebSocket), so the engine knows it at once.
  auto db = TradingDb::Open(dir_ / "zerodha_trading.db", /*read_only=*/false);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  auto book = Drive(api_->GetOrders());
  ASSERT_TRUE(book && book->ok());
  for (const auto& order : **book) {
    ASSERT_TRUE((*db)->InsertOrderUpdate(order, ToEpochMs(clock_.Now())).ok());
  }
  engine_->set_trading_db(db->get());
  auto outcome = SquareOff();
  ASSERT_TRUE(outcome.ok() && outcome->flat) << outcome.status().ToString();
  auto log = harness_->OrderLog();
  int delete_at = -1, pe_post_at = -1;
  for (size_t i = 0; i < log.size(); ++i) {
    if (log[i]["method"] == "DELETE" && log[i]["path"].get<std::string>().find(stop) != std::string::npos)
      delete_at = static_cast<int>(i);
    if (log[i]["method"] == "POST" && log[i]["params"]["tradingsymbol"] == "NIFTY26DEC24000PE" &&
        log[i]["params"].value("tag", "").rfind("ZM", 0) == 0 && pe_post_at < 0)
      pe_post_at = static_cast<int>(i);
  }
  ASSERT_GE(delete_at, 0) << Json(log).dump();
  ASSERT_GE(pe_post_at, 0);
  EXPECT_LT(delete_at, pe_post_at) << "the stop is cancelled before its instrument's exit";
  ExpectFlatAndNoDuplicateTags();
}

TEST_F(SquareOffE2eTest, StopSeenOnlyInTheBookIsCancelledRightAfterTheExits) {
  StartBasicSim();
  AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -75, 95.5);
  MakeEngine();
  const std::string stop = PlaceStop();
  auto outcome = SquareOff();
  ASSERT_TRUE(outcome.ok() && outcome->flat) << outcome.status().ToString();
  bool cancelled = false;
  for (auto& r : harness_->OrderLog()) {
    cancelled = cancelled || (r["method"] == "DELETE" &&
                              r["path"].get<std::string>().find(stop) != std::string::npos);
  }
  EXPECT_TRUE(cancelled);
  ExpectFlatAndNoDuplicateTags();
}

TEST_F(SquareOffE2eTest, MeasureTwentyPositionsFortySlices) {
  std::string scenario = zm::testing::ReadScenario("test_basic.yaml");
  scenario = scenario.substr(0, scenario.find("instruments:"));
  scenario += "instruments:\n";
  std::string positions = "positions:\n";
  for (int i = 0; i < 20; ++i) {
    std::string symbol = fmt::format("NIFTY26DEC{}CE", 22000 + 100 * i);
    scenario += fmt::format(
        "  - {{exchange: NFO, tradingsymbol: {}, name: NIFTY, exchange_token: {}, "
        "instrument_type: CE, segment: NFO-OPT, expiry: \"2026-12-29\", strike: {}, lot_size: 75, "
        "tick_size: 0.05, price: 100.0}}\n",
        symbol, 70000 + i, 22000 + 100 * i);
    positions += fmt::format("  - {{exchange: NFO, tradingsymbol: {}, product: NRML, quantity: {}, "
                             "price: 100.0}}\n", symbol, i % 2 ? 3600 : -3600);
  }
  scenario += positions + "faults: []\n";
  StartSim(scenario);
  MakeEngine();
  const long long start_ms = ToEpochMs(clock_.Now());
  auto outcome = SquareOff();
  const long long flat_ms = ToEpochMs(clock_.Now());
  ASSERT_TRUE(outcome.ok() && outcome->flat) << outcome.status().ToString();
  ExpectFlatAndNoDuplicateTags();
  auto posts = OrderPosts();
  ASSERT_EQ(posts.size(), 40u);
  const long long first_ms = posts.front()["at_ms"].get<long long>();
  std::cout << fmt::format("[measure] 20 positions / 40 slices: breach->first order {} ms, "
                           "breach->verified flat {} ms, first->last order {} ms\n",
                           first_ms - start_ms, flat_ms - start_ms,
                           posts.back()["at_ms"].get<long long>() - first_ms);
  RecordProperty("breach_to_first_order_ms", static_cast<int>(first_ms - start_ms));
  RecordProperty("breach_to_flat_ms", static_cast<int>(flat_ms - start_ms));
}

}  // namespace
}  // namespace zm::monitor
