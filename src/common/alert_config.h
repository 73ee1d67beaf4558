// The `alerts:` and `dashboard:` sections of config.yaml as plain values (config.h holds them;
// config_alerts.cc reads and validates them). README's configuration table repeats every key
// with its default, unit and range. Immutable after loading; share by const reference.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/secret.h"

namespace zm {

// Ordered: an event reaches a channel when its severity >= the channel's minimum.
// Names: kAlertSeverityNames in config_alerts.cc, in this order (common/enum_names.h).
enum class AlertSeverity { kInfo = 0, kWarning = 1, kCritical = 2, kMaxValue = kCritical };

const char* AlertSeverityName(AlertSeverity severity);  // "info" | "warning" | "critical"
std::optional<AlertSeverity> ParseAlertSeverity(std::string_view text);

struct AlertChannelConfig {
  std::string type;                           // webhook | telegram | command
  std::string name;                           // alerts.channels[i].name, default "<type>-<i+1>"
  std::optional<AlertSeverity> min_severity;  // default: alerts.min_severity
  double timeout = 5;                         // s, (0, 60]: one delivery attempt

  // webhook: POST the event JSON to `url` (https, or http to loopback), one optional header.
  std::string url;
  std::string header_name;  // "Authorization" from header: "Authorization: Bearer x"
  Secret header_value;      // never logged (registered for redaction)

  // telegram: Bot API sendMessage; the bot token is read from a file, like the access token.
  std::filesystem::path bot_token_file;
  std::string chat_id;
  std::string api_base_url = "https://api.telegram.org";  // http only to loopback

  // command: argv (no shell); the event JSON on stdin. argv[0] with a '/' resolves against
  // the config file's folder; a bare name is looked up in PATH.
  std::vector<std::string> command;
};

struct AlertsConfig {
  AlertSeverity min_severity = AlertSeverity::kWarning;
  std::string account;             // label in every message; default zerodha.api_key
  int max_retries = 3;             // [0, 10] retries after a failed delivery
  double retry_delay = 2;          // s, (0, 60]: backoff base, delay * 2^n
  int rate_limit_per_minute = 20;  // [1, 600] deliveries per channel per minute
  double duplicate_window = 60;    // s, [0, 3600]: the same event again within it is collapsed
  std::vector<AlertChannelConfig> channels;
};

struct DashboardConfig {
  bool enabled = false;  // serve the dashboard while `start` runs
  int port = 0;          // [0, 65535]; 0 = any free port. Always 127.0.0.1.
};

}  // namespace zm
