#include "runner/dashboard_core.h"

namespace zm::runner {
namespace {

using nlohmann::json;

// A key's value when it is there and not null; `fallback` otherwise.
json Field(const json& object, const char* key, json fallback = nullptr) {
  if (!object.is_object()) return fallback;
  auto it = object.find(key);
  return it == object.end() || it->is_null() ? fallback : *it;
}

json PositionRow(const json& p) {
  json row;
  row["instrument"] = Field(p, "exchange", "").get<std::string>() + ":" +
                      Field(p, "tradingsymbol", "").get<std::string>();
  for (const char* key :
       {"product", "quantity", "last_price", "price_source", "pnl", "m2m", "scope"}) {
    row[key] = Field(p, key);
  }
  const json age_ms = Field(p, "price_age_ms");
  row["price_age_s"] = age_ms.is_number() ? json(age_ms.get<double>() / 1000.0) : json(nullptr);
  return row;
}

}  // namespace

std::string HexToken(const unsigned char* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0x0f];
  }
  return out;
}

std::string DashboardUrl(uint16_t port, const std::string& token) {
  return "http://127.0.0.1:" + std::to_string(port) + "/?token=" + token;
}

std::string DashboardUrlLine(const std::string& url) {
  return "{\"url\": " + json(url).dump() + "}";
}

std::optional<std::string_view> QueryParam(std::string_view target, std::string_view name) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view query = target.substr(q + 1);
  const size_t fragment = query.find('#');
  if (fragment != std::string_view::npos) query = query.substr(0, fragment);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      return eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    }
    if (amp == std::string_view::npos) break;
    query = query.substr(amp + 1);
  }
  return std::nullopt;
}

bool TokenMatches(std::string_view target, std::string_view expected) {
  const auto given = QueryParam(target, "token");
  if (!given || expected.empty() || given->size() != expected.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    diff |= static_cast<unsigned char>((*given)[i] ^ expected[i]);
  }
  return diff == 0;
}

DashboardRoute RouteRequest(std::string_view method, std::string_view target,
                            std::string_view token) {
  if (!TokenMatches(target, token)) return DashboardRoute::kForbidden;
  if (method != "GET" && method != "HEAD") return DashboardRoute::kBadMethod;
  const std::string_view path = target.substr(0, target.find('?'));
  if (path == "/" || path == "/index.html") return DashboardRoute::kPage;
  if (path == "/events") return DashboardRoute::kEvents;
  if (path == "/snapshot.json") return DashboardRoute::kSnapshot;
  return DashboardRoute::kNotFound;
}

std::string SseEvent(std::string_view event, std::string_view data) {
  std::string out = "event: ";
  out += event;
  out += '\n';
  for (;;) {
    const size_t nl = data.find('\n');
    std::string_view line = data.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out += "data: ";
    out += line;
    out += '\n';
    if (nl == std::string_view::npos) break;
    data = data.substr(nl + 1);
  }
  out += '\n';
  return out;
}

std::string SseComment(std::string_view text) {
  std::string out = ": ";
  for (char c : text) out += c == '\n' || c == '\r' ? ' ' : c;
  return out + "\n\n";
}

std::string SseRetry(int milliseconds) { return "retry: " + std::to_string(milliseconds) + "\n\n"; }

json BuildDashboardSnapshot(const DashboardInputs& in) {
  json out;
  const json& snap = in.monitor_snapshot;
  out["now_ms"] = in.now_ms;
  out["available"] = snap.is_object();
  out["problem"] = snap.is_object() ? json(nullptr) : json(in.snapshot_problem);
  for (const char* key : {"trading_date", "updated_at_ms", "state", "mtm", "mtm_basis",
                          "daily_max_mtm", "loss_threshold", "profit_target", "trailing_floor",
                          "realised", "unrealised", "target_locked", "dry_run", "alert_only"}) {
    out[key] = Field(snap, key);
  }
  const json updated = Field(snap, "updated_at_ms");
  out["snapshot_age_s"] =
      updated.is_number() ? json((in.now_ms - updated.get<int64_t>()) / 1000.0) : json(nullptr);
  json curve = json::array();
  for (const auto& [at_ms, mtm] : in.curve) curve.push_back({at_ms, mtm});
  out["curve"] = std::move(curve);
  json positions = json::array();
  for (const json& p : Field(snap, "positions", json::array())) {
    positions.push_back(PositionRow(p));
  }
  out["positions"] = std::move(positions);
  out["processes"] = Field(in.status, "processes", json::object());
  out["runner"] = Field(in.status, "runner", json::object());
  out["alerts"] = Field(in.status, "alerts", json::object());
  out["last_critical"] = Field(in.status, "last_critical", Field(snap, "last_critical"));
  out["events"] = in.events.is_array() ? in.events : json::array();
  out["squareoffs"] = in.reports.is_array() ? in.reports : json::array();
  return out;
}

}  // namespace zm::runner
