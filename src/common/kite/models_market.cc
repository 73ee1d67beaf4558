// JSON <-> model mapping for full quotes (GET /quote) and GTT triggers (GET /gtt/triggers).
// Shapes: kite-mocks quote.json, gtt_get_orders.json, gtt_get_order.json, gtt_place_order.json.
#include <string>

#include "common/kite/json_fields.h"
#include "common/kite/models.h"

namespace zm::kite {
namespace {

using internal::FieldReader;
using internal::ModelJson;
using internal::NumJson;
using internal::ParseList;
using internal::ParseModel;
using internal::ReadModelFields;
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

Result<GttOrder> ParseGttOrder(const json& row) {
  Result<GttOrder> leg = ParseModel(row, "gtt order", GttOrderFields());
  if (!leg.ok()) return leg;
  GttOrder& o = *leg;
  const json& result = Member(row, "result");
  if (result.is_object()) {
    FieldReader rr(result, "gtt order.result");
    o.result.timestamp = rr.Str("timestamp");
    o.result.triggered_at = rr.Num("triggered_at");
    FieldReader order_result(Member(result, "order_result"), "gtt order.result.order_result");
    o.result.status = order_result.Str("status");
    o.result.order_id = order_result.Str("order_id");
    o.result.rejection_reason = order_result.Str("rejection_reason");
    if (!rr.status().ok()) return rr.status();
    if (!order_result.status().ok()) return order_result.status();
  }
  return leg;
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
    Result<FullQuote> q = ParseModel(value, where, FullQuoteFields());
    if (!q.ok()) return q.status();
    const json& depth = Member(value, "depth");
    ZM_RETURN_IF_ERROR(ParseDepthSide(Member(depth, "buy"), where + " depth.buy", &q->buy));
    ZM_RETURN_IF_ERROR(ParseDepthSide(Member(depth, "sell"), where + " depth.sell", &q->sell));
    quotes.emplace(key, *q);
  }
  return quotes;
}

json ToJson(const FullQuote& q) {
  return ModelJson(FullQuoteFields(), q,
                   {{"depth", {{"buy", DepthJson(q.buy)}, {"sell", DepthJson(q.sell)}}}});
}

Result<Gtt> ParseGtt(const json& data) {
  Result<Gtt> gtt = ParseModel(data, "gtt", GttFields());
  if (!gtt.ok()) return gtt;
  Gtt& g = *gtt;
  const std::string where = "gtt " + std::to_string(g.id);
  const json& condition = Member(data, "condition");
  FieldReader c(condition, where + " condition");
  ReadModelFields(c, GttConditionFields(), g);
  if (!c.status().ok()) return c.status();
  const json& values = Member(condition, "trigger_values");
  if (!values.is_null() && !values.is_array())
    return ParseError(where + ": trigger_values is not a list");
  for (const json& v : values.is_array() ? values : json::array()) {
    if (!v.is_number()) return ParseError(where + ": trigger_values has a non-number");
    g.trigger_values.push_back(v.get<double>());
  }
  Result<std::vector<GttOrder>> legs =
      ParseList<GttOrder>(Member(data, "orders"), where + " orders", ParseGttOrder);
  if (!legs.ok()) return legs.status();
  g.orders = std::move(legs).value();
  return gtt;
}

Result<std::vector<Gtt>> ParseGtts(const json& data) {
  return ParseList<Gtt>(data, "gtt triggers", ParseGtt);
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
    orders.push_back(ModelJson(GttOrderFields(), o, {{"result", GttResultJson(g, o)}}));
  }
  json condition = ModelJson(GttConditionFields(), g, {{"trigger_values", std::move(values)}});
  return ModelJson(GttFields(), g,
                   {{"user_id", nullptr},
                    {"parent_trigger", nullptr},
                    {"condition", std::move(condition)},
                    {"orders", std::move(orders)},
                    {"meta", json::object()}});
}

}  // namespace zm::kite
