// zerodha_ltp_subscriber: keeps zerodha_trading.db true to the market and to the account.
// Wiring only: config, logging, secrets, the database, the Kite adapters, then LtpSubscriber on
// one io_context. Exit codes: 0 after SIGTERM/SIGINT, 1 runtime failure, 2 bad config/usage.
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "common/cli.h"
#include "common/core_dumps.h"
#include "common/db_integrity.h"
#include "common/logging.h"
#include "common/net/http_client.h"
#include "common/net/kite_rest_api.h"
#include "common/net/ws_client.h"
#include "common/process_clock.h"
#include "common/trading_db.h"
#include "ltp_subscriber/subscriber.h"

namespace {

constexpr const char* kUsage =
    "usage: zerodha_ltp_subscriber [--config PATH]\n"
    "\n"
    "Streams live prices of every instrument with an open position from the Kite ticker into\n"
    "zerodha_trading.db (paths.data_dir), with the positions and order updates, and a heartbeat\n"
    "for the runner. Reconnects by itself; picks up a new access token file without a restart.\n"
    "Stops cleanly on SIGTERM/SIGINT. Normally started by `zerodha_runner start`.\n"
    "\n"
    "  --config PATH  the suite's config.yaml (default ./config.yaml)\n"
    "  --help         this text\n";

int Run(const zm::Config& config) {
  auto token = zm::ReadAccessToken(config);  // registered for redaction (secret.h)
  zm::Secret access_token;
  if (token.ok()) {
    access_token = *token;
  } else {
    spdlog::error("{}: waiting for the file (run `zerodha_runner login`)",
                  token.status().message());
  }
  if (zm::ProcessClockShifted()) {
    spdlog::warn("clock {} (a test or demo setting)", zm::DescribeProcessClock());
  }
  // zerodha_trading.db is a cache of what Kite says: a corrupt one is moved aside and rebuilt.
  auto aside = zm::MoveAsideIfCorrupt(config.trading_db_path(), zm::ProcessClock().Now());
  if (!aside.ok()) {
    spdlog::critical("{}", aside.status().ToString());
    return zm::kExitRuntime;
  }
  if (aside->has_value()) {
    spdlog::critical("{} was corrupt: moved aside to {}; a fresh one is built from Kite",
                     config.trading_db_path().string(), (*aside)->string());
  }
  auto db = zm::TradingDb::Open(config.trading_db_path(), false);
  if (!db.ok()) {
    spdlog::critical("{}", db.status().ToString());
    return zm::kExitRuntime;
  }
  auto tls = zm::net::MakeClientTlsContext();
  if (!tls.ok()) {
    spdlog::critical("TLS: {}", tls.status().ToString());
    return zm::kExitRuntime;
  }
  boost::asio::io_context io(1);
  zm::net::HttpClientOptions http_options;
  http_options.phase_timeout =
      std::chrono::milliseconds(static_cast<long long>(config.zerodha.request_timeout * 1000));
  auto http = zm::net::HttpClient::Create(io.get_executor(), **tls, config.zerodha.api_base_url,
                                          http_options);
  if (!http.ok()) {
    spdlog::critical("REST client: {}", http.status().ToString());
    return zm::kExitRuntime;
  }
  zm::net::HttpClient* http_raw = http->get();
  auto api = std::make_unique<zm::kite::RestKiteApi>(std::move(*http), config.zerodha.api_key,
                                                     access_token);
  zm::kite::RestKiteApi* api_raw = api.get();
  zm::ltp::SubscriberDeps deps;
  deps.api = std::move(api);
  deps.set_api_token = [api_raw](const zm::Secret& t) { api_raw->SetAccessToken(t); };
  deps.make_ws = [&io, tls = *tls] {
    return zm::net::WsClient::Create(io.get_executor(), *tls);  // default 5 s idle rule
  };
  deps.close_http = [http_raw] { http_raw->Close(); };

  zm::ltp::LtpSubscriber subscriber(io, config, access_token, std::move(*db), std::move(deps));
  spdlog::info("starting: data_dir {}, mode {}, positions every {} s", config.data_dir.string(),
               config.websocket.mode, config.websocket.position_check_interval);
  subscriber.Start();
  io.run();
  subscriber.Finish();
  return zm::kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  zm::DisableCoreDumpsOrWarn("zerodha_ltp_subscriber");
  auto args = zm::ParseCommonArgs(argc, argv);
  if (!args.ok()) {
    std::cerr << "zerodha_ltp_subscriber: " << args.status().message() << "\n" << kUsage;
    return zm::kExitUsage;
  }
  if (args->help) {
    std::cout << kUsage;
    return zm::kExitOk;
  }
  if (!args->rest.empty()) {
    std::cerr << "zerodha_ltp_subscriber: unexpected argument '" << args->rest[0] << "'\n"
              << kUsage;
    return zm::kExitUsage;
  }
  auto config = zm::LoadConfigOrReport(args->config_path);
  if (!config) return zm::kExitUsage;
  zm::InitProcessLogging(*config, "ltp_subscriber");
  try {
    return Run(*config);
  } catch (const std::exception& e) {  // a bug: say it and let the runner restart us
    spdlog::critical("fatal: {}", e.what());
    return zm::kExitRuntime;
  }
}
