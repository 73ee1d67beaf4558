#include "common/config_keys.h"

namespace zm {

const std::map<std::string, std::set<std::string>>& KnownKeys() {
  static const std::map<std::string, std::set<std::string>> kKeys = {
      {"zerodha",
       {"api_key", "api_secret", "access_token_file", "api_base_url", "ws_url", "request_timeout"}},
      {"trading",
       {"mtm_loss_threshold", "daily_max_profit_target", "mtm_check_interval", "trailing_profit",
        "square_off_time"}},
      {"risk_management",
       {"auto_square_off_enabled", "max_order_retries", "order_retry_delay", "dry_run",
        "market_protection", "cancel_open_orders", "limit_price_margin_percent",
        "max_verify_rounds", "delete_gtt", "unknown_order_absence_seconds",
        "positions_lag_max_seconds", "limit_price_step_percent", "limit_price_max_percent",
        "max_squareoff_reruns", "dead_man_seconds", "dead_man_action"}},
      {"instruments", {"*"}},
      {"freeze_limits", {"*"}},
      {"websocket", {"position_check_interval", "mode"}},
      {"system_monitoring",
       {"health_check_interval", "heartbeat_stale_seconds", "heartbeat_stale_readings",
        "squareoff_stale_seconds", "min_free_mb"}},
      {"ltp_management", {"freshness_threshold_seconds"}},
      {"paths", {"data_dir"}},
      {"logging", {"level"}},
      {"alerts",
       {"min_severity", "account", "max_retries", "retry_delay", "rate_limit_per_minute",
        "duplicate_window", "channels"}},
      {"dashboard", {"enabled", "port"}},
  };
  return kKeys;
}

void CollectUnknownKeys(const YAML::Node& root, std::vector<std::string>* warnings) {
  const auto& known = KnownKeys();
  for (const auto& top : root) {
    const std::string section = top.first.as<std::string>();
    auto it = known.find(section);
    if (it == known.end()) {
      warnings->push_back("unknown key '" + section + "' ignored");
      continue;
    }
    if (!top.second.IsMap()) continue;
    for (const auto& entry : top.second) {
      const std::string key = entry.first.as<std::string>();
      if (section == "freeze_limits") {
        continue;  // exchange -> underlying -> quantity, checked by the reader
      } else if (section == "instruments") {
        if (!entry.second.IsMap()) continue;
        for (const auto& inner : entry.second) {
          const std::string field = inner.first.as<std::string>();
          if (field != "volume_freeze_quantity") {
            warnings->push_back("unknown key 'instruments." + key + "." + field + "' ignored");
          }
        }
      } else if (section == "trading" && key == "trailing_profit" && entry.second.IsMap()) {
        for (const auto& inner : entry.second) {
          const std::string field = inner.first.as<std::string>();
          static const std::set<std::string> kTrail = {"enabled", "activate_at", "lock_at",
                                                       "trail_by"};
          if (!kTrail.count(field)) {
            warnings->push_back("unknown key 'trading.trailing_profit." + field + "' ignored");
          }
        }
      } else if (!it->second.count(key)) {
        warnings->push_back("unknown key '" + section + "." + key + "' ignored");
      }
    }
  }
}

}  // namespace zm
