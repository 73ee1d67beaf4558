// DeadManWatch: the monitor's half of the dead-man rule (issue #12). When no VALID MTM has been
// computed for risk_management.dead_man_seconds while positions are open, the guard is blind:
// raise a critical alert, and with dead_man_action "square_off" flatten the book (reason
// "dead_man", through the same SquareOffService path as every trigger).
//
// Valid MTM: positions read from the subscriber's fresh snapshot or a fresh REST answer, and
// every open position priced from a live tick or a fresh REST quote. Prices from the positions
// snapshot, old ticks or close/average are a fallback, not a valid MTM. A flat book (no open
// position) counts as valid: there is nothing to guard.
// Episode: the alert and the square-off happen once each until a valid MTM is seen again (then
// `recovered` says so once). The square-off needs a known open position (> 0): with positions
// unknown (never read) the rule only alerts.
// The runner raises the same alert for a hung or dead monitor (runner/health.h).
// Pure: times are passed in. A plain value, not thread-safe.
#pragma once

#include <optional>
#include <string>

#include "common/config.h"
#include "mtm_monitor/mtm_calc.h"

namespace zm::monitor {

struct DeadManDecision {
  bool alert = false;       // raise the critical alert now
  bool square_off = false;  // start a square-off with reason "dead_man" now
  bool recovered = false;   // a valid MTM again after an alert
  long long dead_for_ms = 0;
  std::string message;
};

// Valid MTM as defined above. `positions_source`: the monitor's "db" | "rest" | "rest_stale" |
// "stale".
bool ValidMtm(const MtmResult& mtm, const std::string& positions_source);

class DeadManWatch {
 public:
  explicit DeadManWatch(long long started_at_ms) : last_valid_ms_(started_at_ms) {}

  // One cycle's outcome. `open_positions`: nullopt when positions could not be read at all
  // (the last known count stays).
  void NoteCycle(long long now_ms, bool valid_mtm, std::optional<int> open_positions);

  // Called at least every second (cycles can stall: it runs from the heartbeat loop too).
  DeadManDecision Check(long long now_ms, bool engine_busy, const RiskConfig& risk);

  long long last_valid_ms() const { return last_valid_ms_; }
  int open_positions() const { return open_positions_; }  // -1 = never known

 private:
  long long last_valid_ms_;
  int open_positions_ = -1;
  bool alerted_ = false;
  bool squared_off_ = false;
};

}  // namespace zm::monitor
