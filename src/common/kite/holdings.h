// GET /portfolio/holdings: the account's delivery holdings (mock holdings.json). Only what the
// guard needs to tell a sale from holdings (a negative CNC row in positions) from a short.
// Parse is lenient like every model (models.h): unknown fields ignored, numbers int or float.
// Pure functions, thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"

namespace zm::kite {

struct Holding {
  std::string tradingsymbol, exchange, isin, product;
  uint32_t instrument_token = 0;
  long long quantity = 0;       // settled shares
  long long t1_quantity = 0;    // bought on the previous day, not yet settled
  long long used_quantity = 0;  // sold today (shows as a negative CNC row in positions)
  long long opening_quantity = 0, realised_quantity = 0, short_quantity = 0;
  long long collateral_quantity = 0;
  double average_price = 0, last_price = 0, close_price = 0, pnl = 0;
  bool operator==(const Holding&) const = default;
};

// Required per row: tradingsymbol, exchange, quantity. A null list is empty.
Result<std::vector<Holding>> ParseHoldings(const nlohmann::json& data);
nlohmann::json ToJson(const Holding& h);

}  // namespace zm::kite
