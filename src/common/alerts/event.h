// AlertEvent: one thing a trader must hear about (issue #14), raised by the process that saw it
// and delivered to every configured channel (alert_service.h) without ever delaying the guard.
//
// Types (the `event` field of every message) and their default severities:
//   trigger_fired      critical  a threshold was crossed: which, MTM, the threshold
//   squareoff_started  critical  reason, MTM, open positions
//   squareoff_flat     warning   duration, orders, exit P&L (the report's figures)
//   squareoff_failed   critical  what remains open
//   day_locked         warning   no new positions today (target, loss, trailing, time)
//   token_rejected     critical  Kite refused the access token: run `zerodha_runner login`
//   token_renewed      info      a new access token was picked up
//   crash_loop         critical  a child keeps dying (runner)
//   process_hung       critical  a child stopped writing its heartbeat and is restarted (runner)
//   stale_feed         warning   positions priced without live ticks (critical when unpriced)
//   dead_man           critical  no valid MTM with positions open (monitor or runner)
//   low_disk           critical  data_dir below system_monitoring.min_free_mb
//   test               info      `zerodha_runner alert-test`
// The factories below build each event with its text; messages never carry a secret (every
// rendered message also goes through RedactSecrets, common/logging.h). Pure and thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/alert_config.h"

namespace zm::alerts {

struct AlertEvent {
  std::string type;
  AlertSeverity severity = AlertSeverity::kWarning;
  int64_t at_ms = 0;   // wall clock, epoch ms
  std::string source;  // the process that raised it: "mtm_monitor" | "system_runner" | ...
  std::optional<double> mtm;
  std::string text;  // one line for people
  nlohmann::json details = nlohmann::json::object();
  std::string dedup_key;  // equal keys within alerts.duplicate_window collapse; "" = type+text
  std::string key() const { return dedup_key.empty() ? type + "|" + text : dedup_key; }
};

// Where a process raises alerts. Raise() never blocks and never fails (a full queue drops
// and counts). Implemented by AlertService; tests use fakes. Single-threaded use.
class AlertSink {
 public:
  virtual ~AlertSink() = default;
  virtual void Raise(AlertEvent event) = 0;
  // Per-channel health (dispatcher.h ChannelHealth as JSON), for heartbeats and `status`.
  virtual nlohmann::json HealthJson() const = 0;
};

// The webhook / command body: {event, severity, time (IST ISO-8601), time_ms, account, source,
// mtm (number or null), text, details}. Redacted.
nlohmann::json EventJson(const AlertEvent& event, const std::string& account);
// One message for chat channels: "CRITICAL zerodha-mtm [account] text" + an IST time line
// (+ " (repeated N times)" when duplicates were collapsed into it). Redacted.
std::string EventMessage(const AlertEvent& event, const std::string& account, int repeats = 0);

// "-4,512.25".
std::string Rupees(double amount);

AlertEvent TriggerFired(const std::string& reason, double mtm, std::optional<double> threshold,
                        bool acting, int64_t at_ms);
AlertEvent SquareOffStarted(const std::string& reason, double mtm, int open_positions,
                            int64_t at_ms);
struct SquareOffFigures {
  long long squareoff_id = 0;
  std::string reason;
  double duration_s = 0;
  int orders = 0;
  int rejections = 0;
  std::optional<double> exit_pnl;  // realised exit P&L (report.h)
  std::optional<double> mtm_at_trigger;
  std::optional<double> slippage;  // rupees vs the prices at the trigger
  bool dry_run = false;
};
AlertEvent SquareOffFlat(const SquareOffFigures& figures, int64_t at_ms);
AlertEvent SquareOffFailed(const SquareOffFigures& figures,
                           const std::vector<std::string>& remaining, const std::string& why,
                           int64_t at_ms);
AlertEvent DayLocked(const std::string& lock, double mtm, int64_t at_ms);
AlertEvent TokenRejected(int64_t at_ms);
AlertEvent TokenRenewed(int64_t at_ms);
AlertEvent CrashLoop(const std::string& child, const std::string& detail, int64_t at_ms);
AlertEvent ProcessHung(const std::string& child, const std::string& detail, int64_t at_ms);
AlertEvent StaleFeed(const std::vector<std::string>& fallbacks, bool unpriced, int64_t at_ms);
AlertEvent DeadMan(const std::string& text, int64_t at_ms);
AlertEvent LowDisk(const std::string& text, int64_t at_ms);
AlertEvent TestEvent(int64_t at_ms);

}  // namespace zm::alerts
