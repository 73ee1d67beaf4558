// Planner: which orders close a book. Pure, no I/O.
//
// For each non-zero net position: the opposite transaction with the same exchange,
// tradingsymbol and product (a different product would open a new position). Shorts
// (buy-to-cover) come before longs, because a short option carries the unbounded risk.
// Quantities are split into slices that are multiples of the lot size and no larger than the
// freeze limit of the underlying (config `instruments.<NAME>.volume_freeze_quantity`, the
// largest quantity one order may carry). The underlying is the instrument's `name` from the
// instruments list when that name is configured, otherwise the longest configured name that
// prefixes the tradingsymbol. No freeze config: one order per position. Unknown instrument:
// lot size 1, tick 0.05 (noted). Positions keep their input order within each group.
// Thread-safe (pure functions).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/config.h"
#include "common/kite/instruments.h"
#include "common/kite/models.h"

namespace zm::monitor {

// "EXCHANGE:TRADINGSYMBOL" (Kite's instrument key).
std::string InstrumentKey(const std::string& exchange, const std::string& tradingsymbol);

using InstrumentIndex = std::map<std::string, kite::Instrument>;  // by InstrumentKey

struct PlannedSlice {
  std::string exchange, tradingsymbol, product;
  std::string transaction_type;  // BUY closes a short, SELL closes a long
  long long quantity = 0;
  long long lot_size = 1;
  double tick_size = 0.05;
  uint32_t instrument_token = 0;
  std::string underlying;  // the freeze-config key used, "" when none applied
  bool operator==(const PlannedSlice&) const = default;
};

struct Plan {
  std::vector<PlannedSlice> slices;
  std::vector<std::string> notes;  // things worth a log line (unknown instrument, odd lots)
};

// The freeze-config key for an instrument: its `name` when configured, else the longest
// configured key prefixing the tradingsymbol; nullopt when none.
std::optional<std::string> FreezeKeyFor(const std::string& tradingsymbol,
                                        const kite::Instrument* instrument,
                                        const std::map<std::string, InstrumentConfig>& freeze);

// Splits `quantity` (> 0) into slices <= max_slice that are lot multiples (the last slice
// carries any non-lot remainder). max_slice <= 0 means no limit.
std::vector<long long> SliceQuantity(long long quantity, long long lot_size, long long max_slice);

Plan PlanSquareOff(const std::vector<kite::Position>& net_positions,
                   const InstrumentIndex& instruments,
                   const std::map<std::string, InstrumentConfig>& freeze);

}  // namespace zm::monitor
