// The dashboard (issue #14): the `dashboard` verb, and the server `start` runs on its own
// io_context when dashboard.enabled is set. Both read the config's data dir read-only
// (DashboardData) and print one line {"url": "http://127.0.0.1:PORT/?token=..."} on stdout once
// listening (not into the suite's own log files). The URL is never logged: the token opens the
// dashboard to anyone who has it.
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <iostream>

#include "common/cli.h"
#include "common/console.h"
#include "common/process_clock.h"
#include "runner/dashboard_core.h"
#include "runner/dashboard_data.h"
#include "runner/verbs.h"

namespace zm::runner {
namespace {

// stdout is one of the suite's log files (start --detach writes it into runner_console.log):
// the token must not land in a log, so the line is left out there (`status` shows the URL).
bool StdoutIsSuiteLog(const Config& config) {
  struct stat out {};
  if (::fstat(1, &out) != 0 || !S_ISREG(out.st_mode)) return false;
  for (const char* name : {"runner_console.log", "system_runner.log"}) {
    struct stat log {};
    const fs::path path = config.data_dir / name;
    if (::stat(path.c_str(), &log) == 0 && log.st_dev == out.st_dev && log.st_ino == out.st_ino) {
      return true;
    }
  }
  return false;
}

DashboardOptions OptionsFor(const Config& config) {
  DashboardOptions options;
  options.port = static_cast<uint16_t>(config.dashboard.port);
  auto data = std::make_shared<DashboardData>(config);
  options.snapshot = [data] { return data->Collect(ProcessNowMs()).dump(); };
  options.changed = [data] { return data->Changed(); };
  return options;
}

}  // namespace

Result<std::unique_ptr<DashboardServer>> StartSuiteDashboard(boost::asio::any_io_executor executor,
                                                             const Config& config) {
  auto server = DashboardServer::Start(executor, OptionsFor(config));
  if (!server.ok()) return server.status();
  spdlog::info(
      "dashboard listening on 127.0.0.1:{} (the URL with its token is on stdout and in "
      "`status`)",
      (*server)->port());
  if (!StdoutIsSuiteLog(config)) StdoutConsole().WriteLine(DashboardUrlLine((*server)->url()));
  return server;
}

int RunDashboard(const Config& config) {
  boost::asio::io_context io;
  auto server = DashboardServer::Start(io.get_executor(), OptionsFor(config));
  if (!server.ok()) {
    std::cerr << "zerodha_runner: " << server.status().message() << "\n";
    return kExitRuntime;
  }
  std::cout << DashboardUrlLine((*server)->url()) << std::endl;
  boost::asio::signal_set stop_signals(io, SIGINT, SIGTERM);
  stop_signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    (*server)->Stop();
    io.stop();
  });
  io.run();
  return kExitOk;
}

}  // namespace zm::runner
