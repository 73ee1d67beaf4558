// The broker's order rules, with Kite's own messages. Pure functions, thread-safe.
//
// Two kinds of "no", as on Kite: CheckOrderInput() failures are answered at once with HTTP 400
// InputException and no order is created (missing/invalid fields, tag > 20 chars, MARKET/SL-M
// without market_protection, quantity not a lot multiple or above the freeze limit, price off the
// tick grid); RmsRejection() failures create the order, which then turns REJECTED with the
// message in status_message (MARKET on stock options, LIMIT outside the circuit band).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "kite_sim/scenario.h"

namespace zm::sim {

using FormParams = std::vector<std::pair<std::string, std::string>>;

struct OrderInput {
  std::string exchange, tradingsymbol, transaction_type, order_type, product, validity = "DAY";
  long long quantity = 0, disclosed_quantity = 0;
  double price = 0, trigger_price = 0, market_protection = 0;
  std::string tag;
  bool autoslice = false;  // autoslice=true: the broker splits at the freeze limit
};

// Kite's automatic market protection (market_protection = -1), in percent.
constexpr double kAutoProtectionPercent = 2.0;

// The last value of `key` in `params`, or nullptr.
const std::string* FindParam(const FormParams& params, const std::string& key);

// Parses POST /orders params. Missing or malformed fields: kInvalidArgument with Kite's message.
Result<OrderInput> ParseOrderInput(const FormParams& params);

// InputException checks (HTTP 400). `freeze_limit` 0 = none for this underlying. With
// in.autoslice the freeze limit is not checked here (PlanSlices applies it).
Status CheckOrderInput(const OrderInput& in, const SimInstrument& instrument,
                       long long freeze_limit);

// Slice quantities of an order: [quantity] when it is within the freeze limit (or there is none
// or autoslice is off); otherwise full slices of the largest lot multiple within the limit and
// the remainder last. More than 10 slices: kInvalidArgument with Kite-like wording.
Result<std::vector<long long>> PlanSlices(const OrderInput& in, long long lot_size,
                                          long long freeze_limit);

// The daily price band: previous close +- circuit_percent, on the tick grid (lower >= 1 tick).
struct CircuitBand {
  double lower = 0, upper = 0;
};
CircuitBand CircuitOf(const SimInstrument& instrument, double circuit_percent);

// The LIMIT price a protected MARKET order rests at: LTP * (1 + pct/100) for a BUY rounded down
// to the tick grid, LTP * (1 - pct/100) for a SELL rounded up (at least one tick).
// `market_protection` -1 means kAutoProtectionPercent. Not clamped to the circuit band: the
// simulator lets tests move prices beyond it, and a protected order must still trade there.
double ProtectionPrice(bool buy, double ltp, double market_protection, double tick_size);
double ProtectionPercent(double market_protection);

// RMS checks done after acceptance: "" when the order may go to the exchange, else the
// status_message of the REJECTED order. `close` is the previous close (circuit base).
std::string RmsRejection(const OrderInput& in, const SimInstrument& instrument,
                         double circuit_percent);

// A price is on the tick grid (tolerant to binary floating point).
bool OnTickGrid(double price, double tick_size);

}  // namespace zm::sim
