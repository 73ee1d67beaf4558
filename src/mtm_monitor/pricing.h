// Pricing of the marketable LIMIT fallback (used where the broker refuses MARKET orders, e.g.
// stock options, and to re-price an order that rests).
//
// A BUY is priced through the best ask (or, without depth, the last price) by
// `margin_percent`, rounded UP to the tick; a SELL through the best bid (or last price) by the
// margin, rounded DOWN to the tick; the result is clamped inside the circuit band when one is
// known (rounded inward to the tick) and is never below one tick. Prices are computed in whole
// ticks to avoid floating-point residue (a price of 101.15000000001 is rejected by exchanges).
// Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "common/status.h"

namespace zm::monitor {

struct Quote {
  double last_price = 0;  // 0 = unknown
  double best_bid = 0;    // 0 = unknown
  double best_ask = 0;    // 0 = unknown
};

struct CircuitBand {
  double lower = 0;  // 0 = unknown
  double upper = 0;  // 0 = unknown
};

// Rounds to the nearest multiple of tick (tick <= 0 is treated as 0.05).
double RoundToTick(double price, double tick);
double RoundUpToTick(double price, double tick);
double RoundDownToTick(double price, double tick);

// transaction_type "BUY" or "SELL". kInvalidArgument when there is no usable reference price
// (no quote at all) or the transaction type is unknown.
Result<double> MarketableLimitPrice(std::string_view transaction_type, const Quote& quote,
                                    double margin_percent, double tick_size,
                                    std::optional<CircuitBand> band = std::nullopt);

}  // namespace zm::monitor
