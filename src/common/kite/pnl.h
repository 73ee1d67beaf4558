// Kite's P&L arithmetic, identical to Kite web/app, on two bases:
//   pnl = (sell_value - buy_value) + quantity * last_price * multiplier   (since entry)
//   m2m = (sell_m2m - buy_m2m) + quantity * last_price * multiplier       (the day's)
// per `net` position (buy/sell values already include the multiplier). buy_m2m / sell_m2m value
// a carried (overnight) quantity at the previous close instead of the entry price, so m2m is
// today's mark-to-market; for a position opened today both bases are equal. A row whose m2m
// values are both 0 while its values are not (a source without m2m fields) uses its values.
// Closed rows (quantity 0) carry realised P&L only. Split (since entry): unrealised =
// quantity * (last_price - average_price) * multiplier for the open quantity; realised =
// pnl - unrealised.
//
// Rounding: all arithmetic in double; results are rounded to paise (0.01 rupee, half away from
// zero) only at the end of each row and of the total, so totals never accumulate rounding error
// beyond half a paisa per row. Pure functions, thread-safe.
#pragma once

#include <string>
#include <vector>

#include "common/kite/models.h"

namespace zm::kite {

double RoundToPaise(double rupees);

struct PositionPnl {
  double pnl = 0;  // total for the row, since entry
  double realised = 0;
  double unrealised = 0;
  double m2m = 0;  // the day's mark-to-market of the row
};

// `last_price` is the live price to value the open quantity at.
PositionPnl ComputePositionPnl(const Position& position, double last_price);

struct PortfolioPnl {
  double total = 0, realised = 0, unrealised = 0;  // since entry
  double m2m = 0;                                  // the day's
  std::vector<PositionPnl> rows;                   // same order as the input
};

// `last_prices[i]` values `net[i]`. The caller must supply a live price for every row (never a
// made-up 0); a row beyond the end of `last_prices` is valued at its own (stale) last_price.
// Row results are each rounded; totals are rounded once from the raw sums.
PortfolioPnl ComputePortfolioPnl(const std::vector<Position>& net,
                                 const std::vector<double>& last_prices);

}  // namespace zm::kite
