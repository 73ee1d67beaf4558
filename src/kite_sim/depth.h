// Depth: the synthetic five-level order book the simulator keeps around each instrument's LTP.
//
// The rule (documented in docs/ARCHITECTURE.md): a one-tick spread with the last trade on the
// bid: bid level L (0..4) at LTP - L ticks, offer level L at LTP + (L + 1) ticks, so a SELL at the
// touch trades at the LTP and a BUY at one tick above it. Level L holds q lots, q drawn uniformly
// from [ceil(depth_lots * (L + 1) / 2), depth_lots * (L + 1)] by the market's seeded generator, and
// 1 + q / 4 orders. A bid level that would be below one tick is empty (zeros, as Kite shows).
// Orders take liquidity from it (TakeDepth) until the market's next tick draws a fresh book.
// Pure functions over plain values; not thread-safe (callers own the generator).
#pragma once

#include <array>
#include <random>
#include <utility>
#include <vector>

#include "common/kite/tick.h"

namespace zm::sim {

struct DepthBook {
  std::array<kite::DepthEntry, 5> bids{};    // best (highest) first
  std::array<kite::DepthEntry, 5> offers{};  // best (lowest) first
};

DepthBook MakeDepth(double ltp, double tick_size, long long lot_size, int depth_lots,
                    std::mt19937_64& rng);

// One execution against the book: price and quantity.
struct Execution {
  double price = 0;
  long long quantity = 0;
};

// A BUY takes offers priced <= limit_price, a SELL takes bids priced >= limit_price, best first,
// at most max_quantity in all; the book keeps what is left.
std::vector<Execution> TakeDepth(DepthBook* book, bool buy, double limit_price,
                                 long long max_quantity);

}  // namespace zm::sim
