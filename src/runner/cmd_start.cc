// start and stop: the single-instance lock, the pid file, and supervision until a signal.
#include <signal.h>
#include <spdlog/spdlog.h>
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

#include "common/clock.h"
#include "runner/files.h"
#include "runner/heartbeat_source.h"
#include "runner/render.h"
#include "runner/supervisor.h"
#include "runner/verbs.h"

namespace zm::runner {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

Millis Seconds(double s) { return Millis(static_cast<long long>(s * 1000)); }

std::vector<ChildSpec> SuiteChildren(const Config& config) {
  const fs::path dir = SelfExeDir();
  const std::vector<std::string> args = {"--config", config.config_path.string()};
  return {ChildSpec{kSubscriber, dir / "zerodha_ltp_subscriber", args, {"ZM_SUPERVISED=1"}},
          ChildSpec{kMonitor, dir / "zerodha_mtm_monitor", args, {"ZM_SUPERVISED=1"}}};
}

// Children of a runner that died without stopping them (SIGKILL, OOM) would run twice next to
// new ones: two monitors could both square off. Stop them before starting new children.
void StopOrphans(const Config& config) {
  auto text = ReadSmallFile(config.data_dir / "runner_state.json");
  if (!text) return;
  auto state = nlohmann::json::parse(*text, nullptr, false);
  if (!state.is_object() || !state.contains("children")) return;
  for (const char* name : {kSubscriber, kMonitor}) {
    const pid_t pid = state["children"].value(name, nlohmann::json::object()).value("pid", 0);
    if (pid <= 0 || !ProcessAlive(pid) || !ProcessLooksLike(pid, std::string("zerodha_") + name)) {
      continue;
    }
    spdlog::warn("{} (pid {}) left by an earlier runner is still running: stopping it", name, pid);
    ::kill(pid, SIGTERM);
    for (int i = 0; i < 100 && ProcessAlive(pid); ++i) {
      std::this_thread::sleep_for(milliseconds(100));
    }
    if (ProcessAlive(pid)) ::kill(pid, SIGKILL);
  }
}

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
    std::cerr << "zerodha_runner: " << pid_written.message() << "\n";
    return kExitRuntime;
  }
  StopOrphans(config);

  asio::io_context io;
  SupervisorOptions options;
  options.health_interval = Seconds(config.system_monitoring.health_check_interval);
  options.stale_seconds = config.system_monitoring.heartbeat_stale_seconds;
  options.state_file = config.data_dir / "runner_state.json";
  options.runner_started_at_ms = ToEpochMs(std::chrono::system_clock::now());
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
    io.stop();
  });
  io.run();
  std::error_code ignored;
  fs::remove(pid_path, ignored);
  spdlog::info("runner exits");
  if (timed_out) {
    std::cerr << "zerodha_runner: timed out after " << hooks.timeout.count() / 1000 << " s\n";
    return kExitRuntime;
  }
  return kExitOk;
}

int RunStop(const Config& config) {
  const fs::path pid_path = config.data_dir / "runner.pid";
  auto pid = ReadPidFile(pid_path);
  if (!pid || !ProcessAlive(*pid) || !IsLockHeld(config.data_dir / "runner.lock")) {
    std::cout << "zerodha_runner is not running (data_dir " << config.data_dir.string() << ")\n";
    return kExitOk;
  }
  std::vector<pid_t> children;
  if (auto text = ReadSmallFile(config.data_dir / "runner_state.json")) {
    auto state = nlohmann::json::parse(*text, nullptr, false);
    if (state.is_object() && state.contains("children")) {
      for (const auto& [name, child] : state["children"].items()) {
        if (child.value("pid", 0) > 0) children.push_back(child.value("pid", 0));
      }
    }
  }
  std::cout << "stopping zerodha_runner (pid " << *pid << ")...\n";
  ::kill(*pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  auto anything_alive = [&] {
    if (ProcessAlive(*pid)) return true;
    for (pid_t c : children) {
      if (ProcessAlive(c)) return true;
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

int RunStart(const Config& config) {
  // The lock comes first: a second start must name the running one, not fail a check.
  auto lock = TakeInstanceLock(config);
  if (!lock.ok()) return kExitRuntime;
  InitRunnerLogging(config);
  const int checks = RunCheck(config, /*json=*/false);
  if (checks != kExitOk) {
    std::cerr << "zerodha_runner: not starting: fix the failed check above\n";
    return kExitRuntime;
  }
  SuiteHooks hooks;
  hooks.lock = std::move(*lock);
  return RunSupervisedSuite(config, std::move(hooks));
}

}  // namespace zm::runner
