// JSON <-> model mapping for the REST data Kite returns (see models.h). Parsing is lenient
// about types (int/float, null strings) and strict about the members the suite relies on.
#include <string>

#include "common/kite/json_fields.h"
#include "common/kite/models.h"

namespace zm::kite {
namespace {

using internal::FieldReader;
using internal::ModelJson;
using internal::ParseList;
using internal::ParseModel;
using internal::ReadModelFields;
using internal::StrOrNull;
using nlohmann::json;

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

Result<Trade> ParseTrade(const json& row) { return ParseModel(row, "trade", TradeFields()); }

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
  if (net_it == data.end() || net_it->is_null()) return ParseError("positions: missing 'net'");
  Result<std::vector<Position>> net = ParseList<Position>(*net_it, "positions.net", ParsePosition);
  if (!net.ok()) return net.status();
  Positions positions;
  positions.net = std::move(net).value();
  auto day_it = data.find("day");
  if (day_it != data.end()) {
    Result<std::vector<Position>> day =
        ParseList<Position>(*day_it, "positions.day", ParsePosition);
    if (!day.ok()) return day.status();
    positions.day = std::move(day).value();
  }
  return positions;
}

Result<Order> ParseOrder(const json& order) {
  Result<Order> o = ParseModel(order, "order", OrderFields());
  if (!o.ok()) return o;
  Result<std::vector<std::string>> tags = StringList(order, "tags", "order");
  if (!tags.ok()) return tags.status();
  o->tags = std::move(tags).value();
  return o;
}

Result<std::vector<Order>> ParseOrders(const json& data) {
  return ParseList<Order>(data, "orders", ParseOrder);
}

Result<std::vector<Trade>> ParseTrades(const json& data) {
  return ParseList<Trade>(data, "trades", ParseTrade);
}

Result<Profile> ParseProfile(const json& data) {
  Result<Profile> p = ParseModel(data, "profile", ProfileFields());
  if (!p.ok()) return p;
  for (auto [key, out] :
       {std::pair{"exchanges", &p->exchanges}, std::pair{"products", &p->products},
        std::pair{"order_types", &p->order_types}}) {
    Result<std::vector<std::string>> list = StringList(data, key, "profile");
    if (!list.ok()) return list.status();
    *out = std::move(list).value();
  }
  return p;
}

Result<SessionToken> ParseSessionToken(const json& data) {
  return ParseModel(data, "session", SessionTokenFields());
}

Result<LtpQuotes> ParseLtp(const json& data) {
  LtpQuotes quotes;
  if (data.is_null()) return quotes;
  if (!data.is_object()) return ParseError("ltp: data is not an object");
  for (const auto& [key, value] : data.items()) {
    Result<LtpQuote> quote = ParseModel(value, "ltp '" + key + "'", LtpQuoteFields());
    if (!quote.ok()) return quote.status();
    quotes.emplace(key, *quote);
  }
  return quotes;
}

json ToJson(const Position& p) { return ModelJson(PositionFields(), p); }

json ToJson(const Positions& p) {
  json net = json::array();
  json day = json::array();
  for (const Position& row : p.net) net.push_back(ToJson(row));
  for (const Position& row : p.day) day.push_back(ToJson(row));
  return json{{"net", std::move(net)}, {"day", std::move(day)}};
}

json ToJson(const Order& o) {
  // Members Kite sends that the suite does not keep, and the tags (a list).
  return ModelJson(OrderFields(), o,
                   {{"status_message_raw", StrOrNull(o.status_message)},
                    {"exchange_update_timestamp", StrOrNull(o.exchange_timestamp)},
                    {"modified", false},
                    {"meta", json::object()},
                    {"tags", o.tags}});
}

json ToJson(const Trade& t) { return ModelJson(TradeFields(), t); }

json ToJson(const Profile& p) {
  return ModelJson(ProfileFields(), p,
                   {{"exchanges", p.exchanges},
                    {"products", p.products},
                    {"order_types", p.order_types},
                    {"avatar_url", nullptr},
                    {"meta", json::object()}});
}

json ToJson(const SessionToken& s) {
  return ModelJson(SessionTokenFields(), s, {{"refresh_token", ""}});
}

json ToJson(const LtpQuotes& q) {
  json out = json::object();
  for (const auto& [key, quote] : q) out[key] = ModelJson(LtpQuoteFields(), quote);
  return out;
}

}  // namespace zm::kite
