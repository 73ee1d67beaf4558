// start and stop: the single-instance lock, the pid file, and supervision until a signal.
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <iostream>
#include <thread>

#include "common/alerts/alert_service.h"
#include "common/clock.h"
#include "common/console.h"
#include "common/process_clock.h"
#include "runner/files.h"
#include "runner/heartbeat_source.h"
#include "runner/orphans.h"
#include "runner/render.h"
#include "runner/supervisor.h"
#include "runner/verbs.h"

namespace zm::runner {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

Millis Seconds(double s) { return Millis(static_cast<long long>(s * 1000)); }

// How long a recorded child gets after SIGTERM: the monitor waits up to 30 s for a running
// square-off step before it exits.
constexpr milliseconds kOrphanGrace{35000};

std::vector<ChildSpec> SuiteChildren(const Config& config) {
  const fs::path dir = SelfExeDir();
  const std::vector<std::string> args = {"--config", config.config_path.string()};
  return {ChildSpec{kSubscriber, dir / "zerodha_ltp_subscriber", args, {"ZM_SUPERVISED=1"}},
          ChildSpec{kMonitor, dir / "zerodha_mtm_monitor", args, {"ZM_SUPERVISED=1"}}};
}

// Children of a runner that died without stopping them (SIGKILL, OOM) would run twice next to
// new ones: two monitors could both square off. Stop them before starting new children.
void StopOrphans(const Config& config) {
  const std::vector<RecordedChild> orphans = FindRunningChildren(config.data_dir);
  if (orphans.empty()) return;
  for (const auto& c : orphans) {
    spdlog::warn("{} (pid {}) left by an earlier runner is still running: stopping it", c.name,
                 c.pid);
  }
  if (!StopChildren(orphans, kOrphanGrace)) spdlog::error("an orphaned child survived SIGKILL");
}

// The children's console lines: into system_runner.log, and on to the runner's own console,
// neither of which may block (the runner's console may be a pipe nobody reads).
void RelayChildLine(const std::string& child, ChildStream stream, std::string_view line) {
  spdlog::info("[{}] {}", child, line);
  (stream == ChildStream::kStdout ? StdoutConsole() : StderrConsole()).WriteLine(line);
}

SupervisorOptions MakeSupervisorOptions(const Config& config) {
  const auto& sm = config.system_monitoring;
  SupervisorOptions options;
  options.health_interval = Seconds(sm.health_check_interval);
  options.hang.stale = Seconds(sm.heartbeat_stale_seconds);
  options.hang.squareoff_stale = Seconds(sm.squareoff_stale_seconds);
  options.hang.readings = sm.heartbeat_stale_readings;
  options.dead_man = Seconds(config.risk_management.dead_man_seconds);
  options.dead_man_child = kMonitor;
  options.on_output = RelayChildLine;
  options.state_file = config.data_dir / "runner_state.json";
  options.runner_started_at_ms = ProcessNowMs();
  return options;
}

// std::cout / std::cerr through the non-blocking console for the scope (restored after): the
// runner's own console may be a pipe nobody reads, and `start` must never wait on it.
class NonBlockingStdStreams {
 public:
  NonBlockingStdStreams()
      : out_(StdoutConsole()),
        err_(StderrConsole()),
        old_out_(std::cout.rdbuf(&out_)),
        old_err_(std::cerr.rdbuf(&err_)) {}
  ~NonBlockingStdStreams() {
    std::cout.rdbuf(old_out_);
    std::cerr.rdbuf(old_err_);
  }
  NonBlockingStdStreams(const NonBlockingStdStreams&) = delete;
  NonBlockingStdStreams& operator=(const NonBlockingStdStreams&) = delete;

 private:
  ConsoleStreamBuf out_, err_;
  std::streambuf* old_out_;
  std::streambuf* old_err_;
};

asio::awaitable<void> WatchFinished(Supervisor* supervisor, std::function<bool()> finished,
                                    milliseconds timeout, bool* timed_out) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    timer.expires_after(milliseconds(1000));
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    if (finished && finished()) break;
    if (timeout.count() > 0 && std::chrono::steady_clock::now() > deadline) {
      *timed_out = true;
      break;
    }
  }
  supervisor->RequestStop();
}

}  // namespace

Result<std::unique_ptr<InstanceLock>> TakeInstanceLock(const Config& config) {
  std::error_code ec;
  fs::create_directories(config.data_dir, ec);
  auto lock = InstanceLock::Acquire(config.data_dir / "runner.lock");
  if (!lock.ok()) std::cerr << "zerodha_runner: " << lock.status().message() << "\n";
  return lock;
}

int RunSupervisedSuite(const Config& config, SuiteHooks hooks) {
  const fs::path pid_path = config.data_dir / "runner.pid";
  std::unique_ptr<InstanceLock> lock = std::move(hooks.lock);
  if (!lock) {
    auto taken = TakeInstanceLock(config);
    if (!taken.ok()) return kExitRuntime;
    lock = std::move(*taken);
  }
  Status pid_written = WriteFileAtomically(pid_path, std::to_string(getpid()) + "\n");
  if (!pid_written.ok()) {
    StderrConsole().WriteLine("zerodha_runner: " + pid_written.message());
    return kExitRuntime;
  }
  StopOrphans(config);

  asio::io_context io;
  // The runner's own alerts (crash loop, hung child, dead-man): queued, never waited for.
  alerts::AlertService alerts(io.get_executor(), config.alerts, "system_runner");
  alerts.Start();
  SupervisorOptions options = MakeSupervisorOptions(config);
  // The dashboard shares this io_context: it never waits (dashboard_server.h). A dashboard that
  // cannot listen is logged, never a reason not to guard the account.
  std::unique_ptr<DashboardServer> dashboard;
  if (config.dashboard.enabled) {
    auto started = StartSuiteDashboard(io.get_executor(), config);
    if (started.ok()) {
      dashboard = std::move(*started);
    } else {
      spdlog::error("dashboard not started: {}", started.status().message());
    }
  }
  if (!alerts.empty()) {
    options.on_alert = [&alerts](alerts::AlertEvent e) { alerts.Raise(std::move(e)); };
  }
  if (!alerts.empty() || dashboard) {
    options.state_extras = [&alerts, &dashboard] {
      nlohmann::json extras = nlohmann::json::object();
      if (!alerts.empty()) extras["alerts"] = alerts.HealthJson();
      if (dashboard) extras["dashboard"] = {{"url", dashboard->url()}};
      return extras;
    };
  }
  DbHeartbeatSource heartbeats(
      {{kSubscriber, config.trading_db_path()}, {kMonitor, config.mtm_db_path()}});
  Supervisor supervisor(io.get_executor(), options, SuiteChildren(config), &heartbeats);

  asio::signal_set stop_signals(io, SIGINT, SIGTERM);
  stop_signals.async_wait([&](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    spdlog::warn("signal {} received: stopping both children", signo);
    supervisor.RequestStop();
  });
  bool timed_out = false;
  if (hooks.finished || hooks.timeout.count() > 0) {
    asio::co_spawn(io, WatchFinished(&supervisor, hooks.finished, hooks.timeout, &timed_out),
                   asio::detached);
  }
  spdlog::warn("suite started (runner pid {}); Ctrl+C or `zerodha_runner stop` to stop", getpid());
  asio::co_spawn(io, supervisor.Run(), [&](std::exception_ptr e) {
    if (e) spdlog::critical("supervisor ended with an exception");
    if (dashboard) dashboard->Stop();
    // A crash-loop alert raised just before the stop still gets a bounded chance to go out.
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          co_await alerts.Flush(std::chrono::seconds(3));
          alerts.Stop();
          io.stop();
        },
        asio::detached);
  });
  io.run();
  std::error_code ignored;
  fs::remove(pid_path, ignored);
  spdlog::info("runner exits");
  if (timed_out) {
    StderrConsole().WriteLine("zerodha_runner: timed out after " +
                              std::to_string(hooks.timeout.count() / 1000) + " s");
    return kExitRuntime;
  }
  return kExitOk;
}

// `stop` after the runner died: its children may still run (orphans). They are found by the
// pids and executables the runner recorded, and stopped.
static int StopOrphansOfADeadRunner(const Config& config) {
  const std::vector<RecordedChild> orphans = FindRunningChildren(config.data_dir);
  if (orphans.empty()) {
    std::cout << "zerodha_runner is not running (data_dir " << config.data_dir.string() << ")\n";
    return kExitOk;
  }
  std::cout << "zerodha_runner is not running, but " << orphans.size()
            << " orphaned child(ren) are:";
  for (const auto& c : orphans) std::cout << " " << c.name << " (pid " << c.pid << ")";
  std::cout << "; stopping them...\n" << std::flush;
  if (!StopChildren(orphans, kOrphanGrace)) {
    std::cerr << "zerodha_runner: an orphaned child is still running after SIGKILL\n";
    return kExitRuntime;
  }
  std::cout << "stopped " << orphans.size() << " orphaned child(ren)\n";
  return kExitOk;
}

int RunStop(const Config& config) {
  const fs::path pid_path = config.data_dir / "runner.pid";
  auto pid = ReadPidFile(pid_path);
  if (!pid || !ProcessAlive(*pid) || !IsLockHeld(config.data_dir / "runner.lock")) {
    return StopOrphansOfADeadRunner(config);
  }
  const std::vector<RecordedChild> children = FindRunningChildren(config.data_dir);
  std::cout << "stopping zerodha_runner (pid " << *pid << ")...\n";
  ::kill(*pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  auto anything_alive = [&] {
    if (ProcessAlive(*pid)) return true;
    for (const auto& c : children) {
      if (ProcessRunsChild(c.pid, c.exe, c.name)) return true;
    }
    return false;
  };
  while (anything_alive() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(100));
  }
  if (anything_alive()) {
    std::cerr << "zerodha_runner: still running after 15 s (pid " << *pid
              << "); see system_runner.log\n";
    return kExitRuntime;
  }
  std::cout << "stopped\n";
  return kExitOk;
}

// The pre-flight check (`check`) runs in a forked child: its network probes load OpenSSL and
// leave their buffers behind, about 4 MB the supervising runner would otherwise carry all day.
static int RunCheckInChild(const Config& config) {
  std::cout.flush();
  std::cerr.flush();
  const pid_t pid = ::fork();
  if (pid < 0) return RunCheck(config, /*json=*/false);  // no fork: check here, as before
  if (pid == 0) {
    const int code = RunCheck(config, /*json=*/false);
    std::cout.flush();
    std::cerr.flush();
    spdlog::default_logger()->flush();
    ::_exit(code);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : kExitRuntime;
}

int RunStart(const Config& config) {
  NonBlockingStdStreams console;
  // The lock comes first: a second start must name the running one, not fail a check.
  auto lock = TakeInstanceLock(config);
  if (!lock.ok()) return kExitRuntime;
  InitRunnerLogging(config);
  const int checks = RunCheckInChild(config);
  if (checks != kExitOk) {
    std::cerr << "zerodha_runner: not starting: fix the failed check above\n";
    return kExitRuntime;
  }
  SuiteHooks hooks;
  hooks.lock = std::move(*lock);
  return RunSupervisedSuite(config, std::move(hooks));
}

}  // namespace zm::runner
