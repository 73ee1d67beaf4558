// The verbs of zerodha_runner. Each returns the process exit code (0 ok, 1 runtime failure,
// 2 bad config or usage) and prints its own messages; main() only parses and dispatches.
#pragma once

#include <chrono>
#include <functional>

#include "common/config.h"
#include "runner/args.h"
#include "runner/dashboard_server.h"
#include "runner/files.h"

namespace zm::runner {

int RunStart(const Config& config);
// start --detach: starts the suite in a new session (output into data_dir/runner_console.log)
// and returns once both children are healthy (0), or the runner exited or 60 s passed (1).
int RunStartDetached(const Config& config);
// What `status` reads (runner/render.h BuildStatusJson renders it).
struct StatusInputs;
StatusInputs CollectStatusInputs(const Config& config);
int RunStop(const Config& config);
int RunStatus(const Config& config, bool json);
int RunSummary(const Config& config, bool json);
int RunCheck(const Config& config, bool json);
int RunLogin(const Config& config, const RunnerArgs& args);
int RunDemo(const RunnerArgs& args);
// report [--date D] [--json]: the square-off report of one IST day (default today).
int RunReport(const Config& config, const RunnerArgs& args);
// alert-test: one test event to every alerts channel; 0 only if every channel delivered.
int RunAlertTest(const Config& config);
// logs [-f] [--process NAME] [--since HH:MM]: the logs merged in time order.
int RunLogs(const Config& config, const RunnerArgs& args);

// dashboard: serves the dashboard of the config's data dir until SIGINT/SIGTERM (0), or 1 when
// it cannot listen. Prints {"url": ...} once listening.
int RunDashboard(const Config& config);
// The dashboard `start` serves (dashboard.enabled) on the runner's io_context: prints the URL
// line (not into a file: start --detach), logs the port only.
Result<std::unique_ptr<DashboardServer>> StartSuiteDashboard(boost::asio::any_io_executor executor,
                                                             const Config& config);

// start without the checks: lock, pid file, supervise until SIGINT/SIGTERM, or until
// `finished` returns true (polled every second; demo), or `timeout` elapses (then exit 1).
struct SuiteHooks {
  std::function<bool()> finished;
  std::chrono::milliseconds timeout{0};  // 0 = none
  // The single-instance lock when the caller already took it (TakeInstanceLock); else taken here.
  std::unique_ptr<InstanceLock> lock;
};
// Locks runner.lock in data_dir; on failure prints who holds it.
Result<std::unique_ptr<InstanceLock>> TakeInstanceLock(const Config& config);
int RunSupervisedSuite(const Config& config, SuiteHooks hooks);

// system_runner.log in data_dir (everything) + stderr (warnings and above, secrets redacted).
void InitRunnerLogging(const Config& config);

}  // namespace zm::runner
