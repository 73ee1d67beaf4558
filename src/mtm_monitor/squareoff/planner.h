// Planner: which orders close a position. Pure, no I/O.
//
// An exit is the opposite transaction with the same exchange, tradingsymbol and product (a
// different product would open a new position). Its quantity is split into slices that are
// lot multiples no larger than the instrument's freeze limit (facts.h); an unknown lot size
// slices by 1, an unknown freeze limit sends the whole quantity (the broker's refusal then
// names the limit and the rest is re-planned), and `use_autoslice` sends it whole with Kite's
// autoslice. Shorts (buy-to-cover) come before longs: a short option carries unbounded risk.
// Thread-safe (pure functions).
#pragma once

#include <string>
#include <vector>

#include "mtm_monitor/squareoff/facts.h"

namespace zm::monitor {

// One position to close, already reduced to what may be closed without overshooting.
struct ExitTarget {
  std::string exchange, tradingsymbol, product;
  long long quantity = 0;  // signed, as the position: -75 = short 75 (closed by a BUY of 75)
};

struct PlannedSlice {
  std::string exchange, tradingsymbol, product;
  std::string transaction_type;  // BUY closes a short, SELL closes a long
  long long quantity = 0;
  long long lot_size = 0;  // 0 = unknown
  double tick_size = 0;    // 0 = unknown
  uint32_t instrument_token = 0;
  bool autoslice = false;
  bool operator==(const PlannedSlice&) const = default;
};

// Splits `quantity` (> 0) into slices <= max_slice that are lot multiples (a non-lot remainder
// goes last and alone). lot_size <= 0 counts as 1; max_slice <= 0 means no limit; a limit below
// one lot still sends one lot (the exchange accepts at least a lot).
std::vector<long long> SliceQuantity(long long quantity, long long lot_size, long long max_slice);

// The slices that close `target` with these facts, plus notes worth a log line (odd lots,
// unknown lot size).
struct ExitPlan {
  std::vector<PlannedSlice> slices;
  std::vector<std::string> notes;
};
ExitPlan PlanExit(const ExitTarget& target, const InstrumentFacts& facts);

// Shorts first, then longs; within each group the input order.
std::vector<ExitTarget> ShortsFirst(std::vector<ExitTarget> targets);

}  // namespace zm::monitor
