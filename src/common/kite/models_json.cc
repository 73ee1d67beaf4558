// JSON <-> model mapping for the REST data Kite returns (see models.h). Parsing is lenient
// about types (int/float, null strings) and strict about the members the suite relies on.
#include <string>

#include "common/kite/json_fields.h"
#include "common/kite/models.h"

namespace zm::kite {
namespace {

using internal::FieldReader;
using internal::NumJson;
using internal::StrOrNull;
using nlohmann::json;

Status AtIndex(const Status& status, std::string_view list, size_t index) {
  return ParseError(std::string(list) + "[" + std::to_string(index) + "]: " + status.message());
}

Result<Position> ParsePosition(const json& row) {
  FieldReader r(row, "position");
  Position p;
  p.tradingsymbol = r.RequiredStr("tradingsymbol");
  p.exchange = r.RequiredStr("exchange");
  p.product = r.RequiredStr("product");
  p.instrument_token = r.U32("instrument_token");
  p.quantity = r.RequiredInt("quantity");
  p.overnight_quantity = r.Int("overnight_quantity");
  const bool has_multiplier =
      row.is_object() && row.contains("multiplier") && !row["multiplier"].is_null();
  p.multiplier = has_multiplier ? r.Num("multiplier") : 1;
  p.average_price = r.Num("average_price");
  p.close_price = r.Num("close_price");
  p.last_price = r.Num("last_price");
  p.value = r.Num("value");
  p.pnl = r.Num("pnl");
  p.m2m = r.Num("m2m");
  p.unrealised = r.Num("unrealised");
  p.realised = r.Num("realised");
  p.buy_quantity = r.Int("buy_quantity");
  p.buy_price = r.Num("buy_price");
  p.buy_value = r.RequiredNum("buy_value");
  p.buy_m2m = r.Num("buy_m2m");
  p.sell_quantity = r.Int("sell_quantity");
  p.sell_price = r.Num("sell_price");
  p.sell_value = r.RequiredNum("sell_value");
  p.sell_m2m = r.Num("sell_m2m");
  p.day_buy_quantity = r.Int("day_buy_quantity");
  p.day_buy_price = r.Num("day_buy_price");
  p.day_buy_value = r.Num("day_buy_value");
  p.day_sell_quantity = r.Int("day_sell_quantity");
  p.day_sell_price = r.Num("day_sell_price");
  p.day_sell_value = r.Num("day_sell_value");
  if (!r.status().ok()) return r.status();
  return p;
}

Result<std::vector<Position>> ParsePositionList(const json& list, std::string_view name) {
  if (!list.is_array()) return ParseError("positions: '" + std::string(name) + "' is not a list");
  std::vector<Position> rows;
  rows.reserve(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    Result<Position> row = ParsePosition(list[i]);
    if (!row.ok()) return AtIndex(row.status(), name, i);
    rows.push_back(std::move(row).value());
  }
  return rows;
}

Result<Trade> ParseTrade(const json& row) {
  FieldReader r(row, "trade");
  Trade t;
  t.trade_id = r.RequiredStr("trade_id");
  t.order_id = r.RequiredStr("order_id");
  t.exchange_order_id = r.Str("exchange_order_id");
  t.exchange = r.Str("exchange");
  t.tradingsymbol = r.Str("tradingsymbol");
  t.product = r.Str("product");
  t.instrument_token = r.U32("instrument_token");
  t.transaction_type = r.Str("transaction_type");
  t.average_price = r.Num("average_price");
  t.quantity = r.Int("quantity");
  t.fill_timestamp = r.Str("fill_timestamp");
  t.order_timestamp = r.Str("order_timestamp");
  t.exchange_timestamp = r.Str("exchange_timestamp");
  if (!r.status().ok()) return r.status();
  return t;
}

// A list of strings; absent or null -> empty.
Result<std::vector<std::string>> StringList(const json& data, const char* key, const char* what) {
  std::vector<std::string> out;
  auto it = data.find(key);
  if (it == data.end() || it->is_null()) return out;
  if (!it->is_array()) return ParseError(std::string(what) + ": '" + key + "' is not a list");
  for (const json& item : *it) {
    if (!item.is_string())
      return ParseError(std::string(what) + ": '" + key + "' has a non-string");
    out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace

Result<Positions> ParsePositions(const json& data) {
  if (!data.is_object()) return ParseError("positions: data is not an object");
  // 'net' is what MTM is computed from: its absence is an error, never "no positions".
  auto net_it = data.find("net");
  if (net_it == data.end()) return ParseError("positions: missing 'net'");
  Result<std::vector<Position>> net = ParsePositionList(*net_it, "net");
  if (!net.ok()) return net.status();
  Positions positions;
  positions.net = std::move(net).value();
  auto day_it = data.find("day");
  if (day_it != data.end() && !day_it->is_null()) {
    Result<std::vector<Position>> day = ParsePositionList(*day_it, "day");
    if (!day.ok()) return day.status();
    positions.day = std::move(day).value();
  }
  return positions;
}

Result<Order> ParseOrder(const json& order) {
  FieldReader r(order, "order");
  Order o;
  o.order_id = r.RequiredStr("order_id");
  o.exchange_order_id = r.Str("exchange_order_id");
  o.parent_order_id = r.Str("parent_order_id");
  o.status = r.RequiredStr("status");
  o.status_message = r.Str("status_message");
  o.order_timestamp = r.Str("order_timestamp");
  o.exchange_timestamp = r.Str("exchange_timestamp");
  o.variety = r.Str("variety");
  o.exchange = r.Str("exchange");
  o.tradingsymbol = r.Str("tradingsymbol");
  o.instrument_token = r.U32("instrument_token");
  o.order_type = r.Str("order_type");
  o.transaction_type = r.Str("transaction_type");
  o.validity = r.Str("validity");
  o.product = r.Str("product");
  o.quantity = r.Int("quantity");
  o.disclosed_quantity = r.Int("disclosed_quantity");
  o.price = r.Num("price");
  o.trigger_price = r.Num("trigger_price");
  o.average_price = r.Num("average_price");
  o.filled_quantity = r.Int("filled_quantity");
  o.pending_quantity = r.Int("pending_quantity");
  o.cancelled_quantity = r.Int("cancelled_quantity");
  o.market_protection = r.Num("market_protection");
  o.tag = r.Str("tag");
  if (auto tags = order.find("tags"); tags != order.end() && tags->is_array()) {
    for (const auto& t : *tags) {
      if (t.is_string()) o.tags.push_back(t.get<std::string>());
    }
  }
  o.placed_by = r.Str("placed_by");
  o.guid = r.Str("guid");
  if (!r.status().ok()) return r.status();
  Result<std::vector<std::string>> tags = StringList(order, "tags", "order");
  if (!tags.ok()) return tags.status();
  o.tags = std::move(tags).value();
  return o;
}

Result<std::vector<Order>> ParseOrders(const json& data) {
  std::vector<Order> orders;
  if (data.is_null()) return orders;
  if (!data.is_array()) return ParseError("orders: data is not a list");
  orders.reserve(data.size());
  for (size_t i = 0; i < data.size(); ++i) {
    Result<Order> order = ParseOrder(data[i]);
    if (!order.ok()) return AtIndex(order.status(), "orders", i);
    orders.push_back(std::move(order).value());
  }
  return orders;
}

Result<std::vector<Trade>> ParseTrades(const json& data) {
  std::vector<Trade> trades;
  if (data.is_null()) return trades;
  if (!data.is_array()) return ParseError("trades: data is not a list");
  for (size_t i = 0; i < data.size(); ++i) {
    Result<Trade> trade = ParseTrade(data[i]);
    if (!trade.ok()) return AtIndex(trade.status(), "trades", i);
    trades.push_back(std::move(trade).value());
  }
  return trades;
}

Result<Profile> ParseProfile(const json& data) {
  FieldReader r(data, "profile");
  Profile p;
  p.user_id = r.RequiredStr("user_id");
  p.user_name = r.Str("user_name");
  p.user_shortname = r.Str("user_shortname");
  p.email = r.Str("email");
  p.user_type = r.Str("user_type");
  p.broker = r.Str("broker");
  if (!r.status().ok()) return r.status();
  for (auto [key, out] : {std::pair{"exchanges", &p.exchanges}, std::pair{"products", &p.products},
                          std::pair{"order_types", &p.order_types}}) {
    Result<std::vector<std::string>> list = StringList(data, key, "profile");
    if (!list.ok()) return list.status();
    *out = std::move(list).value();
  }
  return p;
}

Result<SessionToken> ParseSessionToken(const json& data) {
  FieldReader r(data, "session");
  SessionToken s;
  s.user_id = r.Str("user_id");
  s.api_key = r.Str("api_key");
  s.public_token = r.Str("public_token");
  s.login_time = r.Str("login_time");
  s.access_token = r.RequiredStr("access_token");
  if (!r.status().ok()) return r.status();
  return s;
}

Result<LtpQuotes> ParseLtp(const json& data) {
  LtpQuotes quotes;
  if (data.is_null()) return quotes;
  if (!data.is_object()) return ParseError("ltp: data is not an object");
  for (const auto& [key, value] : data.items()) {
    FieldReader r(value, "ltp '" + key + "'");
    LtpQuote quote;
    quote.instrument_token = r.U32("instrument_token");
    quote.last_price = r.RequiredNum("last_price");
    if (!r.status().ok()) return r.status();
    quotes.emplace(key, quote);
  }
  return quotes;
}

json ToJson(const Position& p) {
  return json{{"tradingsymbol", p.tradingsymbol},
              {"exchange", p.exchange},
              {"instrument_token", p.instrument_token},
              {"product", p.product},
              {"quantity", p.quantity},
              {"overnight_quantity", p.overnight_quantity},
              {"multiplier", NumJson(p.multiplier)},
              {"average_price", NumJson(p.average_price)},
              {"close_price", NumJson(p.close_price)},
              {"last_price", NumJson(p.last_price)},
              {"value", NumJson(p.value)},
              {"pnl", NumJson(p.pnl)},
              {"m2m", NumJson(p.m2m)},
              {"unrealised", NumJson(p.unrealised)},
              {"realised", NumJson(p.realised)},
              {"buy_quantity", p.buy_quantity},
              {"buy_price", NumJson(p.buy_price)},
              {"buy_value", NumJson(p.buy_value)},
              {"buy_m2m", NumJson(p.buy_m2m)},
              {"sell_quantity", p.sell_quantity},
              {"sell_price", NumJson(p.sell_price)},
              {"sell_value", NumJson(p.sell_value)},
              {"sell_m2m", NumJson(p.sell_m2m)},
              {"day_buy_quantity", p.day_buy_quantity},
              {"day_buy_price", NumJson(p.day_buy_price)},
              {"day_buy_value", NumJson(p.day_buy_value)},
              {"day_sell_quantity", p.day_sell_quantity},
              {"day_sell_price", NumJson(p.day_sell_price)},
              {"day_sell_value", NumJson(p.day_sell_value)}};
}

json ToJson(const Positions& p) {
  json net = json::array();
  json day = json::array();
  for (const Position& row : p.net) net.push_back(ToJson(row));
  for (const Position& row : p.day) day.push_back(ToJson(row));
  return json{{"net", std::move(net)}, {"day", std::move(day)}};
}

json ToJson(const Order& o) {
  return json{{"placed_by", o.placed_by},
              {"order_id", o.order_id},
              {"exchange_order_id", StrOrNull(o.exchange_order_id)},
              {"parent_order_id", StrOrNull(o.parent_order_id)},
              {"status", o.status},
              {"status_message", StrOrNull(o.status_message)},
              {"status_message_raw", StrOrNull(o.status_message)},
              {"order_timestamp", StrOrNull(o.order_timestamp)},
              {"exchange_update_timestamp", StrOrNull(o.exchange_timestamp)},
              {"exchange_timestamp", StrOrNull(o.exchange_timestamp)},
              {"variety", o.variety},
              {"modified", false},
              {"exchange", o.exchange},
              {"tradingsymbol", o.tradingsymbol},
              {"instrument_token", o.instrument_token},
              {"order_type", o.order_type},
              {"transaction_type", o.transaction_type},
              {"validity", o.validity},
              {"product", o.product},
              {"quantity", o.quantity},
              {"disclosed_quantity", o.disclosed_quantity},
              {"price", NumJson(o.price)},
              {"trigger_price", NumJson(o.trigger_price)},
              {"average_price", NumJson(o.average_price)},
              {"filled_quantity", o.filled_quantity},
              {"pending_quantity", o.pending_quantity},
              {"cancelled_quantity", o.cancelled_quantity},
              {"market_protection", NumJson(o.market_protection)},
              {"meta", json::object()},
              {"tag", StrOrNull(o.tag)},
              {"tags", o.tags},
              {"guid", o.guid}};
}

json ToJson(const Trade& t) {
  return json{{"trade_id", t.trade_id},
              {"order_id", t.order_id},
              {"exchange", t.exchange},
              {"tradingsymbol", t.tradingsymbol},
              {"instrument_token", t.instrument_token},
              {"product", t.product},
              {"average_price", NumJson(t.average_price)},
              {"quantity", t.quantity},
              {"exchange_order_id", StrOrNull(t.exchange_order_id)},
              {"transaction_type", t.transaction_type},
              {"fill_timestamp", t.fill_timestamp},
              {"order_timestamp", t.order_timestamp},
              {"exchange_timestamp", t.exchange_timestamp}};
}

json ToJson(const Profile& p) {
  return json{{"user_id", p.user_id},
              {"user_type", p.user_type},
              {"email", p.email},
              {"user_name", p.user_name},
              {"user_shortname", p.user_shortname},
              {"broker", p.broker},
              {"exchanges", p.exchanges},
              {"products", p.products},
              {"order_types", p.order_types},
              {"avatar_url", nullptr},
              {"meta", json::object()}};
}

json ToJson(const SessionToken& s) {
  return json{
      {"user_id", s.user_id},           {"api_key", s.api_key}, {"access_token", s.access_token},
      {"public_token", s.public_token}, {"refresh_token", ""},  {"login_time", s.login_time}};
}

json ToJson(const LtpQuotes& q) {
  json out = json::object();
  for (const auto& [key, quote] : q) {
    out[key] = json{{"instrument_token", quote.instrument_token},
                    {"last_price", NumJson(quote.last_price)}};
  }
  return out;
}

}  // namespace zm::kite
