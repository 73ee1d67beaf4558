// The fixture of the monitor's end-to-end tests (cycle_e2e_*_test.cc): the in-process
// simulator, the real zerodha_mtm_monitor binary as a child process, and helpers that read the
// simulator's order log and state and the monitor's zerodha_mtm.db. Not in an anonymous
// namespace: one fixture type for every test file of the binary (gtest requires it).
// Thread-safety: used from the test thread only.
#pragma once

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "common/monitor_snapshot.h"
#include "support/sim_harness.h"

namespace zm::testing {

using std::chrono::milliseconds;
using std::chrono::seconds;

inline constexpr const char* kCe = "NIFTY26DEC24000CE";
inline constexpr const char* kPe = "NIFTY26DEC24000PE";
inline constexpr const char* kBank = "BANKNIFTY26DEC52000CE";

class CycleE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sim = SimHarness::Start(ReadScenario("test_basic.yaml"));
    ASSERT_TRUE(sim.ok()) << sim.status().ToString();
    sim_ = std::move(sim).value();
    dir_ = MakeTempDir("cycle_e2e");
  }
  void TearDown() override {
    if (monitor_) StopMonitor();
    sim_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Trade(const std::string& exchange, const std::string& symbol, long long qty, double price) {
    auto r = sim_->Control("POST", "/_sim/position",
                           {{"exchange", exchange},
                            {"tradingsymbol", symbol},
                            {"product", "NRML"},
                            {"quantity", qty},
                            {"price", price}});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  void StartMonitor(const std::string& extra_yaml) {
    config_ = WriteSuiteConfig(dir_, *sim_, extra_yaml);
    auto child =
        ChildProcess::Start(BinaryPath("zerodha_mtm_monitor"), {"--config", config_.string()},
                            {{"ZM_SUPERVISED", "1"}}, dir_ / ("out" + std::to_string(++starts_)));
    ASSERT_TRUE(child.ok()) << child.status().ToString();
    monitor_ = std::move(child).value();
  }
  void StopMonitor() {
    ASSERT_TRUE(monitor_->Signal(SIGTERM));
    auto code = monitor_->WaitExit(seconds(40));
    EXPECT_EQ(code, std::optional<int>(0)) << monitor_->ReadStderr();
    monitor_.reset();
  }
  bool StdoutHas(const std::string& text) {
    return monitor_ && monitor_->ReadStdout().find(text) != std::string::npos;
  }
  // Order POSTs for `symbol` with `side` in the simulator's order log.
  int OrdersFor(const std::string& symbol, const std::string& side) {
    int n = 0;
    for (const auto& r : sim_->OrderLog()) {
      if (r.value("method", "") != "POST" || !r.contains("params")) continue;
      const auto& p = r["params"];
      if (p.value("tradingsymbol", "") == symbol && p.value("transaction_type", "") == side) ++n;
    }
    return n;
  }
  long long NetQuantity(const std::string& symbol) {
    auto state = sim_->State();
    if (!state.ok()) return -1;
    long long qty = 0;
    for (const auto& p : (*state)["positions"]["net"]) {
      if (p.value("tradingsymbol", "") == symbol) qty += p.value("quantity", 0LL);
    }
    return qty;
  }
  std::optional<nlohmann::json> Snapshot() {
    try {
      SQLite::Database db((dir_ / "zerodha_mtm.db").string(), SQLite::OPEN_READONLY);
      auto snap = ReadMonitorSnapshot(db);
      if (snap.ok()) return *snap;
    } catch (const std::exception&) {
    }
    return std::nullopt;
  }
  int CountRows(const std::string& sql) {
    try {
      SQLite::Database db((dir_ / "zerodha_mtm.db").string(), SQLite::OPEN_READONLY);
      return db.execAndGet(sql).getInt();
    } catch (const std::exception&) {
      return -1;
    }
  }

  std::unique_ptr<SimHarness> sim_;
  std::filesystem::path dir_, config_;
  std::unique_ptr<ChildProcess> monitor_;
  int starts_ = 0;
};

}  // namespace zm::testing
