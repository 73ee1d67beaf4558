// Pricing of the marketable LIMIT used where the broker refuses MARKET orders (stock options,
// some contracts) and to chase an exit that rests.
//
// The reference is the depth level that covers the order's quantity: a SELL of 600 walks the
// bids, best first, until 600 are covered and takes that level's price (the deepest level when
// the book is thinner than the order; the last price when there is no depth at all). The price
// then goes `margin + walk_step * step` percent through the reference (capped at `max`), BUY
// rounded up and SELL rounded down to the tick, and is clamped inside the circuit band when one
// is known (rounded inward) and never below one tick. Each re-price of a resting exit raises
// walk_step by one, across modifications and re-placements, so the walk goes on until the cap
// or the circuit band; Kite's 25 modifications per order only end one order, not the walk.
// Prices are computed in whole ticks (no 101.15000000001). Pure functions, thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "common/status.h"

namespace zm::monitor {

struct DepthLevel {
  double price = 0;
  long long quantity = 0;
};

struct QuoteBook {
  double last_price = 0;           // 0 = unknown
  std::vector<DepthLevel> bids;    // best first; may be empty
  std::vector<DepthLevel> offers;  // best first; may be empty
  double circuit_lower = 0;        // 0 = unknown
  double circuit_upper = 0;        // 0 = unknown
};

struct PriceWalk {
  double margin_percent = 0.5;  // through the reference at walk step 0
  double step_percent = 0.5;    // added per walk step
  double max_percent = 10;      // never further than this from the reference
};

// Rounds to the nearest / up / down multiple of tick (tick <= 0 is treated as 0.05).
double RoundToTick(double price, double tick);
double RoundUpToTick(double price, double tick);
double RoundDownToTick(double price, double tick);

// The reference price covering `quantity` on the side a `transaction_type` order takes
// (BUY: offers, SELL: bids); 0 when nothing is known.
double DepthReference(std::string_view transaction_type, long long quantity, const QuoteBook& book);

// kInvalidArgument when there is no reference price or the transaction type is unknown.
Result<double> ExitLimitPrice(std::string_view transaction_type, long long quantity,
                              const QuoteBook& book, int walk_step, double tick_size,
                              const PriceWalk& walk);

// True when walk_step already sits at the cap (a further step would not move the price).
bool WalkAtCap(int walk_step, const PriceWalk& walk);

}  // namespace zm::monitor
