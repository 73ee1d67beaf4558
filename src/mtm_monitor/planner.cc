#include "mtm_monitor/planner.h"

#include <fmt/format.h>

#include <cstdlib>

namespace zm::monitor {

std::string InstrumentKey(const std::string& exchange, const std::string& tradingsymbol) {
  return exchange + ":" + tradingsymbol;
}

std::optional<std::string> FreezeKeyFor(const std::string& tradingsymbol,
                                        const kite::Instrument* instrument,
                                        const std::map<std::string, InstrumentConfig>& freeze) {
  if (instrument != nullptr && !instrument->name.empty() && freeze.count(instrument->name)) {
    return instrument->name;
  }
  std::optional<std::string> best;
  for (const auto& [name, unused] : freeze) {
    if (name.empty() || tradingsymbol.rfind(name, 0) != 0) continue;
    if (!best || name.size() > best->size()) best = name;
  }
  return best;
}

std::vector<long long> SliceQuantity(long long quantity, long long lot_size, long long max_slice) {
  std::vector<long long> slices;
  if (quantity <= 0) return slices;
  if (lot_size <= 0) lot_size = 1;
  long long step = quantity;
  if (max_slice > 0) {
    // The largest lot multiple within the limit; a limit below one lot still sends one lot
    // (the exchange would have to accept at least a lot).
    step = std::max(lot_size, (max_slice / lot_size) * lot_size);
  }
  long long left = quantity;
  while (left > 0) {
    long long slice = std::min(left, step);
    slices.push_back(slice);
    left -= slice;
  }
  return slices;
}

namespace {

void AddPositionSlices(const kite::Position& position, const InstrumentIndex& instruments,
                       const std::map<std::string, InstrumentConfig>& freeze, Plan& plan) {
  const std::string key = InstrumentKey(position.exchange, position.tradingsymbol);
  auto found = instruments.find(key);
  const kite::Instrument* instrument = found == instruments.end() ? nullptr : &found->second;
  PlannedSlice base;
  base.exchange = position.exchange;
  base.tradingsymbol = position.tradingsymbol;
  base.product = position.product;
  base.transaction_type = position.quantity < 0 ? "BUY" : "SELL";
  base.instrument_token = position.instrument_token;
  if (instrument != nullptr) {
    base.lot_size = std::max(1LL, instrument->lot_size);
    base.tick_size = instrument->tick_size > 0 ? instrument->tick_size : 0.05;
  } else {
    plan.notes.push_back(fmt::format("{}: not in the instruments list, lot size 1", key));
  }
  long long max_slice = 0;
  if (auto freeze_key = FreezeKeyFor(position.tradingsymbol, instrument, freeze)) {
    base.underlying = *freeze_key;
    max_slice = freeze.at(*freeze_key).volume_freeze_quantity;
  }
  const long long quantity = std::llabs(position.quantity);
  if (quantity % base.lot_size != 0) {
    plan.notes.push_back(
        fmt::format("{}: quantity {} is not a multiple of lot {}", key, quantity, base.lot_size));
  }
  for (long long slice_quantity : SliceQuantity(quantity, base.lot_size, max_slice)) {
    PlannedSlice slice = base;
    slice.quantity = slice_quantity;
    plan.slices.push_back(std::move(slice));
  }
}

}  // namespace

Plan PlanSquareOff(const std::vector<kite::Position>& net_positions,
                   const InstrumentIndex& instruments,
                   const std::map<std::string, InstrumentConfig>& freeze) {
  Plan plan;
  for (bool shorts : {true, false}) {
    for (const auto& position : net_positions) {
      if (position.quantity == 0 || (position.quantity < 0) != shorts) continue;
      AddPositionSlices(position, instruments, freeze, plan);
    }
  }
  return plan;
}

}  // namespace zm::monitor
