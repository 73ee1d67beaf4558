// Kite's P&L arithmetic, identical to Kite web/app:
//   pnl = (sell_value - buy_value) + quantity * last_price * multiplier
// per `net` position (buy/sell values already include the multiplier). Closed rows (quantity 0)
// carry realised P&L only. Split: unrealised = quantity * (last_price - average_price) *
// multiplier for the open quantity; realised = pnl - unrealised.
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
  double pnl = 0;         // total for the row
  double realised = 0;
  double unrealised = 0;
};

// `last_price` is the live price to value the open quantity at.
PositionPnl ComputePositionPnl(const Position& position, double last_price);

struct PortfolioPnl {
  double total = 0, realised = 0, unrealised = 0;
  std::vector<PositionPnl> rows;  // same order as the input
};

// `last_prices[i]` values `net[i]`. The caller must supply a live price for every row (never a
// made-up 0); a row beyond the end of `last_prices` is valued at its own (stale) last_price.
// Row results are each rounded; total/realised/unrealised are rounded once from the raw sums.
PortfolioPnl ComputePortfolioPnl(const std::vector<Position>& net,
                                 const std::vector<double>& last_prices);

}  // namespace zm::kite
