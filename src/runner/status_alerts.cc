// The alert channels' health and the dashboard URL in `status` (declared in render.h).
#include "common/ist.h"
#include "runner/render.h"

namespace zm::runner {

using nlohmann::json;

void AddAlertsAndDashboard(const StatusInputs& in, json* status) {
  json alerts = json::object();
  auto hb = in.heartbeats.find(kMonitor);
  if (hb != in.heartbeats.end() && hb->second.details.contains("alerts")) {
    alerts[kMonitor] = hb->second.details["alerts"];
  }
  const bool runner_state = in.runner_running && in.runner_state.is_object();
  if (runner_state && in.runner_state.contains("alerts")) {
    alerts["system_runner"] = in.runner_state["alerts"];
  }
  (*status)["alerts"] = alerts;
  (*status)["dashboard"] = runner_state && in.runner_state.contains("dashboard")
                               ? in.runner_state["dashboard"]
                               : json(nullptr);
}

std::string RenderAlertsAndDashboardText(const json& s) {
  std::string out;
  const json alerts = s.value("alerts", json::object());
  for (const auto& [source, channels] : alerts.items()) {
    if (!channels.is_array() || channels.empty()) continue;
    out += "Alerts (" + source + "):";
    for (const json& c : channels) {
      const std::string state = c.value("state", "?");
      out += " " + c.value("name", "?") + " " + (state == "failing" ? "FAILING" : state) + " (" +
             std::to_string(c.value("sent", 0)) + " sent";
      if (c.value("failed", 0) > 0) out += ", " + std::to_string(c.value("failed", 0)) + " failed";
      if (c.value("queued", 0) > 0) out += ", " + std::to_string(c.value("queued", 0)) + " queued";
      out += ")";
      if (state == "failing") {
        out += ": " + c.value("last_error", std::string("?"));
        const long long at = c.value("last_error_at_ms", 0LL);
        if (at > 0) out += " at " + FormatIstIso(FromEpochMs(at)).substr(11, 8);
      }
      out += ";";
    }
    out.back() = '\n';
  }
  const json dashboard = s.value("dashboard", json());
  if (dashboard.is_object() && dashboard.contains("url")) {
    out += "Dashboard: " + dashboard.value("url", std::string("?")) + "\n";
  }
  return out;
}

}  // namespace zm::runner
