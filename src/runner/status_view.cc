// BuildStatusJson / RenderStatusText (declared in render.h).
#include <sstream>

#include "common/ist.h"
#include "runner/render.h"

namespace zm::runner {
namespace {

using nlohmann::json;

json AgeSeconds(int64_t now_ms, const json& ms) {
  if (!ms.is_number() || ms.get<int64_t>() <= 0) return nullptr;
  return (now_ms - ms.get<int64_t>()) / 1000.0;
}

json ChildStatus(const StatusInputs& in, const std::string& name) {
  json state = json::object();
  if (in.runner_state.is_object() && in.runner_state.contains("children")) {
    state = in.runner_state["children"].value(name, json::object());
  }
  json out;
  out["pid"] = state.value("pid", static_cast<int64_t>(0));
  auto running = in.child_running.find(name);
  out["running"] = running != in.child_running.end() && running->second;
  out["restarts"] = state.value("restarts", 0);
  out["crash_loop"] = state.value("crash_loop", false);
  // The supervisor's verdict is only current while a runner supervises the child.
  out["health"] = in.runner_running && out["running"].get<bool>()
                      ? state.value("health", json("unknown"))
                      : json(out["running"].get<bool>() ? "unsupervised" : "not running");
  out["health_detail"] = in.runner_running ? state.value("health_detail", json("")) : json("");
  auto unreadable = in.heartbeat_errors.find(name);
  if (unreadable != in.heartbeat_errors.end()) out["heartbeat_error"] = unreadable->second;
  out["uptime_s"] = out["running"].get<bool>()
                        ? AgeSeconds(in.now_ms, state.value("started_at_ms", json()))
                        : json();
  auto hb = in.heartbeats.find(name);
  out["heartbeat_age_s"] = nullptr;
  if (hb != in.heartbeats.end()) {
    const Heartbeat& h = hb->second;
    out["heartbeat_age_s"] = (in.now_ms - h.updated_at_ms) / 1000.0;
    out["heartbeat_pid"] = h.pid;
    if (name == kSubscriber) {
      out["ws_connected"] = h.details.value("ws_connected", false);
      out["last_tick_age_s"] = AgeSeconds(in.now_ms, h.details.value("last_tick_ms", json()));
      out["positions_synced_age_s"] =
          AgeSeconds(in.now_ms, h.details.value("positions_synced_ms", json()));
      out["token_state"] = h.details.value("token_state", in.token_state.value_or("unknown"));
    } else {
      out["state"] = h.details.value("state", json());
      out["mtm"] = h.details.value("mtm", json());
      out["last_cycle_age_s"] = AgeSeconds(in.now_ms, h.details.value("last_cycle_ms", json()));
    }
  }
  if (name == kSubscriber && !out.contains("token_state")) {
    out["token_state"] = in.token_state ? json(*in.token_state) : json();
  }
  return out;
}

std::string Opt(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "-";
  if (it->is_boolean()) return it->get<bool>() ? "yes" : "no";
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

std::string AgeOpt(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? FormatAge(it->get<double>()) : "-";
}

}  // namespace

json BuildStatusJson(const StatusInputs& in) {
  json out;
  out["now_ms"] = in.now_ms;
  json runner;
  runner["pid"] = in.runner_pid;
  runner["running"] = in.runner_running;
  runner["uptime_s"] = nullptr;
  if (in.runner_running && in.runner_state.is_object()) {
    runner["uptime_s"] = AgeSeconds(in.now_ms, in.runner_state.value("started_at_ms", json()));
  }
  int orphans = 0;
  for (const auto& [name, running] : in.child_running) orphans += running && !in.runner_running;
  runner["orphans"] = orphans;
  runner["state"] = in.runner_running ? "running" : orphans > 0 ? "gone" : "not running";
  out["runner"] = runner;
  out["processes"][kSubscriber] = ChildStatus(in, kSubscriber);
  out["processes"][kMonitor] = ChildStatus(in, kMonitor);
  out["last_critical"] =
      in.runner_state.is_object() ? in.runner_state.value("last_critical", json()) : json();
  AddAlertsAndDashboard(in, &out);
  return out;
}

std::string RenderStatusText(const json& s) {
  std::ostringstream out;
  const json& runner = s["runner"];
  out << "Runner: " << runner.value("state", "not running");
  if (runner.value("pid", 0) > 0) out << " (pid " << runner["pid"].get<int64_t>() << ")";
  if (runner["uptime_s"].is_number()) out << ", up " << FormatAge(runner["uptime_s"].get<double>());
  const int orphans = runner.value("orphans", 0);
  if (orphans > 0) {
    out << ": " << orphans << " orphaned child" << (orphans == 1 ? "" : "ren")
        << " still running unsupervised; `zerodha_runner stop` stops them";
  }
  out << "\n";
  std::vector<std::vector<std::string>> rows;
  for (const char* name : {kSubscriber, kMonitor}) {
    const json& p = s["processes"][name];
    rows.push_back({name, Opt(p, "pid"), p.value("running", false) ? "yes" : "no",
                    AgeOpt(p, "uptime_s"),
                    Opt(p, "restarts") + (p.value("crash_loop", false) ? " CRASH LOOP" : ""),
                    AgeOpt(p, "heartbeat_age_s"), Opt(p, "health")});
  }
  out << RenderTable({"PROCESS", "PID", "RUNNING", "UPTIME", "RESTARTS", "HEARTBEAT AGE", "HEALTH"},
                     rows);
  for (const char* name : {kSubscriber, kMonitor}) {
    const json& p = s["processes"][name];
    const std::string detail = p.value("health_detail", "");
    if (!detail.empty()) out << name << ": " << detail << "\n";
    if (p.contains("heartbeat_error")) {
      out << name << ": heartbeat unreadable: " << Opt(p, "heartbeat_error") << "\n";
    }
  }
  const json& sub = s["processes"][kSubscriber];
  const json& mon = s["processes"][kMonitor];
  out << "WebSocket connected: " << Opt(sub, "ws_connected")
      << "   last tick: " << AgeOpt(sub, "last_tick_age_s") << " ago"
      << "   token: " << Opt(sub, "token_state") << "\n";
  out << "Monitor state: " << Opt(mon, "state") << "   MTM: "
      << (mon.contains("mtm") && mon["mtm"].is_number() ? FormatRupees(mon["mtm"].get<double>())
                                                        : std::string("-"))
      << "   last cycle: " << AgeOpt(mon, "last_cycle_age_s") << " ago\n";
  const json& critical = s["last_critical"];
  out << "Last critical event: ";
  if (!critical.is_object()) {
    out << "none\n";
  } else {
    if (critical.contains("at_ms") && critical["at_ms"].is_number()) {
      out << FormatIstIso(FromEpochMs(critical["at_ms"].get<int64_t>())) << " ";
    }
    out << Opt(critical, "message") << "\n";
  }
  out << RenderAlertsAndDashboardText(s);
  return out.str();
}

}  // namespace zm::runner
