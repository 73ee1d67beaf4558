// The square-off report (issue #14): what each square-off actually cost. Pure computation from
// the journal rows (journal/journal_rows.h: squareoffs, squareoff_orders in zerodha_mtm.db) and
// the trigger data the monitor stored with the square-off (the open positions with the price,
// multiplier and quantity its MTM used at the trigger).
//
// Per slice (one journaled order attempt): fill vs the price at the trigger. Slippage is signed
// from the trader's side: a SELL filled above / a BUY filled below the trigger price is positive
// (a gain), the usual case is negative (a cost). Rupees = per-unit slippage * filled quantity *
// the instrument's multiplier.
// Per square-off:
//   exit_pnl           MTM at the trigger + the slippage of every fill: the P&L the closed
//                      positions realised (null when a filled slice has no trigger price)
//   mtm_after          the first MTM the monitor recorded once the square-off finished (a
//                      cross-check from mtm_history; includes positions not closed)
//   breach_to_first_order_ms  trigger (the cycle that saw the breach) -> the first order sent
//   breach_to_last_fill_ms    -> the last fill;  breach_to_flat_ms -> verified flat
//   orders (sent, i.e. not dry-run), rejections (REJECTED or refused), reprices (modifications)
// Plain values and pure functions; thread-safe.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/journal/journal_rows.h"

namespace zm::report {

struct TriggerPosition {
  double price = 0;
  double multiplier = 1;
  long long quantity = 0;
  std::string source;  // tick | rest | positions | ...
};

struct ReportInput {
  journal::JournaledSquareOff squareoff;
  std::vector<journal::JournaledOrder> orders;
  std::optional<double> mtm_after;
};

struct SliceReport {
  std::string tag, order_id, instrument, product, side, order_type, status;
  long long quantity = 0, filled = 0;
  double fill_price = 0;
  std::optional<double> trigger_price, slippage_per_unit, slippage;
  int modifications = 0;
  bool rejected = false;
  std::string error;
  long long sent_at_ms = 0, filled_at_ms = 0;
};

struct SquareOffReport {
  journal::JournaledSquareOff squareoff;  // the journal's row: id, reason, outcome, times, ...
  std::optional<long long> breach_to_first_order_ms, breach_to_last_fill_ms, breach_to_flat_ms;
  int orders = 0, rejections = 0, reprices = 0;
  long long filled_quantity = 0;
  std::optional<double> slippage, exit_pnl, mtm_after;
  std::vector<SliceReport> slices;
};

SquareOffReport BuildReport(const ReportInput& input);
nlohmann::json ReportJson(const SquareOffReport& report);

// The trigger data as stored (JSON {"positions": {"EX:SYM:PRODUCT": {price, multiplier,
// quantity, source}}}); unknown or malformed entries are skipped.
std::map<std::string, TriggerPosition> ParseTrigger(const nlohmann::json& trigger);

}  // namespace zm::report
