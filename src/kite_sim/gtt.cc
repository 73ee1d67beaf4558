#include "kite_sim/gtt.h"

#include <algorithm>
#include <cstdio>

#include "kite_sim/broker.h"

namespace zm::sim {
namespace {

Status Input(std::string message) { return InvalidArgument(std::move(message)); }

// A form field may carry JSON text; the control API passes JSON values directly.
nlohmann::json AsJson(const nlohmann::json& value) {
  if (value.is_string()) return nlohmann::json::parse(value.get<std::string>(), nullptr, false);
  return value;
}

Result<kite::GttOrder> ParseLeg(const nlohmann::json& leg) {
  if (!leg.is_object()) return Input("Invalid `orders`.");
  kite::GttOrder o;
  o.exchange = leg.value("exchange", "");
  o.tradingsymbol = leg.value("tradingsymbol", "");
  o.transaction_type = leg.value("transaction_type", "");
  o.order_type = leg.value("order_type", "LIMIT");
  o.product = leg.value("product", "");
  o.quantity = leg.value("quantity", 0LL);
  o.price = leg.value("price", 0.0);
  if (o.transaction_type != "BUY" && o.transaction_type != "SELL")
    return Input("Invalid `transaction_type` in orders.");
  if (o.order_type != "LIMIT") return Input("GTT orders must be LIMIT orders.");
  if (o.quantity <= 0 || o.price <= 0 || o.product.empty())
    return Input("Invalid `quantity`, `price` or `product` in orders.");
  return o;
}

}  // namespace

Result<long long> GttBook::Create(const nlohmann::json& type_value,
                                  const nlohmann::json& condition_value,
                                  const nlohmann::json& orders_value, const Lookup& lookup,
                                  int64_t now_ms) {
  const std::string type = type_value.is_string() ? type_value.get<std::string>() : "";
  if (type != "single" && type != "two-leg") return Input("Invalid `type`.");
  const nlohmann::json condition = AsJson(condition_value);
  const nlohmann::json orders = AsJson(orders_value);
  if (!condition.is_object()) return Input("Invalid `condition`.");
  if (!orders.is_array()) return Input("Invalid `orders`.");
  kite::Gtt g;
  g.trigger_type = type;
  try {
    g.exchange = condition.value("exchange", "");
    g.tradingsymbol = condition.value("tradingsymbol", "");
    for (const auto& v : condition.value("trigger_values", nlohmann::json::array()))
      g.trigger_values.push_back(v.get<double>());
    const auto found = lookup(g.exchange + ":" + g.tradingsymbol);
    if (!found) return Input("Invalid `tradingsymbol`.");
    g.instrument_token = found->first;
    g.last_price = condition.value("last_price", found->second);
    for (const auto& leg : orders) {
      auto parsed = ParseLeg(leg);
      if (!parsed.ok()) return parsed.status();
      g.orders.push_back(std::move(parsed).value());
    }
  } catch (const nlohmann::json::exception&) {
    return Input("Invalid `condition`.");
  }
  const size_t legs = type == "single" ? 1 : 2;
  if (g.trigger_values.size() != legs || g.orders.size() != legs)
    return Input("A " + type + " trigger needs " + std::to_string(legs) +
                 " trigger value(s) and as many orders.");
  if (type == "two-leg" && g.trigger_values[0] >= g.trigger_values[1])
    return Input("Invalid `trigger_values`: the lower value must come first.");
  g.id = next_id_++;
  g.status = "active";
  g.created_at = g.updated_at = KiteTimestamp(now_ms);
  g.expires_at = KiteTimestamp(now_ms + 365LL * 24 * 3600 * 1000);
  triggers_[g.id] = g;
  return g.id;
}

Result<long long> GttBook::Delete(long long id, int64_t now_ms) {
  auto it = triggers_.find(id);
  if (it == triggers_.end() || it->second.status == "deleted")
    return Status(StatusCode::kNotFound, "Trigger not found.");
  it->second.status = "deleted";
  it->second.updated_at = KiteTimestamp(now_ms);
  return id;
}

const kite::Gtt* GttBook::Find(long long id) const {
  auto it = triggers_.find(id);
  return it == triggers_.end() ? nullptr : &it->second;
}

std::vector<kite::Gtt> GttBook::List() const {
  std::vector<kite::Gtt> out;
  for (auto it = triggers_.rbegin(); it != triggers_.rend(); ++it) {
    if (it->second.status != "deleted") out.push_back(it->second);
  }
  return out;
}

std::vector<GttFire> GttBook::Check(const Lookup& lookup, int64_t now_ms) {
  std::vector<GttFire> fires;
  for (auto& [id, g] : triggers_) {
    if (g.status != "active") continue;
    const auto found = lookup(g.exchange + ":" + g.tradingsymbol);
    if (!found) continue;
    const double ltp = found->second;
    std::optional<size_t> leg;
    if (g.trigger_type == "single") {
      const double value = g.trigger_values[0];
      const bool upward = value >= g.last_price;
      if (upward ? ltp >= value : ltp <= value) leg = 0;
    } else if (ltp <= g.trigger_values[0]) {
      leg = 0;
    } else if (ltp >= g.trigger_values[1]) {
      leg = 1;
    }
    if (!leg) continue;
    g.status = "triggered";
    g.updated_at = KiteTimestamp(now_ms);
    const kite::GttOrder& o = g.orders[*leg];
    char price[32];
    std::snprintf(price, sizeof price, "%.10g", o.price);
    fires.push_back({id,
                     *leg,
                     ltp,
                     {{"exchange", o.exchange},
                      {"tradingsymbol", o.tradingsymbol},
                      {"transaction_type", o.transaction_type},
                      {"order_type", o.order_type},
                      {"quantity", std::to_string(o.quantity)},
                      {"product", o.product},
                      {"price", price},
                      {"validity", "DAY"}}});
  }
  return fires;
}

void GttBook::RecordResult(const GttFire& fire, const std::string& order_id,
                           const std::string& rejection, int64_t now_ms) {
  auto it = triggers_.find(fire.trigger_id);
  if (it == triggers_.end() || fire.leg >= it->second.orders.size()) return;
  kite::GttOrderResult& r = it->second.orders[fire.leg].result;
  r.status = order_id.empty() ? "failed" : "success";
  r.order_id = order_id;
  r.rejection_reason = rejection;
  r.triggered_at = fire.ltp;
  r.timestamp = KiteTimestamp(now_ms);
}

}  // namespace zm::sim
