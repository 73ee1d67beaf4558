#include "mtm_monitor/trigger_policy.h"

#include <algorithm>
#include <cstdio>

#include "common/ist.h"

namespace zm::monitor {
namespace {

void TrackMax(DailyState& s, double mtm) {
  if (!s.has_mtm || mtm > s.max_mtm) s.max_mtm = mtm;
  s.has_mtm = true;
  s.last_mtm = mtm;
}

// Arms the trailing floor at activate_at and raises it with the peak; never lowers it.
void TrackTrailing(DailyState& s, double mtm, const TrailingProfitConfig& tp) {
  if (!tp.enabled) return;
  if (!s.trailing_armed && mtm >= tp.activate_at) {
    s.trailing_armed = true;
    s.trailing_peak = mtm;
  }
  if (!s.trailing_armed) return;
  s.trailing_peak = std::max(s.trailing_peak, mtm);
  const double candidate = std::max(tp.lock_at, s.trailing_peak - tp.trail_by);
  s.trailing_floor = std::max(s.trailing_floor.value_or(candidate), candidate);
}

// The threshold crossed by this MTM, if any, with the lock it implies. Loss first: it is the
// one that protects capital.
DayLock CrossedThreshold(const DailyState& s, double mtm, SysTime now,
                         const TradingConfig& trading) {
  if (mtm <= trading.mtm_loss_threshold) return DayLock::kLoss;
  if (mtm >= trading.daily_max_profit_target) return DayLock::kTarget;
  if (s.trailing_armed && s.trailing_floor && mtm <= *s.trailing_floor) return DayLock::kTrailing;
  const auto square_off_time = SquareOffTimeFor(trading, "");
  if (square_off_time && IstMinuteOfDay(now) >= *square_off_time) {
    return DayLock::kTime;
  }
  return DayLock::kNone;
}

std::string Money(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

}  // namespace

namespace {

// Everything but the bookkeeping of triggers that led to no action (see EvaluateTriggers).
PolicyResult Decide(const DailyState& state, const PolicyInput& in, const TradingConfig& trading,
                    const RiskConfig& risk) {
  PolicyResult result{state, {}};
  DailyState& s = result.state;
  PolicyDecision& d = result.decision;
  const long long now_ms = ToEpochMs(in.now);
  TrackMax(s, in.mtm);
  TrackTrailing(s, in.mtm, trading.trailing_profit);

  std::string reason;
  if (s.lock == DayLock::kNone) {
    const DayLock crossed = CrossedThreshold(s, in.mtm, in.now, trading);
    if (crossed != DayLock::kNone) {
      s.lock = crossed;
      s.locked_at_ms = now_ms;
      reason = DayLockName(crossed);
      d.new_trigger = true;
      d.trigger = reason;
    }
  } else if (in.open_positions > 0) {
    reason = "locked";
  }

  if (in.open_positions == 0) {
    s.acted_key.clear();  // episode over: a later position is a new episode
    s.failed_runs = 0;
    if (d.new_trigger) {
      d.message = "trigger " + reason + " at MTM " + Money(in.mtm) +
                  " with nothing open: day locked (" + DayLockName(s.lock) + ")";
    }
    return result;
  }
  if (reason.empty()) return result;

  const std::string key = DayLockName(s.lock);
  const bool once_per_episode = !risk.auto_square_off_enabled || risk.dry_run;
  if (once_per_episode && s.acted_key == key) return result;
  if (risk.auto_square_off_enabled) {
    if (in.engine_busy) return result;
    const bool too_soon = reason == "locked" && s.last_squareoff_finished_ms > 0 &&
                          now_ms - s.last_squareoff_finished_ms < RerunDelay(s.failed_runs).count();
    if (too_soon) return result;
    if (reason == "locked" && s.failed_runs > risk.max_squareoff_reruns) {
      // Fail loudly, once: automatic runs have not flattened the book; a human must.
      if (s.acted_key == "reruns_exhausted") return result;
      s.acted_key = "reruns_exhausted";
      d.action = Action::kAlert;
      d.reason = reason;
      d.message = "square-off failed " + std::to_string(s.failed_runs) +
                  " times in a row; no more automatic runs today: close the remaining " +
                  std::to_string(in.open_positions) + " position(s) in Kite NOW";
      return result;
    }
  }
  d.action = risk.auto_square_off_enabled ? Action::kSquareOff : Action::kAlert;
  d.reason = reason;
  if (once_per_episode) s.acted_key = key;
  d.message = std::string(d.action == Action::kAlert ? "ALERT (auto square-off disabled): "
                                                     : "square-off: ") +
              reason + " at MTM " + Money(in.mtm) + " with " + std::to_string(in.open_positions) +
              " open position(s); day locked (" + key + ")";
  s.triggers.push_back(
      {now_ms, reason, in.mtm, d.action == Action::kAlert ? "alert" : "square_off"});
  return result;
}

}  // namespace

std::chrono::milliseconds RerunDelay(int failed_runs) {
  using std::chrono::milliseconds;
  static const milliseconds kDelays[] = {milliseconds(2000), milliseconds(2000), milliseconds(5000),
                                         milliseconds(15000), milliseconds(60000)};
  if (failed_runs < 0) failed_runs = 0;
  if (failed_runs < static_cast<int>(std::size(kDelays))) return kDelays[failed_runs];
  return milliseconds(300000);
}

PolicyResult EvaluateTriggers(const DailyState& state, const PolicyInput& in,
                              const TradingConfig& trading, const RiskConfig& risk) {
  PolicyResult result = Decide(state, in, trading, risk);
  const PolicyDecision& d = result.decision;
  if (d.new_trigger && d.action == Action::kNone) {
    // Crossed with nothing open, or while the engine was busy: still part of the day's record.
    result.state.triggers.push_back({ToEpochMs(in.now), d.trigger, in.mtm, "none"});
  }
  return result;
}

std::string MonitorStateName(const DailyState& state, bool engine_busy, const RiskConfig& risk) {
  if (engine_busy) return "squaring_off";
  if (state.lock != DayLock::kNone) return std::string("locked_after_") + DayLockName(state.lock);
  if (!risk.auto_square_off_enabled) return "alert_only";
  if (risk.dry_run) return "dry_run";
  return "monitoring";
}

}  // namespace zm::monitor
