#include "mtm_monitor/trigger_policy.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/ist.h"
#include "common/market_hours.h"
#include "common/trading_day.h"

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

// The money threshold crossed by this MTM, if any. Loss first: it protects capital.
DayLock CrossedThreshold(const DailyState& s, double mtm, const TradingConfig& trading) {
  if (mtm <= trading.mtm_loss_threshold) return DayLock::kLoss;
  if (mtm >= trading.daily_max_profit_target) return DayLock::kTarget;
  if (s.trailing_armed && s.trailing_floor && mtm <= *s.trailing_floor) return DayLock::kTrailing;
  return DayLock::kNone;
}

bool AnyTimeDue(const TradingConfig& trading, SysTime now) {
  const int minute = TradingDayMinute(IstMinuteOfDay(now), trading.day_starts_at);
  for (const auto& [key, at] : trading.square_off_times) {
    if (minute >= TradingDayMinute(at, trading.day_starts_at)) return true;
  }
  return false;
}

std::string Money(double v) { return fmt::format("{:.2f}", v); }

std::string HhMm(SysTime t) {
  const IstCivil c = ToIst(t);
  return fmt::format("{:02d}:{:02d} IST", c.hour, c.minute);
}

std::map<std::string, int> OpenByExchange(const PolicyInput& in) {
  if (!in.open_by_exchange.empty() || in.open_positions == 0) return in.open_by_exchange;
  return {{"", in.open_positions}};
}

// Which open positions the lock covers, split into those that can be traded now and those that
// wait for a session.
struct LockScope {
  std::set<std::string> now;           // exchanges to close now
  std::map<std::string, int> waiting;  // exchange -> open positions that cannot be traded now
};

LockScope ScopeOf(const DailyState& s, const PolicyInput& in, const TradingConfig& trading,
                  const MarketHoursConfig& market_hours) {
  LockScope scope;
  if (s.lock == DayLock::kNone) return scope;
  for (const auto& [exchange, open] : OpenByExchange(in)) {
    if (open <= 0) continue;
    const bool covered = s.lock != DayLock::kTime || TimeDue(trading, exchange, in.now);
    if (!covered) continue;
    if (Tradable(exchange, in.now, market_hours, s)) {
      scope.now.insert(exchange);
    } else {
      scope.waiting[exchange] = open;
    }
  }
  return scope;
}

// When `exchange` can be traded again: its session open or the end of a broker refusal.
std::string WhenTradable(const std::string& exchange, SysTime now,
                         const MarketHoursConfig& market_hours, const DailyState& s) {
  if (auto it = s.closed_until_ms.find(exchange);
      it != s.closed_until_ms.end() && ToEpochMs(now) < it->second) {
    return exchange + " refused orders as market closed; retried from " +
           HhMm(FromEpochMs(it->second));
  }
  auto open = NextSessionOpen(exchange, now, market_hours);
  if (!open) return exchange + " closed";
  return exchange + " opens " + (IstDate(*open) == IstDate(now) ? "" : IstDate(*open) + " ") +
         HhMm(*open);
}

// The one alert about positions that wait for a session; "" when already given.
std::string DeferredAlert(DailyState& s, const std::string& reason, double mtm,
                          const std::map<std::string, int>& waiting, SysTime now,
                          const MarketHoursConfig& market_hours) {
  if (waiting.empty()) {
    s.deferred_key.clear();
    return "";
  }
  std::string key = reason + ":", where;
  int count = 0;
  for (const auto& [exchange, open] : waiting) {
    key += exchange + ",";
    where += (where.empty() ? "" : "; ") + WhenTradable(exchange, now, market_hours, s);
    count += open;
  }
  if (key == s.deferred_key) return "";
  s.deferred_key = key;
  s.triggers.push_back({ToEpochMs(now), reason, mtm, "deferred"});
  return reason + " at MTM " + Money(mtm) + ": " + std::to_string(count) +
         " position(s) cannot be closed outside market hours, nothing sent for them (" + where +
         "); evaluated again on that day's figures when the market opens";
}

}  // namespace

const MarketHoursConfig& AlwaysOpen() {
  static const MarketHoursConfig kAlwaysOpen{false, {}};
  return kAlwaysOpen;
}

bool Tradable(const std::string& exchange, SysTime now, const MarketHoursConfig& market_hours,
              const DailyState& state) {
  if (exchange.empty()) return true;
  if (auto it = state.closed_until_ms.find(exchange);
      it != state.closed_until_ms.end() && ToEpochMs(now) < it->second) {
    return false;
  }
  return InSession(exchange, now, market_hours);
}

bool TimeDue(const TradingConfig& trading, const std::string& exchange, SysTime now) {
  const auto at = SquareOffTimeFor(trading, exchange);
  if (!at) return false;
  return TradingDayMinute(IstMinuteOfDay(now), trading.day_starts_at) >=
         TradingDayMinute(*at, trading.day_starts_at);
}

namespace {

// Everything but the bookkeeping of triggers that led to no action (see EvaluateTriggers).
PolicyResult Decide(const DailyState& state, const PolicyInput& in, const TradingConfig& trading,
                    const RiskConfig& risk, const MarketHoursConfig& market_hours) {
  PolicyResult result{state, {}};
  DailyState& s = result.state;
  PolicyDecision& d = result.decision;
  const long long now_ms = ToEpochMs(in.now);
  TrackMax(s, in.mtm);
  TrackTrailing(s, in.mtm, trading.trailing_profit);

  std::string reason;
  if (s.lock == DayLock::kNone || s.lock == DayLock::kTime) {
    const DayLock crossed = CrossedThreshold(s, in.mtm, trading);
    DailyState probe = s;
    probe.lock = crossed;
    const LockScope would = ScopeOf(probe, in, trading, market_hours);
    if (crossed != DayLock::kNone && in.open_positions > 0 && would.now.empty()) {
      // Nothing can be traded now: no lock; alert once and evaluate again every cycle.
      d.deferred_message =
          DeferredAlert(s, DayLockName(crossed), in.mtm, would.waiting, in.now, market_hours);
      return result;
    }
    if (crossed != DayLock::kNone) {
      s.lock = crossed;
    } else if (s.lock == DayLock::kNone && AnyTimeDue(trading, in.now)) {
      s.lock = DayLock::kTime;
    }
    if (s.lock != state.lock) {
      s.locked_at_ms = now_ms;
      reason = DayLockName(s.lock);
      d.new_trigger = true;
      d.trigger = reason;
    }
  }
  if (reason.empty() && s.lock != DayLock::kNone && in.open_positions > 0) reason = "locked";

  if (in.open_positions == 0) {
    s.acted_key.clear();  // episode over: a later position is a new episode
    s.failed_runs = 0;
    s.deferred_key.clear();
    if (d.new_trigger) {
      d.message = "trigger " + reason + " at MTM " + Money(in.mtm) +
                  " with nothing open: day locked (" + DayLockName(s.lock) + ")";
    }
    return result;
  }
  const LockScope scope = ScopeOf(s, in, trading, market_hours);
  d.deferred_message =
      DeferredAlert(s, DayLockName(s.lock), in.mtm, scope.waiting, in.now, market_hours);
  if (reason.empty() || scope.now.empty()) return result;

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
  if (!scope.now.count("")) d.exchanges = scope.now;
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
                              const TradingConfig& trading, const RiskConfig& risk,
                              const MarketHoursConfig& market_hours) {
  PolicyResult result = Decide(state, in, trading, risk, market_hours);
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
  if (!state.deferred_key.empty()) return "outside_market_hours";
  if (!risk.auto_square_off_enabled) return "alert_only";
  if (risk.dry_run) return "dry_run";
  return "monitoring";
}

}  // namespace zm::monitor
