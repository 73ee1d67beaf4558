#include "common/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

#include "common/config_alerts.h"
#include "common/config_keys.h"
#include "common/config_reader.h"
#include "common/ist.h"
#include "common/log_text.h"
#include "common/text_file.h"
#include "common/url.h"

namespace zm {
namespace {

namespace fs = std::filesystem;
using config_internal::Describe;
using config_internal::KeyError;
using config_internal::Reader;

fs::path Resolve(const fs::path& base, const std::string& value) {
  fs::path p(value);
  if (p.is_relative()) p = base / p;
  return p.lexically_normal();
}

void ReadCredentials(Reader& r, ZerodhaConfig* z) {
  r.String("zerodha", "api_key", &z->api_key, /*required=*/true);
  if (r.status().ok()) r.Set(CheckApiKey(z->api_key));
  // Optional here: only `login` uses it (RequireApiSecret), the daemons never need it.
  std::string secret;
  r.String("zerodha", "api_secret", &secret);
  if (r.status().ok() && !secret.empty()) r.Set(CheckApiSecret(secret));
  // Registered for redaction (secret.h) only once valid: a short invalid value must not turn
  // ordinary words of the error output into "***".
  z->api_secret = r.status().ok() ? RegisteredSecret(std::move(secret)) : Secret(std::move(secret));
}

void ReadZerodha(Reader& r, const fs::path& dir, ZerodhaConfig* z) {
  ReadCredentials(r, z);
  std::string token_file = "access_token/access_token.txt";
  r.String("zerodha", "access_token_file", &token_file);
  z->access_token_file = Resolve(dir, token_file);
  r.String("zerodha", "api_base_url", &z->api_base_url);
  r.String("zerodha", "ws_url", &z->ws_url);
  r.NumberIn("zerodha", "request_timeout", &z->request_timeout, 0, 60, "seconds",
             /*lo_open=*/true);
  if (!r.status().ok()) return;
  for (const auto& [key, url, schemes] :
       {std::tuple{"zerodha.api_base_url", z->api_base_url, "https/http"},
        std::tuple{"zerodha.ws_url", z->ws_url, "wss/ws"}}) {
    auto parsed = ParseUrl(url);
    if (!parsed.ok()) {
      r.Set(
          KeyError(key, "'" + url + "'", std::string("a URL (") + parsed.status().message() + ")"));
      return;
    }
    const bool web = std::string(key) == "zerodha.api_base_url";
    const bool scheme_ok = web ? (parsed->scheme == "https" || parsed->scheme == "http")
                               : (parsed->scheme == "wss" || parsed->scheme == "ws");
    if (!scheme_ok) {
      r.Set(KeyError(key, "scheme '" + parsed->scheme + "'", std::string("one of ") + schemes));
      return;
    }
    if (!parsed->tls && !IsLoopbackHost(parsed->host)) {
      r.Set(KeyError(key, "'" + url + "'",
                     "https:// or wss:// (plain http:// and ws:// are allowed only to loopback)"));
      return;
    }
  }
}

void ReadTrading(Reader& r, const YAML::Node& root, TradingConfig* t) {
  r.Number("trading", "mtm_loss_threshold", &t->mtm_loss_threshold, true);
  r.Check(t->mtm_loss_threshold < 0, "trading.mtm_loss_threshold", t->mtm_loss_threshold,
          "a negative number of rupees");
  r.Number("trading", "daily_max_profit_target", &t->daily_max_profit_target, true);
  r.Check(t->daily_max_profit_target > 0, "trading.daily_max_profit_target",
          t->daily_max_profit_target, "a positive number of rupees");
  r.NumberIn("trading", "mtm_check_interval", &t->mtm_check_interval, 0.25, 60, "seconds");
  const YAML::Node trail = r.Find("trading", "trailing_profit");
  if (!r.status().ok() || !trail || trail.IsNull()) return;
  if (!trail.IsMap()) {
    r.Set(KeyError("trading.trailing_profit", Describe(trail), "a mapping"));
    return;
  }
  Reader tr(root["trading"]);
  TrailingProfitConfig& tp = t->trailing_profit;
  tp.enabled = true;  // present means on unless enabled: false
  tr.Bool("trailing_profit", "enabled", &tp.enabled);
  tr.Number("trailing_profit", "activate_at", &tp.activate_at, tp.enabled);
  tr.Number("trailing_profit", "lock_at", &tp.lock_at, tp.enabled);
  tr.Number("trailing_profit", "trail_by", &tp.trail_by, tp.enabled);
  if (tp.enabled) {
    tr.Check(tp.activate_at > 0, "trailing_profit.activate_at", tp.activate_at, "rupees > 0");
    tr.Check(tp.lock_at > 0 && tp.lock_at <= tp.activate_at, "trailing_profit.lock_at", tp.lock_at,
             "rupees > 0 and <= activate_at");
    tr.Check(tp.trail_by > 0, "trailing_profit.trail_by", tp.trail_by, "rupees > 0");
  }
  if (!tr.status().ok()) r.Set(InvalidArgument("trading." + tr.status().message()));
}

void ReadRisk(Reader& r, RiskConfig* k) {
  r.Bool("risk_management", "auto_square_off_enabled", &k->auto_square_off_enabled);
  r.IntIn("risk_management", "max_order_retries", &k->max_order_retries, 0, 10);
  r.NumberIn("risk_management", "order_retry_delay", &k->order_retry_delay, 0, 60, "seconds",
             /*lo_open=*/true);
  r.Bool("risk_management", "dry_run", &k->dry_run);
  r.Number("risk_management", "market_protection", &k->market_protection);
  r.Check(k->market_protection == -1 || (k->market_protection > 0 && k->market_protection <= 100),
          "risk_management.market_protection", k->market_protection,
          "-1 (automatic) or a percentage in (0, 100]; 0 is rejected by the exchange");
  r.Bool("risk_management", "cancel_open_orders", &k->cancel_open_orders);
  r.NumberIn("risk_management", "limit_price_margin_percent", &k->limit_price_margin_percent, 0, 20,
             "a percentage", /*lo_open=*/true);
  r.IntIn("risk_management", "max_verify_rounds", &k->max_verify_rounds, 1, 20);
  r.Bool("risk_management", "delete_gtt", &k->delete_gtt);
  r.NumberIn("risk_management", "unknown_order_absence_seconds", &k->unknown_order_absence_seconds,
             2, 120, "seconds");
  r.NumberIn("risk_management", "positions_lag_max_seconds", &k->positions_lag_max_seconds, 1, 120,
             "seconds");
  r.NumberIn("risk_management", "limit_price_step_percent", &k->limit_price_step_percent, 0, 5,
             "a percentage", /*lo_open=*/true);
  r.Number("risk_management", "limit_price_max_percent", &k->limit_price_max_percent);
  r.Check(k->limit_price_max_percent >= k->limit_price_margin_percent &&
              k->limit_price_max_percent <= 50,
          "risk_management.limit_price_max_percent", k->limit_price_max_percent,
          "a percentage in [limit_price_margin_percent, 50]");
  r.IntIn("risk_management", "max_squareoff_reruns", &k->max_squareoff_reruns, 0, 1000);
  r.NumberIn("risk_management", "dead_man_seconds", &k->dead_man_seconds, 1, 3600, "seconds");
  r.String("risk_management", "dead_man_action", &k->dead_man_action);
  if (r.status().ok() && k->dead_man_action != "alert" && k->dead_man_action != "square_off") {
    r.Set(KeyError("risk_management.dead_man_action", "'" + k->dead_man_action + "'",
                   "alert or square_off"));
  }
}

void ReadFreezeTable(Reader& r, const YAML::Node& root, FreezeTable* out) {
  r.AnyKeyIn("freeze_limits");
  const YAML::Node table = root["freeze_limits"];
  if (!r.status().ok() || !table || table.IsNull()) return;
  if (!table.IsMap()) {
    return r.Set(KeyError("freeze_limits", Describe(table), "a mapping of exchanges"));
  }
  out->clear();
  for (const auto& exchange : table) {
    const std::string ex = exchange.first.as<std::string>();
    if (!exchange.second.IsMap()) {
      return r.Set(KeyError("freeze_limits." + ex, Describe(exchange.second),
                            "a mapping of underlying -> quantity"));
    }
    Reader er(table);
    for (const auto& entry : exchange.second) {
      const std::string name = entry.first.as<std::string>();
      long long quantity = -1;
      er.Integer(ex, name, &quantity);
      if (!er.status().ok())
        return r.Set(InvalidArgument("freeze_limits." + er.status().message()));
      r.Check(quantity > 0, "freeze_limits." + ex + "." + name, static_cast<double>(quantity),
              "a positive whole number of units");
      (*out)[ex][name] = quantity;
    }
  }
}

void ReadInstruments(Reader& r, const YAML::Node& root,
                     std::map<std::string, InstrumentConfig>* out) {
  r.AnyKeyIn("instruments");
  const YAML::Node inst = root["instruments"];
  if (!r.status().ok() || !inst || inst.IsNull()) return;
  if (!inst.IsMap())
    return r.Set(KeyError("instruments", Describe(inst), "a mapping of underlyings"));
  Reader ir(inst);
  for (const auto& entry : inst) {
    const std::string name = entry.first.as<std::string>();
    if (!entry.second.IsMap()) {
      return r.Set(KeyError("instruments." + name, Describe(entry.second),
                            "a mapping with volume_freeze_quantity"));
    }
    InstrumentConfig ic;
    ic.volume_freeze_quantity = -1;
    ir.Integer(name, "volume_freeze_quantity", &ic.volume_freeze_quantity);
    if (!ir.status().ok()) return r.Set(InvalidArgument("instruments." + ir.status().message()));
    if (ic.volume_freeze_quantity == -1) {
      return r.Set(KeyError("instruments." + name + ".volume_freeze_quantity", "nothing",
                            "a positive whole number (required key is missing)"));
    }
    r.Check(ic.volume_freeze_quantity > 0, "instruments." + name + ".volume_freeze_quantity",
            static_cast<double>(ic.volume_freeze_quantity), "a positive whole number");
    (*out)[name] = ic;
  }
}

void ReadRest(Reader& r, const fs::path& dir, Config* c) {
  r.NumberIn("websocket", "position_check_interval", &c->websocket.position_check_interval, 0, 300,
             "seconds", /*lo_open=*/true);
  r.String("websocket", "mode", &c->websocket.mode);
  if (r.status().ok() && c->websocket.mode != "ltp" && c->websocket.mode != "quote" &&
      c->websocket.mode != "full") {
    r.Set(KeyError("websocket.mode", "'" + c->websocket.mode + "'", "one of ltp, quote, full"));
  }
  auto& sm = c->system_monitoring;
  r.NumberIn("system_monitoring", "health_check_interval", &sm.health_check_interval, 0, 60,
             "seconds", /*lo_open=*/true);
  r.Number("system_monitoring", "heartbeat_stale_seconds", &sm.heartbeat_stale_seconds);
  r.Check(
      sm.heartbeat_stale_seconds > sm.health_check_interval && sm.heartbeat_stale_seconds <= 600,
      "system_monitoring.heartbeat_stale_seconds", sm.heartbeat_stale_seconds,
      "seconds above health_check_interval and <= 600");
  r.IntIn("system_monitoring", "heartbeat_stale_readings", &sm.heartbeat_stale_readings, 1, 20);
  if (!r.Find("system_monitoring", "squareoff_stale_seconds")) {
    sm.squareoff_stale_seconds = std::max(sm.squareoff_stale_seconds, sm.heartbeat_stale_seconds);
  }
  r.Number("system_monitoring", "squareoff_stale_seconds", &sm.squareoff_stale_seconds);
  r.Check(sm.squareoff_stale_seconds >= sm.heartbeat_stale_seconds &&
              sm.squareoff_stale_seconds <= 3600,
          "system_monitoring.squareoff_stale_seconds", sm.squareoff_stale_seconds,
          "seconds in [heartbeat_stale_seconds, 3600]");
  r.Number("system_monitoring", "min_free_mb", &sm.min_free_mb);
  r.Check(sm.min_free_mb >= 0 && sm.min_free_mb <= 1e7, "system_monitoring.min_free_mb",
          sm.min_free_mb, "MB in [0, 10000000]");
  auto& ltp = c->ltp_management;
  r.NumberIn("ltp_management", "freshness_threshold_seconds", &ltp.freshness_threshold_seconds, 0,
             3600, "seconds", /*lo_open=*/true);
  std::string data_dir;
  r.String("paths", "data_dir", &data_dir);
  c->data_dir = data_dir.empty() ? dir : Resolve(dir, data_dir);
  r.String("logging", "level", &c->log_level);
  static const std::set<std::string> kLevels = {"trace", "debug", "info",
                                                "warn",  "error", "critical"};
  if (r.status().ok() && !kLevels.count(c->log_level)) {
    r.Set(KeyError("logging.level", "'" + c->log_level + "'",
                   "one of trace, debug, info, warn, error, critical"));
  }
}

Status CheckSections(const YAML::Node& root) {
  for (const auto& top : root) {
    const std::string section = top.first.as<std::string>();
    if (KnownKeys().count(section) && !top.second.IsMap() && !top.second.IsNull()) {
      return KeyError(section, Describe(top.second), "a mapping");
    }
  }
  return Status::Ok();
}

}  // namespace

namespace config_internal {

void ReadSections(Reader& r, const YAML::Node& root, const fs::path& config_dir, Config* c,
                  std::vector<std::string>* notes) {
  ReadZerodha(r, config_dir, &c->zerodha);
  ReadTrading(r, root, &c->trading);
  ReadRisk(r, &c->risk_management);
  ReadInstruments(r, root, &c->instruments);
  ReadFreezeTable(r, root, &c->freeze_limits);
  ReadRest(r, config_dir, c);
  ReadAccountKeys(r, root, c);
  ReadLegacyKeys(r, root, c, notes);
}

}  // namespace config_internal

const FreezeTable& DefaultFreezeTable() {
  // Units per order. NSE: circular of 2025-10-31 (effective 2025-11-03); BSE: index F&O.
  // Exchanges revise these often: check them, or let the broker's refusal text teach the engine.
  static const FreezeTable kTable = {
      {"NFO",
       {{"NIFTY", 1800},
        {"BANKNIFTY", 600},
        {"FINNIFTY", 1800},
        {"MIDCPNIFTY", 2800},
        {"NIFTYNXT50", 600}}},
      {"BFO", {{"SENSEX", 1000}, {"BANKEX", 900}}},
  };
  return kTable;
}

Result<LoadedConfig> ParseConfig(const std::string& yaml_text, const fs::path& path) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    return InvalidArgument(path.string() + ": not valid YAML (line " +
                           std::to_string(e.mark.line + 1) + "): " + SanitizeForLog(e.msg));
  }
  if (!root.IsMap()) {
    return InvalidArgument(path.string() + ": found " + Describe(root) +
                           ", expected a YAML mapping with sections zerodha, trading, ...");
  }
  LoadedConfig loaded;
  Config& c = loaded.config;
  c.config_path = fs::absolute(path).lexically_normal();
  c.config_dir = c.config_path.parent_path();
  try {
    ZM_RETURN_IF_ERROR(CheckSections(root));
    Reader r(root);
    config_internal::ReadSections(r, root, c.config_dir, &c, &loaded.notes);
    CollectUnknownKeys(root, &loaded.warnings);
    CollectUnknownChannelKeys(root, &loaded.warnings);
    if (!r.status().ok()) {
      // A typo often causes the failure ("missing trading.mtm_loss_threshold" for
      // mtm_los_threshold): name the unknown keys in the same message.
      std::string message = r.status().message();
      for (const std::string& warning : loaded.warnings) message += "; " + warning;
      return Status(r.status().code(), message);
    }
    ZM_RETURN_IF_ERROR(ReadAlertsConfig(root, c.config_dir, c.zerodha.api_key, &c.alerts));
    ZM_RETURN_IF_ERROR(ReadDashboardConfig(root, &c.dashboard));
  } catch (const YAML::Exception& e) {
    return InvalidArgument(path.string() + ": unexpected YAML structure: " + SanitizeForLog(e.msg));
  }
  return loaded;
}

Result<LoadedConfig> LoadConfig(const fs::path& path) {
  std::optional<std::string> text = ReadTextFile(path);
  if (!text) {
    return IoError("cannot read config file " + path.string() +
                   " (pass --config PATH; default ./config.yaml)");
  }
  return ParseConfig(*text, path);
}

Status RequireApiSecret(const Config& config) {
  if (!config.zerodha.api_secret.empty()) return Status::Ok();
  return KeyError("zerodha.api_secret", "nothing",
                  "the app's api_secret (the daily login needs it; the daemons do not)");
}

Result<Secret> ReadAccessToken(const Config& config) {
  const fs::path& file = config.zerodha.access_token_file;
  std::optional<std::string> text = ReadTextFile(file);
  if (!text) {
    return NotFound("access token file " + file.string() +
                    " is missing or unreadable (run `zerodha_runner login`)");
  }
  const std::string_view token = TrimSpace(*text);
  if (token.empty()) {
    return InvalidArgument("access token file " + file.string() +
                           " is empty (run `zerodha_runner login`)");
  }
  return RegisteredSecret(std::string(token));
}

}  // namespace zm
