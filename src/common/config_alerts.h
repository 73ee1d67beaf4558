// Reading and validating the `alerts:` and `dashboard:` sections (internal to config.cc).
// Errors are kInvalidArgument with a one-line message naming the key path, e.g.
// "alerts.channels[2].url: found 'http://example.com/x', expected https:// (plain http://
// only to loopback)". The channels list gets its own unknown-key scan: a key that belongs to
// another channel type (a telegram `url`) is reported too.
#pragma once

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/alert_config.h"
#include "common/config_keys.h"
#include "common/status.h"

namespace zm {

Status ReadAlertsConfig(const YAML::Node& root, const std::filesystem::path& config_dir,
                        const std::string& api_key, AlertsConfig* out,
                        KeysRead* keys_read = nullptr);
Status ReadDashboardConfig(const YAML::Node& root, DashboardConfig* out,
                           KeysRead* keys_read = nullptr);

// Appends "unknown key 'alerts.channels[1].chat_id' ignored (...)" warnings.
void CollectUnknownChannelKeys(const YAML::Node& root, std::vector<std::string>* warnings);

}  // namespace zm
