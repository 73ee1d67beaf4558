// GttBook: the account's GTT triggers (Kite's "Good Till Triggered"), which live outside the
// order book: GET /orders never lists them. A trigger is made from Kite's fields (type, condition,
// orders), stays `active` until the LTP crosses a trigger value, then turns `triggered` and its
// leg is returned to the caller, which places it as a regular order (as Kite does, untagged).
//
// Crossing rule: `single` fires when the LTP reaches its one value from the side it was on when
// the trigger was made (condition.last_price); `two-leg` (OCO) fires leg 1 when the LTP is at or
// below the lower value and leg 2 when it is at or above the upper one.
// Pure logic: time and prices passed in. Not thread-safe: one owner (the sim's thread).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/kite/models.h"
#include "common/status.h"
#include "kite_sim/order_rules.h"

namespace zm::sim {

// A leg to place now: the trigger, the leg's index and the regular order's form fields.
struct GttFire {
  long long trigger_id = 0;
  size_t leg = 0;
  double ltp = 0;
  FormParams order;
};

class GttBook {
 public:
  // Resolves "EX:SYM" to (instrument_token, LTP); nullopt when the instrument is unknown.
  using Lookup = std::function<std::optional<std::pair<uint32_t, double>>(const std::string&)>;

  // Makes a trigger from Kite's fields: type ("single"/"two-leg"), condition (object or JSON
  // text: exchange, tradingsymbol, trigger_values, last_price optional) and orders (array or JSON
  // text of {exchange, tradingsymbol, transaction_type, quantity, order_type LIMIT, product,
  // price}). kInvalidArgument with a Kite-like message when a field is wrong.
  Result<long long> Create(const nlohmann::json& type, const nlohmann::json& condition,
                           const nlohmann::json& orders, const Lookup& lookup, int64_t now_ms);
  // Marks a trigger deleted (it leaves List()). kNotFound when unknown or already deleted.
  Result<long long> Delete(long long id, int64_t now_ms);
  const kite::Gtt* Find(long long id) const;
  std::vector<kite::Gtt> List() const;  // newest first, deleted ones left out

  // Active triggers whose condition the LTP meets: they turn `triggered`; their legs to place.
  std::vector<GttFire> Check(const Lookup& lookup, int64_t now_ms);
  // Records the outcome of placing a fired leg (order id, or the rejection text).
  void RecordResult(const GttFire& fire, const std::string& order_id, const std::string& rejection,
                    int64_t now_ms);

 private:
  std::map<long long, kite::Gtt> triggers_;
  long long next_id_ = 100001;
};

}  // namespace zm::sim
