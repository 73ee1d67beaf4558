#include "mtm_monitor/cycle_report.h"

#include <cmath>
#include <cstdio>

#include "common/ist.h"
#include "common/kite/pnl.h"

namespace zm::monitor {

std::string FormatRupees(double rupees) {
  const double rounded = kite::RoundToPaise(rupees);
  const bool negative = rounded < 0;
  const long long paise = std::llround(std::fabs(rounded) * 100);
  std::string whole = std::to_string(paise / 100);
  for (int pos = static_cast<int>(whole.size()) - 3; pos > 0; pos -= 3) whole.insert(pos, ",");
  char frac[4];
  std::snprintf(frac, sizeof frac, "%02lld", paise % 100);
  return (negative && paise != 0 ? "-" : "") + whole + "." + frac;
}

std::string CycleLine(SysTime now, double mtm, double max_mtm, const std::string& state_name,
                      int open_positions, size_t fallbacks) {
  std::string when = FormatIstIso(now);  // "...T10:15:03.123+05:30": drop the milliseconds
  const size_t dot = when.find('.');
  const size_t plus = when.find('+');
  if (dot != std::string::npos && plus != std::string::npos && dot < plus) {
    when.erase(dot, plus - dot);
  }
  std::string line = when + " MTM " + FormatRupees(mtm) + " (max " + FormatRupees(max_mtm) +
                     ") state=" + state_name + " positions=" + std::to_string(open_positions);
  if (fallbacks > 0) line += " fallbacks=" + std::to_string(fallbacks);
  return line;
}

namespace {

nlohmann::json PositionsJson(const std::vector<kite::Position>& net, const MtmResult& mtm) {
  nlohmann::json rows = nlohmann::json::array();
  for (size_t i = 0; i < net.size() && i < mtm.rows.size(); ++i) {
    const kite::Position& p = net[i];
    const PricedPosition& r = mtm.rows[i];
    rows.push_back(
        {{"exchange", p.exchange},
         {"tradingsymbol", p.tradingsymbol},
         {"product", p.product},
         {"quantity", p.quantity},
         {"last_price", r.price},
         {"price_source", PriceSourceName(r.source)},
         {"price_age_ms", r.age_ms < 0 ? nlohmann::json(nullptr) : nlohmann::json(r.age_ms)},
         {"pnl", kite::RoundToPaise(r.pnl)},
         {"realised", kite::RoundToPaise(r.realised)},
         {"unrealised", kite::RoundToPaise(r.unrealised)},
         {"m2m", kite::RoundToPaise(r.m2m)},
         {"scope", kite::RowScopeName(r.scope)}});
  }
  return rows;
}

}  // namespace

nlohmann::json BuildSnapshot(const SnapshotInput& in) {
  const Config& config = *in.config;
  const DailyState& state = *in.state;
  const MtmResult empty;
  const MtmResult& mtm = in.mtm != nullptr ? *in.mtm : empty;
  const std::vector<kite::Position> no_positions;
  const auto& net = in.net != nullptr ? *in.net : no_positions;
  const auto& risk = config.risk_management;
  return {{"trading_date", state.trading_date},
          {"updated_at_ms", in.now_ms},
          {"mtm", kite::RoundToPaise(mtm.total)},
          {"mtm_basis", MtmBasisName(mtm.basis)},
          {"mtm_day", kite::RoundToPaise(mtm.day)},
          {"mtm_since_entry", kite::RoundToPaise(mtm.since_entry)},
          {"realised", kite::RoundToPaise(mtm.realised)},
          {"unrealised", kite::RoundToPaise(mtm.unrealised)},
          {"daily_max_mtm", kite::RoundToPaise(state.max_mtm)},
          {"loss_threshold", config.trading.mtm_loss_threshold},
          {"profit_target", config.trading.daily_max_profit_target},
          {"trailing_floor",
           state.trailing_floor ? nlohmann::json(*state.trailing_floor) : nlohmann::json(nullptr)},
          {"state", in.state_name},
          {"target_locked", state.lock != DayLock::kNone},
          {"lock", DayLockName(state.lock)},
          {"alert_only", !risk.auto_square_off_enabled},
          {"dry_run", risk.dry_run},
          {"fallbacks", mtm.fallbacks},
          {"positions", PositionsJson(net, mtm)},
          {"square_offs", in.square_offs.is_array() ? in.square_offs : nlohmann::json::array()},
          {"last_critical", in.last_critical}};
}

nlohmann::json HeartbeatDetails(long long last_cycle_ms, const std::string& state_name, double mtm,
                                int open_positions, long long last_valid_mtm_ms) {
  return {{"last_cycle_ms", last_cycle_ms},
          {"state", state_name},
          {"mtm", kite::RoundToPaise(mtm)},
          {"open_positions", open_positions},
          {"last_valid_mtm_ms", last_valid_mtm_ms}};
}

}  // namespace zm::monitor
