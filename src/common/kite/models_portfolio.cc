// JSON <-> model mapping for holdings (GET /portfolio/holdings, kite-mocks holdings.json).
#include <string>

#include "common/kite/json_fields.h"
#include "common/kite/models.h"

namespace zm::kite {
namespace {

using internal::FieldReader;
using internal::NumJson;
using nlohmann::json;

Result<Holding> ParseHolding(const json& row, size_t index) {
  FieldReader r(row, "holdings[" + std::to_string(index) + "]");
  Holding h;
  h.tradingsymbol = r.RequiredStr("tradingsymbol");
  h.exchange = r.RequiredStr("exchange");
  h.isin = r.Str("isin");
  h.product = r.Str("product");
  h.instrument_token = r.U32("instrument_token");
  h.quantity = r.RequiredInt("quantity");
  h.t1_quantity = r.Int("t1_quantity");
  h.used_quantity = r.Int("used_quantity");
  h.realised_quantity = r.Int("realised_quantity");
  h.opening_quantity = r.Int("opening_quantity");
  h.short_quantity = r.Int("short_quantity");
  h.collateral_quantity = r.Int("collateral_quantity");
  h.average_price = r.Num("average_price");
  h.last_price = r.Num("last_price");
  h.close_price = r.Num("close_price");
  h.pnl = r.Num("pnl");
  h.day_change = r.Num("day_change");
  h.day_change_percentage = r.Num("day_change_percentage");
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
  return json{{"tradingsymbol", h.tradingsymbol},
              {"exchange", h.exchange},
              {"instrument_token", h.instrument_token},
              {"isin", h.isin},
              {"product", h.product.empty() ? "CNC" : h.product},
              {"price", 0},
              {"quantity", h.quantity},
              {"used_quantity", h.used_quantity},
              {"t1_quantity", h.t1_quantity},
              {"realised_quantity", h.realised_quantity},
              {"authorised_quantity", 0},
              {"authorised_date", nullptr},
              {"authorisation", json::object()},
              {"opening_quantity", h.opening_quantity},
              {"short_quantity", h.short_quantity},
              {"collateral_quantity", h.collateral_quantity},
              {"collateral_type", ""},
              {"discrepancy", false},
              {"average_price", NumJson(h.average_price)},
              {"last_price", NumJson(h.last_price)},
              {"close_price", NumJson(h.close_price)},
              {"pnl", NumJson(h.pnl)},
              {"day_change", NumJson(h.day_change)},
              {"day_change_percentage", NumJson(h.day_change_percentage)}};
}

}  // namespace zm::kite
