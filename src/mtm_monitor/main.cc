// zerodha_mtm_monitor: the MTM cycle, the triggers and the square-off engine, in one process
// with one io_context on one thread. See monitor.h (the cycle) and squareoff/engine.h.
#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "common/alerts/alert_service.h"
#include "common/cli.h"
#include "common/console.h"
#include "common/ist.h"
#include "common/logging.h"
#include "common/net/http_client.h"
#include "common/net/kite_rest_api.h"
#include "common/process_clock.h"
#include "common/token_watch.h"
#include "mtm_monitor/monitor.h"
#include "mtm_monitor/monitor_internal.h"
#include "mtm_monitor/squareoff/engine.h"

namespace asio = boost::asio;
using zm::monitor::SquareOffEngine;

namespace {

// The monitor's run, then a bounded wait for the alerts still queued (the square-off's outcome
// raised just before a SIGTERM must still reach the trader).
asio::awaitable<void> RunThenFlushAlerts(zm::monitor::Monitor& monitor,
                                         zm::alerts::AlertService& alerts) {
  co_await monitor.Run();
  co_await alerts.Flush(std::chrono::seconds(3));
  alerts.Stop();
}

// Reloads the access token when its file changes (the daily login), without a restart.
asio::awaitable<void> WatchTokenFile(const zm::Config& config, zm::kite::RestKiteApi& api,
                                     zm::Secret initial, const bool& stopping,
                                     zm::alerts::AlertSink& alerts) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  zm::TokenFileWatch watch(config.zerodha.access_token_file, std::move(initial));
  while (!stopping) {
    timer.expires_after(std::chrono::seconds(2));  // as the subscriber's: the daily login
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    auto polled = watch.Poll();
    if (!polled.ok()) {
      spdlog::debug("access token file: {}", polled.status().message());
      continue;
    }
    if (!polled->has_value()) continue;
    api.SetAccessToken(**polled);
    spdlog::warn("access token reloaded from {}", config.zerodha.access_token_file.string());
    alerts.Raise(zm::alerts::TokenRenewed(zm::ToEpochMs(std::chrono::system_clock::now())));
  }
}

int RunMonitor(const zm::Config& config) {
  auto token = zm::ReadAccessToken(config);  // registered for redaction (secret.h)
  if (!token.ok())
    spdlog::error("{} (REST unavailable until the file is written)", token.status().message());

  asio::io_context io;
  auto tls = zm::net::MakeClientTlsContext();
  if (!tls.ok()) return spdlog::critical("{}", tls.status().ToString()), zm::kExitRuntime;
  zm::net::HttpClientOptions http_options;
  http_options.phase_timeout =
      std::chrono::milliseconds(static_cast<long long>(config.zerodha.request_timeout * 1000));
  auto http = zm::net::HttpClient::Create(io.get_executor(), **tls, config.zerodha.api_base_url,
                                          http_options);
  if (!http.ok()) return spdlog::critical("{}", http.status().ToString()), zm::kExitRuntime;
  zm::kite::RestKiteApi api(std::move(http).value(), config.zerodha.api_key,
                            token.ok() ? *token : zm::Secret());

  auto db = zm::monitor::OpenMtmDb(config.mtm_db_path());
  if (!db.ok()) return spdlog::critical("{}", db.status().ToString()), zm::kExitRuntime;
  const zm::Clock& clock = zm::ProcessClock();  // shifted only by ZM_CLOCK_* (tests, demo)
  zm::RealMonoClock mono;
  SquareOffEngine engine(api, **db, config, clock, mono);
  zm::Status engine_init = engine.Init();
  if (!engine_init.ok()) return spdlog::critical("{}", engine_init.ToString()), zm::kExitRuntime;
  zm::monitor::RateGate quote_gate(std::chrono::milliseconds(1000));  // Kite: 1 quote call/s
  engine.set_quote_gate(&quote_gate);
  zm::monitor::MtmStore store(**db);
  // The one line per cycle must never block the event loop (a console nobody reads).
  zm::ConsoleStreamBuf console_buffer(zm::StdoutConsole());
  std::ostream console(&console_buffer);
  zm::monitor::Monitor monitor(config, clock, api, engine, store, console);
  monitor.set_quote_gate(&quote_gate);
  zm::alerts::AlertService alerts(io.get_executor(), config.alerts, "mtm_monitor");
  alerts.Start();
  if (!alerts.empty()) monitor.set_alerts(&alerts);
  zm::Status init = monitor.Init();
  if (!init.ok()) return spdlog::critical("{}", init.ToString()), zm::kExitRuntime;

  bool stopping = false;
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    spdlog::warn("signal {}: stopping", signo);
    stopping = true;
    monitor.Stop();
  });
  zm::Secret token_in_use = token.ok() ? *token : zm::Secret();
  asio::co_spawn(io, WatchTokenFile(config, api, token_in_use, stopping, alerts),
                 zm::LogIfThrown("token watch"));
  bool failed = false;
  asio::co_spawn(io, RunThenFlushAlerts(monitor, alerts), [&](std::exception_ptr error) {
    failed = error != nullptr;
    zm::LogIfThrown("monitor")(error);
    stopping = true;
    signals.cancel();
    io.stop();
  });
  spdlog::info("zerodha_mtm_monitor started: check interval {} s, data dir {}",
               config.trading.mtm_check_interval, config.data_dir.string());
  if (zm::ProcessClockShifted()) {
    spdlog::warn("clock {}: now {} (a test or demo setting)", zm::DescribeProcessClock(),
                 zm::FormatIstIso(clock.Now()));
  }
  io.run();
  spdlog::info("zerodha_mtm_monitor exiting");
  return failed ? zm::kExitRuntime : zm::kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  auto args = zm::ParseCommonArgs(argc, argv);
  if (!args.ok()) {
    std::cerr << "zerodha_mtm_monitor: " << args.status().message() << "\n";
    return zm::kExitUsage;
  }
  if (args->help) {
    std::cout << "usage: zerodha_mtm_monitor [--config PATH]\n"
                 "Computes the portfolio MTM every trading.mtm_check_interval seconds and squares\n"
                 "off on the configured triggers. Logs to <data_dir>/mtm_monitor.log.\n";
    return zm::kExitOk;
  }
  if (!args->rest.empty()) {
    std::cerr << "zerodha_mtm_monitor: unexpected argument '" << args->rest[0] << "'\n";
    return zm::kExitUsage;
  }
  auto config = zm::LoadConfigOrReport(args->config_path);
  if (!config) return zm::kExitUsage;
  zm::InitProcessLogging(*config, "mtm_monitor");
  return RunMonitor(*config);
}
