// kite_sim: the Kite Connect simulator (REST + ticker WebSocket + /_sim/ control on one
// 127.0.0.1 port). Usage: kite_sim --port N --scenario FILE [--seed S]. Prints {"port":N} on
// stdout once listening; SIGTERM/SIGINT: clean exit 0. Logs to stderr.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include "common/config.h"
#include "common/core_dumps.h"
#include "common/logging.h"
#include "kite_sim/scenario.h"
#include "kite_sim/sim_server.h"

namespace {

constexpr const char* kUsage =
    "usage: kite_sim --port N --scenario FILE [--seed S] [--log-level LEVEL]\n"
    "                [--clock-offset-ms N]\n"
    "  Serves the Kite Connect REST API, the ticker WebSocket and the /_sim/ control API on\n"
    "  127.0.0.1:N (0 = any free port); prints {\"port\":N} once listening.\n"
    "  The simulator's clock runs from 10:30 IST today (a trading time) unless\n"
    "  --clock-offset-ms N sets it to the wall clock + N ms.\n";

struct Args {
  long port = -1;
  std::string scenario;
  uint64_t seed = 1;
  std::string log_level = "info";
  std::optional<int64_t> clock_offset_ms;
  bool help = false;
};

bool ParseArgs(int argc, char** argv, Args* args, std::string* error) {
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      args->help = true;
      continue;
    }
    if (i + 1 >= argc) {
      *error = "missing value for " + flag;
      return false;
    }
    const std::string value = argv[++i];
    try {
      if (flag == "--port") {
        args->port = std::stol(value);
      } else if (flag == "--scenario") {
        args->scenario = value;
      } else if (flag == "--seed") {
        args->seed = std::stoull(value);
      } else if (flag == "--log-level") {
        args->log_level = value;
      } else if (flag == "--clock-offset-ms") {
        args->clock_offset_ms = std::stoll(value);
      } else {
        *error = "unknown option " + flag;
        return false;
      }
    } catch (const std::exception&) {
      *error = "bad value for " + flag + ": " + value;
      return false;
    }
  }
  if (args->help) return true;
  if (args->port < 0 || args->port > 65535) *error = "--port N (0-65535) is required";
  if (args->scenario.empty()) *error = "--scenario FILE is required";
  return error->empty();
}

}  // namespace

int main(int argc, char** argv) {
  zm::DisableCoreDumpsOrWarn("kite_sim");
  Args args;
  std::string error;
  if (!ParseArgs(argc, argv, &args, &error)) {
    std::cerr << "kite_sim: " << error << "\n" << kUsage;
    return zm::kExitUsage;
  }
  if (args.help) {
    std::cout << kUsage;
    return zm::kExitOk;
  }
  zm::LogOptions log_options;
  log_options.process_name = "kite_sim";
  log_options.level = args.log_level;
  (void)zm::InitLogging(log_options);
  auto scenario = zm::sim::LoadScenarioFile(args.scenario);
  if (!scenario.ok()) {
    std::cerr << "kite_sim: " << scenario.status().message() << "\n";
    return zm::kExitUsage;
  }
  boost::asio::io_context ioc(1);
  zm::sim::KiteSim sim(ioc, std::move(*scenario), args.seed);
  if (args.clock_offset_ms) sim.SetClockOffset(*args.clock_offset_ms);
  auto port = sim.Listen(static_cast<uint16_t>(args.port));
  if (!port.ok()) {
    std::cerr << "kite_sim: " << port.status().message() << "\n";
    return zm::kExitRuntime;
  }
  sim.Start();
  boost::asio::signal_set signals(ioc, SIGTERM, SIGINT);
  boost::asio::steady_timer deadline(ioc);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    spdlog::info("kite_sim: signal received, shutting down");
    sim.Shutdown();
    // Bounded shutdown: whatever has not closed within 3 s is abandoned.
    deadline.expires_after(std::chrono::seconds(3));
    deadline.async_wait([&](const boost::system::error_code&) { ioc.stop(); });
  });
  std::printf("{\"port\":%u}\n", static_cast<unsigned>(*port));
  std::fflush(stdout);
  spdlog::info("kite_sim: listening on 127.0.0.1:{}", *port);
  ioc.run();
  return zm::kExitOk;
}
