// JSON <-> model mapping for holdings (GET /portfolio/holdings, kite-mocks holdings.json).
#include <string>

#include "common/kite/json_fields.h"
#include "common/kite/models.h"

namespace zm::kite {
namespace {

using internal::FieldReader;
using internal::ReadModelFields;
using internal::WriteModelFields;
using nlohmann::json;

Result<Holding> ParseHolding(const json& row, size_t index) {
  FieldReader r(row, "holdings[" + std::to_string(index) + "]");
  Holding h;
  ReadModelFields(r, HoldingFields(), h);
  if (!r.status().ok()) return r.status();
  return h;
}

}  // namespace

Result<std::vector<Holding>> ParseHoldings(const json& data) {
  std::vector<Holding> out;
  if (data.is_null()) return out;
  if (!data.is_array()) return ParseError("holdings: data is not a list");
  for (size_t i = 0; i < data.size(); ++i) {
    auto h = ParseHolding(data[i], i);
    if (!h.ok()) return h.status();
    out.push_back(std::move(h).value());
  }
  return out;
}

json ToJson(const Holding& h) {
  json out = json::object();
  WriteModelFields(HoldingFields(), h, out);
  // Members Kite sends that the suite does not keep, with the values of a plain demat holding.
  if (h.product.empty()) out["product"] = "CNC";
  out["price"] = 0;
  out["authorised_quantity"] = 0;
  out["authorised_date"] = nullptr;
  out["authorisation"] = json::object();
  out["collateral_type"] = "";
  out["discrepancy"] = false;
  return out;
}

}  // namespace zm::kite
