// TriggerPolicy: the pure decision of one MTM cycle, state + MTM + time + config -> decision.
//
//   loss      MTM <= trading.mtm_loss_threshold        -> square off, lock the day (loss)
//   target    MTM >= trading.daily_max_profit_target   -> square off, lock the day (target)
//   trailing  armed at activate_at, floor = max(lock_at, peak - trail_by), never lowered;
//             MTM <= floor                             -> square off, lock (trailing)
//   time      IST minute of day >= square_off_time     -> square off, lock (time)
//   locked    the day is locked and a position is open -> square off again ("locked")
// A trigger locks the day even when nothing is open (a realised loss or profit still counts),
// so a position opened later that day is squared off at the next cycle. The lock is part of
// DailyState, which is persisted, so it survives restarts.
// auto_square_off_enabled=false: kAlert instead of kSquareOff, once per lock episode (not every
// cycle); dry_run: one (journal-only) square-off per episode. While the engine is busy nothing
// new starts; a "locked" re-run waits RerunDelay(failed_runs) after the previous square-off
// finished: 2 s after a flat one (a position opened after the lock), and after failed ones 2 s,
// 5 s, 15 s, 60 s, then every 5 minutes, at most risk_management.max_squareoff_reruns times in
// a row; then one critical alert and no more automatic runs (a flat square-off resets it).
// Pure functions, no clock: the time is in the input. Thread-safe.
#pragma once

#include <chrono>
#include <string>

#include "common/clock.h"
#include "common/config.h"
#include "mtm_monitor/daily_state.h"

namespace zm::monitor {

// The wait before the next automatic square-off of a locked day after `failed_runs` failed ones.
std::chrono::milliseconds RerunDelay(int failed_runs);

enum class Action { kNone, kSquareOff, kAlert };

struct PolicyInput {
  double mtm = 0;
  int open_positions = 0;  // net positions with quantity != 0
  SysTime now;
  bool engine_busy = false;
};

struct PolicyDecision {
  Action action = Action::kNone;
  std::string reason;        // "loss"|"target"|"trailing"|"time"|"locked" when action != kNone
  bool new_trigger = false;  // a threshold was crossed this cycle (the day got locked)
  std::string trigger;       // its reason when new_trigger
  std::string message;       // one human line describing the decision
};

struct PolicyResult {
  DailyState state;  // the updated state (max MTM, trailing floor, lock, acted_key, triggers)
  PolicyDecision decision;
};

// `state.trading_date` must be IstDate(input.now) (the caller rolls the day over).
PolicyResult EvaluateTriggers(const DailyState& state, const PolicyInput& input,
                              const TradingConfig& trading, const RiskConfig& risk);

// The snapshot's / heartbeat's `state` word: "squaring_off" while the engine runs, else
// "locked_after_<lock>", else "alert_only" / "dry_run" by config, else "monitoring".
std::string MonitorStateName(const DailyState& state, bool engine_busy, const RiskConfig& risk);

}  // namespace zm::monitor
