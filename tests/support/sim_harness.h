// The suite's test harness (docs/ARCHITECTURE.md, "Test harness"):
//  - SimHarness: the Kite simulator in-process on its own thread and io_context, port 0, with a
//    blocking, bounded control client (Control, OrderLog and shortcuts).
//  - WriteSuiteConfig(): a config.yaml + access token file pointing at a harness.
//  - WaitUntil(): bounded polling. ChildProcess (child_process.h) and the loopback clients
//    (test_clients.h) are included for convenience.
// Thread-safety: a SimHarness is used from one test thread; the simulator runs on its own.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "support/child_process.h"
#include "support/suite_clock.h"
#include "support/test_clients.h"

namespace boost::asio {
class io_context;
}
namespace zm::sim {
class KiteSim;
}

namespace zm::testing {

class SimHarness {
 public:
  // Parses the scenario YAML text and starts the simulator on 127.0.0.1, any free port.
  static Result<std::unique_ptr<SimHarness>> Start(const std::string& scenario_yaml,
                                                   uint64_t seed = 1);
  // Same with a scenario file: a path, or a name in the source tree's scenarios/ folder.
  static Result<std::unique_ptr<SimHarness>> StartFile(const std::string& scenario,
                                                       uint64_t seed = 1);
  ~SimHarness();  // Stop()
  SimHarness(const SimHarness&) = delete;
  SimHarness& operator=(const SimHarness&) = delete;

  // Shuts the simulator down (bounded: 5 s) and joins its thread. Idempotent.
  void Stop();

  uint16_t port() const { return port_; }
  std::string rest_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string ws_url() const { return "ws://127.0.0.1:" + std::to_string(port_) + "/"; }

  // A control request (blocking, 5 s bounded). The answer's JSON; an error when the call fails
  // or the simulator answers ok:false (the message carries its error).
  Result<nlohmann::json> Control(const std::string& method, const std::string& path,
                                 const nlohmann::json& body = nullptr) const;
  // GET /_sim/orders "requests" (every order request received, in order). Empty on failure
  // (and a test failure is recorded).
  std::vector<nlohmann::json> OrderLog() const;

  // The suite's clock (suite_clock.h): Start() installs one at DefaultTradingTime() for every
  // suite process started while the harness lives. SetTime() moves it (running processes
  // follow within ~100 ms) and the simulator's clock with it (POST /_sim/clock); Now() is what
  // they read.
  Status SetTime(SysTime at);
  SysTime Now() const { return clock_->Now(); }

  // Shortcuts for common control calls.
  Status SetPrice(const std::string& instrument, double last_price) const;
  Status Fault(const nlohmann::json& fault) const;
  Result<nlohmann::json> State() const;  // GET /_sim/state
  Result<nlohmann::json> Stats() const;  // GET /_sim/stats

 private:
  SimHarness();
  std::unique_ptr<SuiteClock> clock_;             // restored last (declared first)
  std::unique_ptr<boost::asio::io_context> ioc_;  // destroyed after sim_ (declared first)
  std::unique_ptr<sim::KiteSim> sim_;
  std::thread thread_;
  uint16_t port_ = 0;
};

// Writes dir/config.yaml (api_key sim_key, api_secret sim_secret, URLs at the harness,
// data_dir = dir, fast test-friendly thresholds) and dir/access_token/access_token.txt
// (sim_token). `extra_yaml` is a YAML map deep-merged over those defaults, so any key of any
// section can be overridden or added. Returns the config path (empty path + test failure when
// the extra YAML does not parse).
std::filesystem::path WriteSuiteConfig(const std::filesystem::path& dir, const SimHarness& harness,
                                       const std::string& extra_yaml = "");
std::filesystem::path WriteSuiteConfig(const std::filesystem::path& dir,
                                       const std::string& rest_url, const std::string& ws_url,
                                       const std::string& extra_yaml = "");

// Polls `predicate` every `poll` until it returns true (true) or `timeout` passes (false).
bool WaitUntil(const std::function<bool()>& predicate, std::chrono::milliseconds timeout,
               std::chrono::milliseconds poll = std::chrono::milliseconds(20));

// The source tree's scenarios/<name> path, and its text ("" when unreadable).
std::filesystem::path ScenarioPath(const std::string& name);
std::string ReadScenario(const std::string& name);

// The text of tests/fixtures/<name> in the source tree ("" when unreadable).
std::string ReadTestFixture(const std::string& name);

// A fresh, empty temporary folder (mkdtemp) named after `prefix`.
std::filesystem::path MakeTempDir(const std::string& prefix = "zm_test");

// The path of a suite binary in the build's bin folder (kite_sim, zerodha_runner, ...).
std::string BinaryPath(const std::string& name);

}  // namespace zm::testing
