// Exactly-once across a real process kill: the real zerodha_mtm_monitor (with the real
// zerodha_ltp_subscriber writing zerodha_trading.db) starts a multi-slice square-off against
// the in-process simulator, is SIGKILLed while its orders are in flight, and a fresh monitor
// process finishes the job. Asserts on the simulator's order log and state: the book ends flat,
// no tag reached the broker twice, and no more was filled than the position (no over-close).
#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "support/sim_harness.h"

namespace zm::testing {
namespace {

using Json = nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr const char* kPe = "NIFTY26DEC24000PE";  // short 5400: 3 BUY slices of 1800
constexpr const char* kCe = "NIFTY26DEC24000CE";  // long 3600: 2 SELL slices of 1800
constexpr long long kPeQty = -5400;
constexpr long long kCeQty = 3600;

// Every wait in this file is bounded by this (the machine may be loaded).
constexpr seconds kWait(60);

class KillResumeE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string scenario = ReadScenario("test_basic.yaml");
    const std::string marker = "positions: []";
    const size_t at = scenario.find(marker);
    ASSERT_NE(at, std::string::npos);
    scenario.replace(at, marker.size(),
                     "positions:\n"
                     "  - {exchange: NFO, tradingsymbol: NIFTY26DEC24000PE, product: NRML, "
                     "quantity: -5400, price: 95.5}\n"
                     "  - {exchange: NFO, tradingsymbol: NIFTY26DEC24000CE, product: NRML, "
                     "quantity: 3600, price: 120.0}");
    auto sim = SimHarness::Start(scenario);
    ASSERT_TRUE(sim.ok()) << sim.status().ToString();
    sim_ = std::move(sim).value();
    dir_ = MakeTempDir("kill_resume_e2e");
    // request_timeout 2 s (the default): an order_hang of 6 s leaves the POST outcome unknown.
    config_ = WriteSuiteConfig(dir_, *sim_, "trading: {mtm_check_interval: 0.25}\n");
    ASSERT_FALSE(config_.empty());
  }
  void TearDown() override {
    monitor_.reset();  // SIGKILLs whatever is left
    subscriber_.reset();
    sim_.reset();
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<ChildProcess> Start(const std::string& binary, const std::string& out) {
    auto child = ChildProcess::Start(BinaryPath(binary), {"--config", config_.string()},
                                     {{"ZM_SUPERVISED", "1"}}, dir_ / out);
    EXPECT_TRUE(child.ok()) << child.status().ToString();
    return child.ok() ? std::move(child).value() : nullptr;
  }
  void StartMonitor() {
    monitor_ = Start("zerodha_mtm_monitor", "monitor" + std::to_string(++starts_));
  }
  bool StdoutHas(const std::string& text) {
    return monitor_ && monitor_->ReadStdout().find(text) != std::string::npos;
  }
  std::string MonitorOutput() {
    return monitor_ ? monitor_->ReadStdout().substr(0, 4000) + "\n--- stderr ---\n" +
                          monitor_->ReadStderr().substr(0, 8000)
                    : "(no monitor)";
  }

  std::vector<Json> Posts() {
    std::vector<Json> posts;
    for (auto& r : sim_->OrderLog())
      if (r.value("method", "") == "POST") posts.push_back(r);
    return posts;
  }
  long long NetQuantity(const std::string& symbol) {
    auto state = sim_->State();
    if (!state.ok()) return -1;
    long long qty = 0;
    for (const auto& p : (*state)["positions"]["net"])
      if (p.value("tradingsymbol", "") == symbol) qty += p.value("quantity", 0LL);
    return qty;
  }
  int CountRows(const std::string& sql) {
    try {
      SQLite::Database db((dir_ / "zerodha_mtm.db").string(), SQLite::OPEN_READONLY);
      return db.execAndGet(sql).getInt();
    } catch (const std::exception&) {
      return -1;
    }
  }
  bool Flat() { return NetQuantity(kPe) == 0 && NetQuantity(kCe) == 0; }

  // Starts both processes with the book priced at cost, waits until the monitor sees it, then
  // makes orders slow with `faults` and breaches the loss threshold.
  void BreachWithSlowOrders(const std::vector<Json>& faults) {
    subscriber_ = Start("zerodha_ltp_subscriber", "subscriber");
    ASSERT_TRUE(subscriber_);
    StartMonitor();
    ASSERT_TRUE(monitor_);
    ASSERT_TRUE(WaitUntil([&] { return StdoutHas("state=monitoring positions=2"); }, kWait,
                          milliseconds(100)))
        << MonitorOutput() << subscriber_->ReadStderr();
    for (const auto& fault : faults) ASSERT_TRUE(sim_->Fault(fault).ok()) << fault.dump();
    // MTM -5400 * 4.5 = -24,300 <= -5,000.
    ASSERT_TRUE(sim_->SetPrice(std::string("NFO:") + kPe, 100).ok());
  }

  // SIGKILLs the monitor once the simulator has received `posts` order POSTs.
  void KillAfterPosts(size_t posts) {
    ASSERT_TRUE(WaitUntil([&] { return Posts().size() >= posts; }, kWait, milliseconds(10)))
        << MonitorOutput();
    ASSERT_TRUE(monitor_->Signal(SIGKILL));
    ASSERT_EQ(monitor_->WaitExit(seconds(10)), std::optional<int>(128 + SIGKILL));
    std::cout << "[kill] monitor killed after " << Posts().size() << " order POST(s)\n";
    monitor_.reset();
  }

  // A fresh monitor finishes the square-off; then the exactly-once checks.
  void RestartAndExpectExactlyOnce() {
    StartMonitor();
    ASSERT_TRUE(monitor_);
    ASSERT_TRUE(WaitUntil([&] { return Flat(); }, kWait, milliseconds(100))) << MonitorOutput();
    // Let the resumed engine finish verifying; a duplicate sent late would show up here.
    ASSERT_TRUE(WaitUntil(
        [&] {
          return CountRows("SELECT COUNT(*) FROM squareoffs") > 0 &&
                 CountRows("SELECT COUNT(*) FROM squareoffs WHERE outcome <> 'flat'") == 0;
        },
        kWait, milliseconds(100)))
        << MonitorOutput();
    std::this_thread::sleep_for(milliseconds(1500));
    ExpectExactlyOnce();
    // A figure for the report: how many orders the WebSocket updates ended (not asserted: the
    // order book poll may win the race).
    std::ifstream log(dir_ / "mtm_monitor.log");
    int by_websocket = 0;
    for (std::string line; std::getline(log, line);)
      by_websocket += line.find("COMPLETE on the WebSocket") != std::string::npos;
    std::cout << "[kill] orders ended by a stored WebSocket update: " << by_websocket << "\n";
    ASSERT_TRUE(monitor_->Signal(SIGTERM));
    EXPECT_EQ(monitor_->WaitExit(seconds(40)), std::optional<int>(0)) << MonitorOutput();
  }

  void ExpectExactlyOnce() {
    EXPECT_TRUE(Flat());
    std::map<std::string, int> posted;
    for (const auto& post : Posts()) {
      const Json& params = post["params"];
      ASSERT_TRUE(params.contains("tag")) << post.dump();
      ++posted[params["tag"].get<std::string>()];
    }
    for (const auto& [tag, n] : posted) EXPECT_EQ(n, 1) << "tag POSTed " << n << " times: " << tag;
    auto state = sim_->State();
    ASSERT_TRUE(state.ok());
    std::map<std::string, int> in_book;
    std::map<std::string, long long> filled;  // "SYM SIDE" -> filled quantity of our orders
    for (const auto& order : (*state)["orders"]) {
      if (!order.contains("tag") || !order["tag"].is_string()) continue;
      ++in_book[order["tag"].get<std::string>()];
      filled[order.value("tradingsymbol", "") + " " + order.value("transaction_type", "")] +=
          order.value("filled_quantity", 0LL);
    }
    for (const auto& [tag, n] : in_book) EXPECT_EQ(n, 1) << "tag in the book twice: " << tag;
    EXPECT_EQ(filled[std::string(kPe) + " BUY"], -kPeQty);
    EXPECT_EQ(filled[std::string(kCe) + " SELL"], kCeQty);
    EXPECT_EQ(filled[std::string(kPe) + " SELL"], 0);  // never the wrong way
    EXPECT_EQ(filled[std::string(kCe) + " BUY"], 0);
  }

  std::unique_ptr<SimHarness> sim_;
  std::filesystem::path dir_, config_;
  std::unique_ptr<ChildProcess> monitor_, subscriber_;
  int starts_ = 0;
};

// Killed while the first order's POST is held by the broker (the order exists, its answer was
// never journaled): the restart must find it by tag, not send the slice again.
TEST_F(KillResumeE2eTest, KilledWhileFirstPostIsInFlight) {
  BreachWithSlowOrders({{{"kind", "order_hang"}, {"count", 1}, {"seconds", 6}}});
  KillAfterPosts(1);
  RestartAndExpectExactlyOnce();
}

// Killed with several orders resting OPEN at the broker; they fill only after the restart
// (orders_rest off), while the new monitor reconciles them by tag.
TEST_F(KillResumeE2eTest, KilledWithOrdersRestingAtTheBroker) {
  BreachWithSlowOrders({{{"kind", "orders_rest"}, {"on", true}}});
  KillAfterPosts(3);
  ASSERT_TRUE(sim_->Fault({{"kind", "clear"}}).ok());
  RestartAndExpectExactlyOnce();
}

// Killed twice: during the first attempt and again during the resume.
TEST_F(KillResumeE2eTest, KilledTwice) {
  BreachWithSlowOrders({{{"kind", "order_hang"}, {"count", 2}, {"seconds", 6}},
                        {{"kind", "orders_rest"}, {"on", true}}});
  KillAfterPosts(1);
  StartMonitor();
  ASSERT_TRUE(monitor_);
  KillAfterPosts(3);
  ASSERT_TRUE(sim_->Fault({{"kind", "clear"}}).ok());
  RestartAndExpectExactlyOnce();
}

}  // namespace
}  // namespace zm::testing
