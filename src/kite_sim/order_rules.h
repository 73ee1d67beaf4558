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
};

// The last value of `key` in `params`, or nullptr.
const std::string* FindParam(const FormParams& params, const std::string& key);

// Parses POST /orders params. Missing or malformed fields: kInvalidArgument with Kite's message.
Result<OrderInput> ParseOrderInput(const FormParams& params);

// InputException checks (HTTP 400). `freeze_limit` 0 = none for this underlying.
Status CheckOrderInput(const OrderInput& in, const SimInstrument& instrument,
                       long long freeze_limit);

// RMS checks done after acceptance: "" when the order may go to the exchange, else the
// status_message of the REJECTED order. `close` is the previous close (circuit base).
std::string RmsRejection(const OrderInput& in, const SimInstrument& instrument,
                         double circuit_percent);

// A price is on the tick grid (tolerant to binary floating point).
bool OnTickGrid(double price, double tick_size);

}  // namespace zm::sim
