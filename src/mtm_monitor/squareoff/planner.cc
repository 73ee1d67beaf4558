#include "mtm_monitor/squareoff/planner.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

namespace zm::monitor {

std::vector<long long> SliceQuantity(long long quantity, long long lot_size, long long max_slice) {
  std::vector<long long> slices;
  if (quantity <= 0) return slices;
  if (lot_size <= 0) lot_size = 1;
  long long step = quantity;
  if (max_slice > 0) step = std::max(lot_size, (max_slice / lot_size) * lot_size);
  // A remainder that is not a lot multiple cannot be merged into a lot slice.
  const long long odd = quantity % lot_size;
  long long left = quantity - odd;
  while (left > 0) {
    const long long slice = std::min(left, step);
    slices.push_back(slice);
    left -= slice;
  }
  if (odd > 0) slices.push_back(odd);
  return slices;
}

ExitPlan PlanExit(const ExitTarget& target, const InstrumentFacts& facts) {
  ExitPlan plan;
  if (target.quantity == 0) return plan;
  const std::string key = InstrumentKey(target.exchange, target.tradingsymbol);
  PlannedSlice base;
  base.exchange = target.exchange;
  base.tradingsymbol = target.tradingsymbol;
  base.product = target.product;
  base.transaction_type = target.quantity < 0 ? "BUY" : "SELL";
  base.lot_size = facts.lot_size;
  base.tick_size = facts.tick_size;
  base.instrument_token = facts.instrument_token;
  const long long quantity = std::llabs(target.quantity);
  if (facts.lot_size <= 0) {
    plan.notes.push_back(fmt::format("{}: lot size unknown; the broker's answer will tell", key));
  } else if (quantity % facts.lot_size != 0) {
    plan.notes.push_back(
        fmt::format("{}: quantity {} is not a multiple of lot {}", key, quantity, facts.lot_size));
  }
  if (facts.use_autoslice) {
    base.autoslice = true;
    base.quantity = quantity;
    plan.slices.push_back(base);
    return plan;
  }
  for (long long q : SliceQuantity(quantity, facts.lot_size, facts.freeze_quantity)) {
    PlannedSlice slice = base;
    slice.quantity = q;
    plan.slices.push_back(std::move(slice));
  }
  return plan;
}

std::vector<ExitTarget> ShortsFirst(std::vector<ExitTarget> targets) {
  std::stable_partition(targets.begin(), targets.end(),
                        [](const ExitTarget& t) { return t.quantity < 0; });
  return targets;
}

}  // namespace zm::monitor
