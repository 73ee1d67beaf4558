// JSON <-> model mapping for full quotes (GET /quote) and GTT triggers (GET /gtt/triggers).
// Shapes: kite-mocks quote.json, gtt_get_orders.json, gtt_get_order.json, gtt_place_order.json.
#include <string>

#include "common/kite/json_fields.h"
#include "common/kite/models.h"

namespace zm::kite {
namespace {

using internal::FieldReader;
using internal::NumJson;
using internal::ReadModelFields;
using internal::StrOrNull;
using internal::WriteModelFields;
using nlohmann::json;

const json& Member(const json& object, const char* key) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

Status ParseDepthSide(const json& side, const std::string& where, std::array<DepthLevel, 5>* out) {
  if (side.is_null()) return Status::Ok();
  if (!side.is_array()) return ParseError(where + " is not a list");
  for (size_t i = 0; i < side.size() && i < out->size(); ++i) {
    FieldReader r(side[i], where + "[" + std::to_string(i) + "]");
    (*out)[i] = {r.Num("price"), r.Int("quantity"), static_cast<int>(r.Int("orders"))};
    if (!r.status().ok()) return r.status();
  }
  return Status::Ok();
}

json DepthJson(const std::array<DepthLevel, 5>& side) {
  json out = json::array();
  for (const DepthLevel& level : side) {
    out.push_back(
        {{"price", NumJson(level.price)}, {"quantity", level.quantity}, {"orders", level.orders}});
  }
  return out;
}

Result<GttOrder> ParseGttOrder(const json& row, const std::string& where) {
  FieldReader r(row, where);
  GttOrder o;
  ReadModelFields(r, GttOrderFields(), o);
  if (!r.status().ok()) return r.status();
  const json& result = Member(row, "result");
  if (result.is_object()) {
    FieldReader rr(result, where + ".result");
    o.result.timestamp = rr.Str("timestamp");
    o.result.triggered_at = rr.Num("triggered_at");
    FieldReader order_result(Member(result, "order_result"), where + ".result.order_result");
    o.result.status = order_result.Str("status");
    o.result.order_id = order_result.Str("order_id");
    o.result.rejection_reason = order_result.Str("rejection_reason");
    if (!rr.status().ok()) return rr.status();
  }
  return o;
}

json GttResultJson(const Gtt& g, const GttOrder& o) {
  if (o.result.status.empty()) return nullptr;
  json out = {{"account_id", nullptr},
              {"validity", "DAY"},
              {"meta", "{\"gtt\":" + std::to_string(g.id) + "}"},
              {"timestamp", o.result.timestamp},
              {"triggered_at", NumJson(o.result.triggered_at)},
              {"order_result",
               {{"status", o.result.status},
                {"order_id", o.result.order_id},
                {"rejection_reason", o.result.rejection_reason}}}};
  WriteModelFields(GttOrderFields(), o, out);
  return out;
}

}  // namespace

Result<FullQuotes> ParseQuote(const json& data) {
  FullQuotes quotes;
  if (data.is_null()) return quotes;
  if (!data.is_object()) return ParseError("quote: data is not an object");
  for (const auto& [key, value] : data.items()) {
    const std::string where = "quote '" + key + "'";
    FieldReader r(value, where);
    FullQuote q;
    q.instrument_token = r.U32("instrument_token");
    q.last_price = r.RequiredNum("last_price");
    q.lower_circuit_limit = r.Num("lower_circuit_limit");
    q.upper_circuit_limit = r.Num("upper_circuit_limit");
    if (!r.status().ok()) return r.status();
    const json& depth = Member(value, "depth");
    ZM_RETURN_IF_ERROR(ParseDepthSide(Member(depth, "buy"), where + " depth.buy", &q.buy));
    ZM_RETURN_IF_ERROR(ParseDepthSide(Member(depth, "sell"), where + " depth.sell", &q.sell));
    quotes.emplace(key, q);
  }
  return quotes;
}

json ToJson(const FullQuote& q) {
  return json{{"instrument_token", q.instrument_token},
              {"last_price", NumJson(q.last_price)},
              {"lower_circuit_limit", NumJson(q.lower_circuit_limit)},
              {"upper_circuit_limit", NumJson(q.upper_circuit_limit)},
              {"depth", {{"buy", DepthJson(q.buy)}, {"sell", DepthJson(q.sell)}}}};
}

Result<Gtt> ParseGtt(const json& data) {
  FieldReader r(data, "gtt");
  Gtt g;
  g.id = r.RequiredInt("id");
  g.status = r.RequiredStr("status");
  g.trigger_type = r.Str("type");
  g.created_at = r.Str("created_at");
  g.updated_at = r.Str("updated_at");
  g.expires_at = r.Str("expires_at");
  if (!r.status().ok()) return r.status();
  const std::string where = "gtt " + std::to_string(g.id);
  const json& condition = Member(data, "condition");
  FieldReader c(condition, where + " condition");
  g.exchange = c.RequiredStr("exchange");
  g.tradingsymbol = c.RequiredStr("tradingsymbol");
  g.instrument_token = c.U32("instrument_token");
  g.last_price = c.Num("last_price");
  if (!c.status().ok()) return c.status();
  const json& values = Member(condition, "trigger_values");
  if (!values.is_null() && !values.is_array())
    return ParseError(where + ": trigger_values is not a list");
  for (const json& v : values.is_array() ? values : json::array()) {
    if (!v.is_number()) return ParseError(where + ": trigger_values has a non-number");
    g.trigger_values.push_back(v.get<double>());
  }
  const json& orders = Member(data, "orders");
  if (!orders.is_null() && !orders.is_array()) return ParseError(where + ": orders is not a list");
  for (size_t i = 0; orders.is_array() && i < orders.size(); ++i) {
    auto leg = ParseGttOrder(orders[i], where + " orders[" + std::to_string(i) + "]");
    if (!leg.ok()) return leg.status();
    g.orders.push_back(std::move(leg).value());
  }
  return g;
}

Result<std::vector<Gtt>> ParseGtts(const json& data) {
  std::vector<Gtt> out;
  if (data.is_null()) return out;
  if (!data.is_array()) return ParseError("gtt triggers: data is not a list");
  for (const json& row : data) {
    auto gtt = ParseGtt(row);
    if (!gtt.ok()) return gtt.status();
    out.push_back(std::move(gtt).value());
  }
  return out;
}

Result<long long> ParseTriggerId(const json& data) {
  FieldReader r(data, "gtt response");
  const long long id = r.RequiredInt("trigger_id");
  if (!r.status().ok()) return r.status();
  return id;
}

json ToJson(const Gtt& g) {
  json values = json::array();
  for (double v : g.trigger_values) values.push_back(NumJson(v));
  json orders = json::array();
  for (const GttOrder& o : g.orders) {
    json leg = {{"result", GttResultJson(g, o)}};
    WriteModelFields(GttOrderFields(), o, leg);
    orders.push_back(std::move(leg));
  }
  return json{{"id", g.id},
              {"user_id", nullptr},
              {"parent_trigger", nullptr},
              {"type", g.trigger_type},
              {"created_at", StrOrNull(g.created_at)},
              {"updated_at", StrOrNull(g.updated_at)},
              {"expires_at", StrOrNull(g.expires_at)},
              {"status", g.status},
              {"condition",
               {{"exchange", g.exchange},
                {"last_price", NumJson(g.last_price)},
                {"tradingsymbol", g.tradingsymbol},
                {"trigger_values", values},
                {"instrument_token", g.instrument_token}}},
              {"orders", orders},
              {"meta", json::object()}};
}

}  // namespace zm::kite
