// ParseConfig (the whole config loader on YAML text): any bytes give a Config or a one-line
// error; a Config that loads has only finite numbers and loopback-only plain-text URLs.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/config.h"
#include "common/url.h"

namespace {

void RequireFinite(double value) {
  if (!std::isfinite(value)) std::abort();
}

void CheckLoaded(const zm::Config& c) {
  for (double v :
       {c.zerodha.request_timeout, c.trading.mtm_loss_threshold, c.trading.daily_max_profit_target,
        c.trading.mtm_check_interval, c.trading.trailing_profit.activate_at,
        c.trading.trailing_profit.lock_at, c.trading.trailing_profit.trail_by,
        c.risk_management.order_retry_delay, c.risk_management.market_protection,
        c.risk_management.limit_price_margin_percent, c.websocket.position_check_interval,
        c.system_monitoring.health_check_interval, c.system_monitoring.heartbeat_stale_seconds,
        c.ltp_management.freshness_threshold_seconds}) {
    RequireFinite(v);
  }
  for (const std::string& text : {c.zerodha.api_base_url, c.zerodha.ws_url}) {
    auto url = zm::ParseUrl(text);
    if (!url.ok() || (!url->tls && !zm::IsLoopbackHost(url->host))) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto loaded = zm::ParseConfig(text, "/nonexistent/fuzz/config.yaml");
  if (loaded.ok()) {
    CheckLoaded(loaded->config);
  } else if (loaded.status().message().find('\n') != std::string::npos) {
    std::abort();  // errors are one line
  }
  return 0;
}
