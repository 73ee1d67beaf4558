#include "common/config_alerts.h"

#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "common/enum_names.h"
#include "common/url.h"

namespace zm {
namespace {

namespace fs = std::filesystem;

std::string Found(const YAML::Node& n) {
  if (!n || n.IsNull()) return "nothing";
  if (n.IsSequence()) return "a list";
  if (n.IsMap()) return "a mapping";
  std::string s = n.Scalar();
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return "'" + s + "'";
}

Status KeyError(const std::string& key, const std::string& found, const std::string& expected) {
  return InvalidArgument(key + ": found " + found + ", expected " + expected);
}

// Scalar readers over one mapping; absent or null keys leave the output unchanged.
class MapReader {
 public:
  // `keys_read`, when given, records every key looked up (KnownKeys() is made from that).
  MapReader(const YAML::Node& map, std::string prefix, std::set<std::string>* keys_read = nullptr)
      : map_(map), prefix_(std::move(prefix)), keys_read_(keys_read) {}

  std::string Path(const std::string& key) const { return prefix_ + "." + key; }
  YAML::Node Get(const std::string& key) const {
    if (keys_read_ != nullptr) keys_read_->insert(key);
    return map_ ? map_[key] : YAML::Node();
  }
  bool Has(const std::string& key) const {
    const YAML::Node n = Get(key);
    return n && !n.IsNull();
  }

  Status String(const std::string& key, std::string* out) const {
    const YAML::Node n = Get(key);
    if (!n || n.IsNull()) return Status::Ok();
    if (!n.IsScalar()) return KeyError(Path(key), Found(n), "a string");
    *out = n.Scalar();
    return Status::Ok();
  }
  Status Number(const std::string& key, double lo, double hi, bool lo_open, double* out) const {
    const YAML::Node n = Get(key);
    if (!n || n.IsNull()) return Status::Ok();
    double v = 0;
    if (!n.IsScalar() || !YAML::convert<double>::decode(n, v) || !std::isfinite(v)) {
      return KeyError(Path(key), Found(n), "a number");
    }
    if ((lo_open ? v <= lo : v < lo) || v > hi) {
      std::ostringstream range;
      range << "seconds in " << (lo_open ? "(" : "[") << lo << ", " << hi << "]";
      return KeyError(Path(key), Found(n), range.str());
    }
    *out = v;
    return Status::Ok();
  }
  Status Integer(const std::string& key, long long lo, long long hi, int* out) const {
    const YAML::Node n = Get(key);
    if (!n || n.IsNull()) return Status::Ok();
    long long v = 0;
    if (!n.IsScalar() || !YAML::convert<long long>::decode(n, v) || v < lo || v > hi) {
      return KeyError(Path(key), Found(n),
                      "a whole number in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    }
    *out = static_cast<int>(v);
    return Status::Ok();
  }
  Status Bool(const std::string& key, bool* out) const {
    const YAML::Node n = Get(key);
    if (!n || n.IsNull()) return Status::Ok();
    if (!n.IsScalar() || !YAML::convert<bool>::decode(n, *out)) {
      return KeyError(Path(key), Found(n), "true or false");
    }
    return Status::Ok();
  }
  Status Severity(const std::string& key, std::optional<AlertSeverity>* out) const {
    std::string text;
    ZM_RETURN_IF_ERROR(String(key, &text));
    if (!Has(key)) return Status::Ok();
    *out = ParseAlertSeverity(text);
    if (!*out) return KeyError(Path(key), Found(Get(key)), "one of info, warning, critical");
    return Status::Ok();
  }

 private:
  YAML::Node map_;
  std::string prefix_;
  std::set<std::string>* keys_read_;
};

// https, or http to a loopback host (the same rule as zerodha.api_base_url).
Status CheckWebUrl(const std::string& key, const std::string& url) {
  auto parsed = ParseUrl(url);
  if (!parsed.ok()) {
    return KeyError(key, "'" + url + "'", "a URL (" + parsed.status().message() + ")");
  }
  if (parsed->scheme != "https" && parsed->scheme != "http") {
    return KeyError(key, "scheme '" + parsed->scheme + "'", "https (or http to loopback)");
  }
  if (!parsed->tls && !IsLoopbackHost(parsed->host)) {
    return KeyError(key, "'" + url + "'", "https:// (plain http:// is allowed only to loopback)");
  }
  return Status::Ok();
}

Status ReadWebhook(const MapReader& r, AlertChannelConfig* c) {
  ZM_RETURN_IF_ERROR(r.String("url", &c->url));
  if (c->url.empty()) return KeyError(r.Path("url"), "nothing", "a URL (required for webhook)");
  ZM_RETURN_IF_ERROR(CheckWebUrl(r.Path("url"), c->url));
  std::string header;
  ZM_RETURN_IF_ERROR(r.String("header", &header));
  if (header.empty()) return Status::Ok();
  const size_t colon = header.find(':');
  auto trim = [](std::string s) {
    const size_t a = s.find_first_not_of(" \t");
    const size_t b = s.find_last_not_of(" \t");
    return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
  };
  c->header_name = colon == std::string::npos ? "" : trim(header.substr(0, colon));
  const std::string value = colon == std::string::npos ? "" : trim(header.substr(colon + 1));
  const bool name_ok =
      !c->header_name.empty() && c->header_name.find_first_of(" \t\r\n") == std::string::npos;
  if (!name_ok || value.empty() || header.find_first_of("\r\n") != std::string::npos) {
    // Never echo the value: it is usually a credential.
    return KeyError(r.Path("header"), "a malformed header", "\"Name: value\" on one line");
  }
  c->header_value = RegisteredSecret(value);
  return Status::Ok();
}

Status ReadTelegram(const MapReader& r, const fs::path& dir, AlertChannelConfig* c) {
  std::string file;
  ZM_RETURN_IF_ERROR(r.String("bot_token_file", &file));
  if (file.empty()) {
    return KeyError(r.Path("bot_token_file"), "nothing", "a path (required for telegram)");
  }
  fs::path p(file);
  c->bot_token_file = (p.is_relative() ? dir / p : p).lexically_normal();
  ZM_RETURN_IF_ERROR(r.String("chat_id", &c->chat_id));
  if (c->chat_id.empty()) {
    return KeyError(r.Path("chat_id"), "nothing", "a chat id (required for telegram)");
  }
  ZM_RETURN_IF_ERROR(r.String("api_base_url", &c->api_base_url));
  ZM_RETURN_IF_ERROR(CheckWebUrl(r.Path("api_base_url"), c->api_base_url));
  while (!c->api_base_url.empty() && c->api_base_url.back() == '/') c->api_base_url.pop_back();
  return Status::Ok();
}

Status ReadCommand(const MapReader& r, const fs::path& dir, AlertChannelConfig* c) {
  const YAML::Node n = r.Get("command");
  const std::string expected = "a list of strings: the program and its arguments (no shell)";
  if (!n || n.IsNull()) return KeyError(r.Path("command"), "nothing", expected);
  if (n.IsScalar()) {
    c->command = {n.Scalar()};
  } else if (n.IsSequence() && n.size() > 0) {
    for (const auto& item : n) {
      if (!item.IsScalar()) return KeyError(r.Path("command"), "a nested value", expected);
      c->command.push_back(item.Scalar());
    }
  } else {
    return KeyError(r.Path("command"), Found(n), expected);
  }
  if (c->command[0].empty()) return KeyError(r.Path("command"), "an empty program", expected);
  if (c->command[0].find('/') != std::string::npos) {
    fs::path p(c->command[0]);
    c->command[0] = (p.is_relative() ? dir / p : p).lexically_normal().string();
  }
  return Status::Ok();
}

Status ReadChannel(const YAML::Node& node, size_t index, const fs::path& dir,
                   AlertChannelConfig* c) {
  const std::string prefix = "alerts.channels[" + std::to_string(index + 1) + "]";
  if (!node.IsMap()) return KeyError(prefix, Found(node), "a mapping with a `type`");
  MapReader r(node, prefix);
  ZM_RETURN_IF_ERROR(r.String("type", &c->type));
  if (c->type != "webhook" && c->type != "telegram" && c->type != "command") {
    return KeyError(r.Path("type"), Found(r.Get("type")), "one of webhook, telegram, command");
  }
  c->name = c->type + "-" + std::to_string(index + 1);
  ZM_RETURN_IF_ERROR(r.String("name", &c->name));
  ZM_RETURN_IF_ERROR(r.Severity("min_severity", &c->min_severity));
  ZM_RETURN_IF_ERROR(r.Number("timeout", 0, 60, /*lo_open=*/true, &c->timeout));
  if (c->type == "webhook") return ReadWebhook(r, c);
  if (c->type == "telegram") return ReadTelegram(r, dir, c);
  return ReadCommand(r, dir, c);
}

const std::map<std::string, std::set<std::string>>& ChannelKeys() {
  static const std::map<std::string, std::set<std::string>> kKeys = {
      {"webhook", {"url", "header"}},
      {"telegram", {"bot_token_file", "chat_id", "api_base_url"}},
      {"command", {"command"}},
  };
  return kKeys;
}

}  // namespace

constexpr auto kAlertSeverityNames = MakeEnumNames<AlertSeverity>({"info", "warning", "critical"});

const char* AlertSeverityName(AlertSeverity severity) { return kAlertSeverityNames.Name(severity); }

std::optional<AlertSeverity> ParseAlertSeverity(std::string_view text) {
  return kAlertSeverityNames.Parse(text);
}

Status ReadAlertsConfig(const YAML::Node& root, const fs::path& dir, const std::string& api_key,
                        AlertsConfig* out, KeysRead* keys_read) {
  out->account = api_key;
  const YAML::Node section = root["alerts"];
  if (!section || section.IsNull()) return Status::Ok();
  MapReader r(section, "alerts", keys_read != nullptr ? &(*keys_read)["alerts"] : nullptr);
  std::optional<AlertSeverity> min;
  ZM_RETURN_IF_ERROR(r.Severity("min_severity", &min));
  if (min) out->min_severity = *min;
  ZM_RETURN_IF_ERROR(r.String("account", &out->account));
  ZM_RETURN_IF_ERROR(r.Integer("max_retries", 0, 10, &out->max_retries));
  ZM_RETURN_IF_ERROR(r.Number("retry_delay", 0, 60, /*lo_open=*/true, &out->retry_delay));
  ZM_RETURN_IF_ERROR(r.Integer("rate_limit_per_minute", 1, 600, &out->rate_limit_per_minute));
  ZM_RETURN_IF_ERROR(r.Number("duplicate_window", 0, 3600, false, &out->duplicate_window));
  const YAML::Node channels = r.Get("channels");
  if (!channels || channels.IsNull()) return Status::Ok();
  if (!channels.IsSequence()) {
    return KeyError("alerts.channels", Found(channels), "a list of channels");
  }
  std::set<std::string> names;
  for (size_t i = 0; i < channels.size(); ++i) {
    AlertChannelConfig c;
    ZM_RETURN_IF_ERROR(ReadChannel(channels[i], i, dir, &c));
    if (!names.insert(c.name).second) {
      return KeyError("alerts.channels[" + std::to_string(i + 1) + "].name", "'" + c.name + "'",
                      "a name no other channel has");
    }
    out->channels.push_back(std::move(c));
  }
  return Status::Ok();
}

Status ReadDashboardConfig(const YAML::Node& root, DashboardConfig* out, KeysRead* keys_read) {
  const YAML::Node section = root["dashboard"];
  if (!section || section.IsNull()) return Status::Ok();
  MapReader r(section, "dashboard", keys_read != nullptr ? &(*keys_read)["dashboard"] : nullptr);
  ZM_RETURN_IF_ERROR(r.Bool("enabled", &out->enabled));
  return r.Integer("port", 0, 65535, &out->port);
}

void CollectUnknownChannelKeys(const YAML::Node& root, std::vector<std::string>* warnings) {
  const YAML::Node section = root["alerts"];
  if (!section || !section.IsMap()) return;
  const YAML::Node channels = section["channels"];
  if (!channels || !channels.IsSequence()) return;
  static const std::set<std::string> kCommon = {"type", "name", "min_severity", "timeout"};
  for (size_t i = 0; i < channels.size(); ++i) {
    const YAML::Node c = channels[i];
    if (!c.IsMap()) continue;
    const std::string type = c["type"] && c["type"].IsScalar() ? c["type"].Scalar() : "";
    auto own = ChannelKeys().find(type);
    for (const auto& entry : c) {
      const std::string key = entry.first.as<std::string>();
      if (kCommon.count(key) || (own != ChannelKeys().end() && own->second.count(key))) continue;
      std::string why;
      for (const auto& [other, keys] : ChannelKeys()) {
        if (keys.count(key)) why = " (a key of " + other + " channels, not " + type + ")";
      }
      warnings->push_back("unknown key 'alerts.channels[" + std::to_string(i + 1) + "]." + key +
                          "' ignored" + why);
    }
  }
}

}  // namespace zm
