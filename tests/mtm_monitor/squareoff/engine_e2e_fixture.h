// The engine end to end against the simulator (in-process SimHarness) through RestKiteApi over
// HTTP, shared by engine_e2e_test.cc and engine_oms_e2e_test.cc: starts the simulator, makes an
// engine (a "restarted monitor" is just another MakeEngine()), drives its coroutines, and checks
// the simulator's own state (flat, no tag twice).
#pragma once

#include <SQLiteCpp/Database.h>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <iostream>
#include <map>
#include <set>

#include "common/net/http_client.h"
#include "common/net/kite_rest_api.h"
#include "common/trading_db.h"
#include "mtm_monitor/squareoff/engine.h"
#include "support/sim_harness.h"

namespace zm::monitor {

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
                               {{"exchange", exchange},
                                {"tradingsymbol", symbol},
                                {"product", product},
                                {"quantity", qty},
                                {"price", price}});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }

  // test_basic's settings with 20 NIFTY calls, each a +-3600 NRML position (two 1800 slices).
  static std::string TwentyPositionScenario() {
    std::string scenario = zm::testing::ReadScenario("test_basic.yaml");
    scenario = scenario.substr(0, scenario.find("instruments:"));
    scenario += "instruments:\n";
    std::string positions = "positions:\n";
    for (int i = 0; i < 20; ++i) {
      std::string symbol = fmt::format("NIFTY26DEC{}CE", 22000 + 100 * i);
      scenario += fmt::format(
          "  - {{exchange: NFO, tradingsymbol: {}, name: NIFTY, exchange_token: {}, "
          "instrument_type: CE, segment: NFO-OPT, expiry: \"2026-12-29\", strike: {}, "
          "lot_size: 75, tick_size: 0.05, price: 100.0}}\n",
          symbol, 70000 + i, 22000 + 100 * i);
      positions += fmt::format(
          "  - {{exchange: NFO, tradingsymbol: {}, product: NRML, quantity: {}, "
          "price: 100.0}}\n",
          symbol, i % 2 ? 3600 : -3600);
    }
    return scenario + positions + "faults: []\n";
  }

  // Squares off the 20-position book already loaded in the simulator, checks that it ends flat
  // with exactly 40 orders, and prints / records breach -> first order and -> verified flat.
  void SquareOffAndMeasureTwentyPositions(const std::string& label) {
    MakeEngine();
    const long long start_ms = ToEpochMs(clock_.Now());
    auto outcome = SquareOff();
    const long long flat_ms = ToEpochMs(clock_.Now());
    ASSERT_TRUE(outcome.ok() && outcome->flat) << outcome.status().ToString();
    ExpectFlatAndNoDuplicateTags();
    // Exactly 40 orders reach the book. On a loaded machine requests the pacer spaced apart can
    // reach the simulator bunched within its 1 s window and get 429 (no order is made, the
    // engine sends again): allowed, and nothing else is.
    std::vector<Json> posts;
    for (const Json& post : OrderPosts()) {
      if (post["http_status"] == 200) {
        posts.push_back(post);
      } else {
        EXPECT_EQ(post["http_status"], 429) << post.dump();
      }
    }
    ASSERT_EQ(posts.size(), 40u);
    const long long first_ms = posts.front()["at_ms"].get<long long>();
    std::cout << fmt::format(
        "[measure] {}: breach->first order {} ms, breach->verified flat {} ms, first->last "
        "order {} ms\n",
        label, first_ms - start_ms, flat_ms - start_ms,
        posts.back()["at_ms"].get<long long>() - first_ms);
    RecordProperty("breach_to_first_order_ms", static_cast<int>(first_ms - start_ms));
    RecordProperty("breach_to_flat_ms", static_cast<int>(flat_ms - start_ms));
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
    auto out = Drive(engine_->Run({"loss", kDay, clock_.Now(), -10000, {}, nullptr}));
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

}  // namespace zm::monitor
