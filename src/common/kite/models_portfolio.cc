// JSON <-> model mapping for holdings (GET /portfolio/holdings, kite-mocks holdings.json).
#include <string>

#include "common/kite/json_fields.h"
#include "common/kite/models.h"

namespace zm::kite {
namespace {

using internal::ModelJson;
using internal::ParseList;
using internal::ParseModel;
using nlohmann::json;

Result<Holding> ParseHolding(const json& row) {
  return ParseModel(row, "holding", HoldingFields());
}

}  // namespace

Result<std::vector<Holding>> ParseHoldings(const json& data) {
  return ParseList<Holding>(data, "holdings", ParseHolding);
}

json ToJson(const Holding& h) {
  // Members Kite sends that the suite does not keep, with the values of a plain demat holding.
  json out = ModelJson(HoldingFields(), h,
                       {{"price", 0},
                        {"authorised_quantity", 0},
                        {"authorised_date", nullptr},
                        {"authorisation", json::object()},
                        {"collateral_type", ""},
                        {"discrepancy", false}});
  if (h.product.empty()) out["product"] = "CNC";
  return out;
}

}  // namespace zm::kite
