#include "common/kite/holdings.h"

#include "common/kite/json_fields.h"

namespace zm::kite {

using internal::FieldReader;
using internal::NumJson;
using nlohmann::json;

Result<std::vector<Holding>> ParseHoldings(const json& data) {
  if (data.is_null()) return std::vector<Holding>{};
  if (!data.is_array()) return ParseError("holdings: not a list");
  std::vector<Holding> out;
  out.reserve(data.size());
  for (size_t i = 0; i < data.size(); ++i) {
    FieldReader r(data[i], "holding");
    Holding h;
    h.tradingsymbol = r.RequiredStr("tradingsymbol");
    h.exchange = r.RequiredStr("exchange");
    h.isin = r.Str("isin");
    h.product = r.Str("product");
    h.instrument_token = r.U32("instrument_token");
    h.quantity = r.RequiredInt("quantity");
    h.t1_quantity = r.Int("t1_quantity");
    h.used_quantity = r.Int("used_quantity");
    h.opening_quantity = r.Int("opening_quantity");
    h.realised_quantity = r.Int("realised_quantity");
    h.short_quantity = r.Int("short_quantity");
    h.collateral_quantity = r.Int("collateral_quantity");
    h.average_price = r.Num("average_price");
    h.last_price = r.Num("last_price");
    h.close_price = r.Num("close_price");
    h.pnl = r.Num("pnl");
    if (!r.status().ok()) {
      return ParseError("holdings[" + std::to_string(i) + "]: " + r.status().message());
    }
    out.push_back(std::move(h));
  }
  return out;
}

json ToJson(const Holding& h) {
  return {{"tradingsymbol", h.tradingsymbol},
          {"exchange", h.exchange},
          {"isin", h.isin},
          {"product", h.product},
          {"instrument_token", h.instrument_token},
          {"quantity", h.quantity},
          {"t1_quantity", h.t1_quantity},
          {"used_quantity", h.used_quantity},
          {"opening_quantity", h.opening_quantity},
          {"realised_quantity", h.realised_quantity},
          {"short_quantity", h.short_quantity},
          {"collateral_quantity", h.collateral_quantity},
          {"average_price", NumJson(h.average_price)},
          {"last_price", NumJson(h.last_price)},
          {"close_price", NumJson(h.close_price)},
          {"pnl", NumJson(h.pnl)}};
}

}  // namespace zm::kite
