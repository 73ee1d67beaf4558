// JSON <-> model mapping for the REST data Kite returns (see models.h). Parsing is lenient
// about types (int/float, null strings) and strict about the members the suite relies on.
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

Status AtIndex(const Status& status, std::string_view list, size_t index) {
  return ParseError(std::string(list) + "[" + std::to_string(index) + "]: " + status.message());
}

Result<Position> ParsePosition(const json& row) {
  FieldReader r(row, "position");
  Position p;
  ReadModelFields(r, PositionFields(), p);
  // An absent or null multiplier is 1 (the struct's default), not 0.
  if (!row.is_object() || !row.contains("multiplier") || row["multiplier"].is_null()) {
    p.multiplier = 1;
  }
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
  ReadModelFields(r, TradeFields(), t);
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
  ReadModelFields(r, OrderFields(), o);
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
  json out = json::object();
  WriteModelFields(PositionFields(), p, out);
  return out;
}

json ToJson(const Positions& p) {
  json net = json::array();
  json day = json::array();
  for (const Position& row : p.net) net.push_back(ToJson(row));
  for (const Position& row : p.day) day.push_back(ToJson(row));
  return json{{"net", std::move(net)}, {"day", std::move(day)}};
}

json ToJson(const Order& o) {
  json out = json::object();
  WriteModelFields(OrderFields(), o, out);
  // Members Kite sends that the suite does not keep.
  out["status_message_raw"] = StrOrNull(o.status_message);
  out["exchange_update_timestamp"] = StrOrNull(o.exchange_timestamp);
  out["modified"] = false;
  out["meta"] = json::object();
  out["tags"] = o.tags;
  return out;
}

json ToJson(const Trade& t) {
  json out = json::object();
  WriteModelFields(TradeFields(), t, out);
  return out;
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
