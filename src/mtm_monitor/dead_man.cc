#include "mtm_monitor/dead_man.h"

namespace zm::monitor {

bool ValidMtm(const MtmResult& mtm, const std::string& positions_source) {
  if (positions_source != "db" && positions_source != "rest") return false;
  for (const PricedPosition& row : mtm.rows) {
    const bool live = row.source == PriceSource::kTick || row.source == PriceSource::kRest ||
                      row.source == PriceSource::kClosedRow;
    if (!live) return false;
  }
  return true;
}

void DeadManWatch::NoteCycle(long long now_ms, bool valid_mtm, std::optional<int> open_positions) {
  if (open_positions) open_positions_ = *open_positions;
  if (valid_mtm || open_positions_ == 0) last_valid_ms_ = now_ms;
}

DeadManDecision DeadManWatch::Check(long long now_ms, bool engine_busy, const RiskConfig& risk) {
  DeadManDecision d;
  d.dead_for_ms = now_ms - last_valid_ms_;
  const auto limit_ms = static_cast<long long>(risk.dead_man_seconds * 1000);
  if (d.dead_for_ms < limit_ms || open_positions_ == 0) {
    d.recovered = alerted_;
    if (d.recovered) d.message = "dead-man: a valid MTM again";
    alerted_ = false;
    squared_off_ = false;
    return d;
  }
  const std::string open =
      open_positions_ < 0 ? "an unknown number of" : std::to_string(open_positions_);
  const bool may_square_off =
      risk.dead_man_action == "square_off" && risk.auto_square_off_enabled && open_positions_ > 0;
  if (!alerted_) {
    alerted_ = true;
    d.alert = true;
    d.message = "dead-man: no valid MTM for " + std::to_string(d.dead_for_ms / 1000) + " s with " +
                open + " open position(s) (live prices and REST unavailable)" +
                (may_square_off ? ": squaring off" : ": nothing can see the loss; act manually");
  }
  if (may_square_off && !squared_off_ && !engine_busy) {
    squared_off_ = true;
    d.square_off = true;
  }
  return d;
}

}  // namespace zm::monitor
