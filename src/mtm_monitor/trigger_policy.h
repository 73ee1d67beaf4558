// TriggerPolicy: the pure decision of one MTM cycle, state + MTM + time + config -> decision.
// MTM is the configured basis (trading.mtm_basis) over the guarded rows only.
//
//   loss      MTM <= trading.mtm_loss_threshold        -> square off, lock the day (loss)
//   target    MTM >= trading.daily_max_profit_target   -> square off, lock the day (target)
//   trailing  armed at activate_at, floor = max(lock_at, peak - trail_by), never lowered;
//             MTM <= floor                             -> square off, lock (trailing)
//   time      a square_off_time has passed in this trading day -> lock (time); the positions
//             on the exchanges whose time has passed are squared off (SquareOffTimeFor: one
//             time for NSE/BSE, its own for MCX), the others keep trading
//   locked    the day is locked and a position it covers is open -> square off again ("locked")
// A trigger locks the day even when nothing is open (a realised loss or profit still counts),
// so a position opened later that day is squared off at the next cycle. The lock is part of
// DailyState, which is persisted, so it survives restarts. A time lock does not stop the loss,
// target and trailing checks (they replace it when crossed).
//
// Market hours (common/market_hours.h): no order for an exchange outside its session, nor
// before `closed_until_ms` after the broker refused orders as "market closed" (a holiday).
// A threshold crossed while none of the open positions can be traded locks nothing: one critical
// alert (`deferred_message`, once per reason and set of exchanges), and the next cycles evaluate
// it again, so at the session open the day's figures decide (still breached -> square off at
// once). When only some can be traded, those are squared off now (`exchanges`) and the rest get
// the same one alert.
// auto_square_off_enabled=false: kAlert instead of kSquareOff, once per lock episode (not every
// cycle); dry_run: one (journal-only) square-off per episode. While the engine is busy nothing
// new starts; a "locked" re-run waits RerunDelay(failed_runs) after the previous square-off
// finished: 2 s after a flat one (a position opened after the lock), and after failed ones 2 s,
// 5 s, 15 s, 60 s, then every 5 minutes, at most risk_management.max_squareoff_reruns times in
// a row; then one critical alert and no more automatic runs (a flat square-off resets it).
// Pure functions, no clock: the time is in the input. Thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <set>
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
  int open_positions = 0;  // guarded net positions with quantity != 0
  SysTime now;
  bool engine_busy = false;
  // Guarded open positions per exchange. Empty while open_positions > 0: one exchange that is
  // always open (callers that do not know the exchanges).
  std::map<std::string, int> open_by_exchange;
};

struct PolicyDecision {
  Action action = Action::kNone;
  std::string reason;        // "loss"|"target"|"trailing"|"time"|"locked" when action != kNone
  bool new_trigger = false;  // a threshold was crossed this cycle (the day got locked)
  std::string trigger;       // its reason when new_trigger
  std::string message;       // one human line describing the decision
  // kSquareOff: the exchanges whose positions are closed now (empty = every exchange).
  std::set<std::string> exchanges;
  // A critical alert to raise once: positions a trigger covers that cannot be traded now.
  std::string deferred_message;
};

// "No market hours": every exchange always open (the default for callers without a table).
const MarketHoursConfig& AlwaysOpen();

// Whether orders for `exchange` can be sent now: in its session and not refused as closed
// (state.closed_until_ms). "" (an unknown exchange) is always tradable.
bool Tradable(const std::string& exchange, SysTime now, const MarketHoursConfig& market_hours,
              const DailyState& state);

// Whether `exchange`'s square_off_time has passed in the trading day of `now`.
bool TimeDue(const TradingConfig& trading, const std::string& exchange, SysTime now);

struct PolicyResult {
  DailyState state;  // the updated state (max MTM, trailing floor, lock, acted_key, triggers)
  PolicyDecision decision;
};

// `state.trading_date` must be the trading day of input.now (the caller rolls the day over).
PolicyResult EvaluateTriggers(const DailyState& state, const PolicyInput& input,
                              const TradingConfig& trading, const RiskConfig& risk,
                              const MarketHoursConfig& market_hours = AlwaysOpen());

// The snapshot's / heartbeat's `state` word: "squaring_off" while the engine runs, else
// "locked_after_<lock>", else "outside_market_hours" while a trigger waits for a session, else
// "alert_only" / "dry_run" by config, else "monitoring".
std::string MonitorStateName(const DailyState& state, bool engine_busy, const RiskConfig& risk);

}  // namespace zm::monitor
