// Test fixture: the simulator in-process (SimHarness) and the REAL zerodha_ltp_subscriber
// binary as a child process, reading zerodha_trading.db read-only like the monitor does.
// Every wait is bounded. One fixture per test; used from the test thread only.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "common/trading_db.h"
#include "support/sim_harness.h"

namespace zm::ltp::testing {

// Instrument tokens of scenarios/test_basic.yaml (exchange_token * 256 + segment).
inline constexpr uint32_t kNiftyCe = 50001 * 256 + 2;
inline constexpr uint32_t kNiftyPe = 50002 * 256 + 2;
inline constexpr uint32_t kBankNiftyCe = 50101 * 256 + 2;
inline constexpr uint32_t kSensexCe = 60001 * 256 + 5;
inline constexpr uint32_t kInfy = 1594 * 256 + 1;
inline constexpr uint32_t kUsdInr = 10001 * 256 + 3;

// test_basic.yaml with `positions_yaml` (YAML list items, one per line) as starting positions.
std::string ScenarioWithPositions(const std::string& positions_yaml);

// `count` NFO options NIFTY26DEC<20000+i>CE (exchange_token kFirstExchangeToken + i), a short
// position in each; all but the first move by a random walk every 100 ms tick.
inline constexpr uint32_t kFirstExchangeToken = 70000;
std::string ManyInstrumentsScenario(int count);

class SubscriberSimTest : public ::testing::Test {
 protected:
  void TearDown() override;

  // Starts the simulator; fails the test when it cannot.
  void StartSim(const std::string& scenario_yaml);
  // Writes the config (extra YAML merged) and starts the binary.
  void StartSubscriber(const std::string& extra_yaml = "");

  std::map<uint32_t, LtpRow> Ltps();
  std::optional<LtpRow> Ltp(uint32_t token);
  std::optional<std::string> Meta(const std::string& key);
  nlohmann::json HeartbeatDetails();
  PositionsSnapshot Positions();
  nlohmann::json Stats();

  // Waits until `token`'s stored last price equals `price` (within 1e-6).
  bool WaitForPrice(uint32_t token, double price, std::chrono::milliseconds timeout);
  bool WaitConnected(std::chrono::milliseconds timeout);

  std::filesystem::path dir_;
  std::filesystem::path config_path_;
  std::unique_ptr<zm::testing::SimHarness> sim_;
  std::unique_ptr<zm::testing::ChildProcess> child_;
};

}  // namespace zm::ltp::testing
