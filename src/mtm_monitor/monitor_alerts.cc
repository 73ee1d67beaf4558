// Monitor: the alerts it raises (common/alerts/event.h) and the trigger data it stores with a
// square-off for its report (common/report/squareoff_report.h). Raising never waits: the
// AlertService queues and delivers on its own coroutine.
#include <spdlog/spdlog.h>

#include "common/report/report_reader.h"
#include "mtm_monitor/monitor.h"
#include "mtm_monitor/trigger_policy.h"

namespace zm::monitor {

nlohmann::json TriggerData(const std::vector<kite::Position>& net, const MtmResult& mtm) {
  nlohmann::json positions = nlohmann::json::object();
  for (size_t i = 0; i < net.size() && i < mtm.rows.size(); ++i) {
    const kite::Position& p = net[i];
    // Only what the guard squares off: a sale from holdings or an unguarded product is never
    // part of a square-off, so its price at the trigger would only mislead the report.
    if (p.quantity == 0 || mtm.rows[i].scope != kite::RowScope::kGuarded) continue;
    positions[p.exchange + ":" + p.tradingsymbol + ":" + p.product] = {
        {"price", mtm.rows[i].price},
        {"multiplier", p.multiplier},
        {"quantity", p.quantity},
        {"source", PriceSourceName(mtm.rows[i].source)}};
  }
  return {{"positions", std::move(positions)}, {"mtm", mtm.total}};
}

void Monitor::Alert(alerts::AlertEvent event) {
  if (alerts_ != nullptr) alerts_->Raise(std::move(event));
}

void Monitor::AlertTrigger(const PolicyDecision& d, double mtm, long long now_ms) {
  std::optional<double> threshold;
  if (d.trigger == "loss") threshold = config_.trading.mtm_loss_threshold;
  if (d.trigger == "target") threshold = config_.trading.daily_max_profit_target;
  if (d.trigger == "trailing") threshold = state_.trailing_floor;
  Alert(alerts::TriggerFired(d.trigger, mtm, threshold, d.action == Action::kSquareOff, now_ms));
  if (state_.lock != DayLock::kNone)
    Alert(alerts::DayLocked(DayLockName(state_.lock), mtm, now_ms));
}

void Monitor::AlertSquareOffEnd(const Result<SquareOffOutcome>& outcome, const std::string& reason,
                                long long now_ms) {
  alerts::SquareOffFigures f;
  f.reason = reason;
  if (!outcome.ok()) {
    Alert(alerts::SquareOffFailed(f, {}, outcome.status().ToString(), now_ms));
    return;
  }
  const SquareOffOutcome& o = *outcome;
  f.squareoff_id = o.squareoff_id;
  f.dry_run = o.dry_run;
  auto report = report::ReadReport(store_.db(), o.squareoff_id);
  if (report.ok() && report->has_value()) {
    const report::SquareOffReport& r = **report;
    const journal::JournaledSquareOff& so = r.squareoff;
    f.reason = so.reason;
    f.duration_s = so.finished_at_ms > so.started_at_ms
                       ? static_cast<double>(so.finished_at_ms - so.started_at_ms) / 1000
                       : static_cast<double>(now_ms - so.started_at_ms) / 1000;
    f.orders = r.orders;
    f.rejections = r.rejections;
    f.exit_pnl = r.exit_pnl;
    f.mtm_at_trigger = so.mtm_at_trigger;
    f.slippage = r.slippage;
  } else if (!report.ok()) {
    spdlog::warn("square-off report: {}", report.status().ToString());
  }
  if (o.flat || o.dry_run) {
    Alert(alerts::SquareOffFlat(f, now_ms));
  } else {
    Alert(alerts::SquareOffFailed(f, o.remaining, o.summary, now_ms));
  }
}

}  // namespace zm::monitor
