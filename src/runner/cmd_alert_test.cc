// alert-test: one test event to every configured channel, whatever its min_severity, then each
// channel's result. Bounded: every channel's own timeout, and the whole run by kBound.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <iostream>

#include "common/alerts/alert_service.h"
#include "common/cli.h"
#include "runner/verbs.h"

namespace zm::runner {
namespace {

namespace asio = boost::asio;

// No retries: the trader wants the verdict of one attempt now, not after the backoff.
AlertsConfig WithoutRetries(AlertsConfig config) {
  config.max_retries = 0;
  return config;
}

std::chrono::milliseconds Bound(const AlertsConfig& config) {
  double longest = 0;
  for (const auto& c : config.channels) longest = std::max(longest, c.timeout);
  return std::chrono::milliseconds(static_cast<long long>(longest * 1000 * 4) + 2000);
}

}  // namespace

int RunAlertTest(const Config& config) {
  if (config.alerts.channels.empty()) {
    std::cerr << "zerodha_runner: no alert channels configured (alerts.channels in "
              << config.config_path.string() << ")\n";
    return kExitUsage;
  }
  asio::io_context io;
  const AlertsConfig alerts_config = WithoutRetries(config.alerts);
  alerts::AlertService service(io.get_executor(), alerts_config, "system_runner");
  service.Start();
  service.RaiseToAll(alerts::TestEvent(ToEpochMs(std::chrono::system_clock::now())));
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await service.Flush(Bound(alerts_config));
        service.Stop();
      },
      [](std::exception_ptr) {});
  io.run();
  bool all_ok = true;
  for (const auto& h : service.health()) {
    const bool ok = h.sent > 0;
    all_ok = all_ok && ok;
    std::cout << h.name << " (" << h.type << "): "
              << (ok ? std::string("delivered")
                     : "FAILED" + (h.last_error.empty() ? "" : ": " + h.last_error))
              << "\n";
  }
  return all_ok ? kExitOk : kExitRuntime;
}

}  // namespace zm::runner
