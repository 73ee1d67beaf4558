// Rendering of `summary` and `status` (pure): JSON documents in, JSON or an aligned text table
// out. Times are passed in (now_ms); nothing here reads a clock, a file or a database.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/heartbeat.h"

namespace zm::runner {

// "₹-4,512.25", "₹1,20,000.00" is NOT used: thousands are grouped by three ("₹120,000.00").
std::string FormatRupees(double amount);
// "-4,512.25" (no currency sign).
std::string FormatAmount(double amount);
// "3 s", "4 min 05 s", "2 h 03 min"; "-" for negative.
std::string FormatAge(double seconds);

// Left-aligned text columns, one space-padded table. Rows may be shorter than the header.
std::string RenderTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows);

// summary --json: the monitor snapshot plus derived fields (distance_to_loss_threshold,
// distance_to_target, snapshot_age_s). The snapshot's own keys are kept as they are.
nlohmann::json BuildSummaryJson(const nlohmann::json& snapshot, int64_t now_ms);
std::string RenderSummaryText(const nlohmann::json& summary);

struct StatusInputs {
  int64_t now_ms = 0;
  int64_t runner_pid = 0;  // from runner.pid; 0 = none
  bool runner_running = false;
  nlohmann::json runner_state;                          // runner_state.json, or null
  std::map<std::string, bool> child_running;            // by component name
  std::map<std::string, Heartbeat> heartbeats;          // by component name
  std::map<std::string, std::string> heartbeat_errors;  // by component: why it was unreadable
  std::optional<std::string> token_state;               // zerodha_trading.db meta
};

inline constexpr const char* kSubscriber = "ltp_subscriber";
inline constexpr const char* kMonitor = "mtm_monitor";

nlohmann::json BuildStatusJson(const StatusInputs& inputs);
std::string RenderStatusText(const nlohmann::json& status);

// status: `alerts` {source: [channel health]} (the monitor's heartbeat details, the runner's
// state file) and `dashboard` {url} while a runner serves it (status_alerts.cc).
void AddAlertsAndDashboard(const StatusInputs& inputs, nlohmann::json* status);
// "Alerts (mtm_monitor): hook ok (3 sent); phone FAILING (0 sent, 1 failed): HTTP 401 ..."
std::string RenderAlertsAndDashboardText(const nlohmann::json& status);

}  // namespace zm::runner
