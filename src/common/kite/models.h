// Kite Connect REST models and their JSON mapping (both directions: the clients parse, the
// simulator serialises). Unknown fields are ignored; numbers are accepted as ints or floats;
// null strings become "". Pure functions, thread-safe.
#pragma once

#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace zm::kite {

struct Position {
  std::string tradingsymbol, exchange, product;
  uint32_t instrument_token = 0;
  long long quantity = 0, overnight_quantity = 0;
  double multiplier = 1;
  double average_price = 0, close_price = 0, last_price = 0, value = 0;
  double pnl = 0, m2m = 0, unrealised = 0, realised = 0;
  long long buy_quantity = 0, sell_quantity = 0;
  double buy_price = 0, buy_value = 0, buy_m2m = 0;
  double sell_price = 0, sell_value = 0, sell_m2m = 0;
  long long day_buy_quantity = 0, day_sell_quantity = 0;
  double day_buy_price = 0, day_buy_value = 0, day_sell_price = 0, day_sell_value = 0;
  bool operator==(const Position&) const = default;
};

struct Positions {
  std::vector<Position> net;
  std::vector<Position> day;
};

// GET /portfolio/holdings (kite-mocks holdings.json): delivery equity held in the demat account.
// Shares sold today from a holding raise used_quantity and show in positions as a CNC row with
// a negative quantity (a delivery sale, not a short).
struct Holding {
  std::string tradingsymbol, exchange, isin, product;
  uint32_t instrument_token = 0;
  long long quantity = 0, t1_quantity = 0, used_quantity = 0, realised_quantity = 0;
  long long opening_quantity = 0, short_quantity = 0, collateral_quantity = 0;
  double average_price = 0, last_price = 0, close_price = 0, pnl = 0;
  double day_change = 0, day_change_percentage = 0;
  bool operator==(const Holding&) const = default;
};

// Order statuses. Terminal: COMPLETE, CANCELLED, REJECTED. Anything else (including unknown
// strings) is live / not terminal.
bool IsTerminalStatus(std::string_view status);

struct Order {
  std::string order_id, exchange_order_id, parent_order_id;
  std::string status, status_message;
  std::string order_timestamp, exchange_timestamp;  // "YYYY-MM-DD HH:MM:SS" IST as Kite sends
  std::string variety, exchange, tradingsymbol;
  uint32_t instrument_token = 0;
  std::string order_type, transaction_type, validity, product;
  long long quantity = 0, disclosed_quantity = 0;
  double price = 0, trigger_price = 0, average_price = 0;
  long long filled_quantity = 0, pending_quantity = 0, cancelled_quantity = 0;
  double market_protection = 0;
  std::string tag;
  // Kite lists the request's tag and its own system tags here (`mktp`, `mktp:2.00`,
  // `autoslice`, `autoslice:<first slice id>`); `tag` may be null while `tags` has it.
  std::vector<std::string> tags;
  std::string placed_by, guid;
  bool operator==(const Order&) const = default;
};

struct Trade {
  std::string trade_id, order_id, exchange_order_id, exchange, tradingsymbol, product;
  uint32_t instrument_token = 0;
  std::string transaction_type;
  double average_price = 0;
  long long quantity = 0;
  std::string fill_timestamp, order_timestamp, exchange_timestamp;
};

struct Profile {
  std::string user_id, user_name, user_shortname, email, user_type, broker;
  std::vector<std::string> exchanges, products, order_types;
};

struct SessionToken {
  std::string user_id, api_key, public_token, login_time;
  std::string access_token;  // a secret: callers wrap it in Secret immediately
};

// "EX:SYMBOL" -> last price. Keys without data are absent.
struct LtpQuote {
  uint32_t instrument_token = 0;
  double last_price = 0;
};
using LtpQuotes = std::map<std::string, LtpQuote>;

// GET /quote (full quote) per "EX:SYM": the fields the suite prices exits from.
struct DepthLevel {
  double price = 0;
  long long quantity = 0;
  int orders = 0;
  bool operator==(const DepthLevel&) const = default;
};
struct FullQuote {
  uint32_t instrument_token = 0;
  double last_price = 0;
  std::array<DepthLevel, 5> buy{}, sell{};  // best first; empty levels are zeros
  double lower_circuit_limit = 0, upper_circuit_limit = 0;
  bool operator==(const FullQuote&) const = default;
};
using FullQuotes = std::map<std::string, FullQuote>;

// A GTT trigger (GET /gtt/triggers). `orders` are the legs; a fired leg has a result.
struct GttOrderResult {
  std::string status;  // "success" / "failed"; "" = the leg has not fired
  std::string order_id, rejection_reason, timestamp;
  double triggered_at = 0;
  bool operator==(const GttOrderResult&) const = default;
};
struct GttOrder {
  std::string exchange, tradingsymbol, transaction_type, order_type, product;
  long long quantity = 0;
  double price = 0;
  GttOrderResult result;
  bool operator==(const GttOrder&) const = default;
};
struct Gtt {
  long long id = 0;
  std::string status;        // active, triggered, disabled, expired, cancelled, rejected, deleted
  std::string trigger_type;  // "single" or "two-leg"
  std::string exchange, tradingsymbol;  // condition
  uint32_t instrument_token = 0;
  double last_price = 0;  // condition.last_price (when the trigger was made)
  std::vector<double> trigger_values;
  std::vector<GttOrder> orders;
  std::string created_at, updated_at, expires_at;
  bool operator==(const Gtt&) const = default;
};

// Parameters of POST /orders/{variety}.
struct OrderRequest {
  std::string variety = "regular";
  std::string exchange, tradingsymbol, transaction_type, order_type, product;
  long long quantity = 0;
  double price = 0;          // LIMIT / SL
  double trigger_price = 0;  // SL / SL-M
  std::string validity = "DAY";
  double market_protection = 0;  // sent when != 0 (MARKET / SL-M)
  bool autoslice = false;        // Kite slices a quantity above the freeze limit itself
  std::string tag;
  // application/x-www-form-urlencoded body (zero price/trigger omitted).
  std::string ToForm() const;
};

// Parameters of PUT /orders/{variety}/{id} (only non-zero fields are sent).
struct OrderModify {
  std::string order_type;
  long long quantity = 0;
  double price = 0, trigger_price = 0;
  std::string ToForm() const;
};

// --- Envelopes -------------------------------------------------------------------------------
// Maps an HTTP answer to the `data` member or a Status: 200 + status "success" -> data;
// otherwise a Status with http_status + error_type set and code: 403/TokenException -> kToken,
// 429 -> kRateLimited, other -> kBroker. A body that is not JSON -> kParseError (with HTTP code).
// Precisely: kToken when error_type is TokenException, or HTTP 403 without an error_type (a 403
// PermissionException is kBroker: it must not send the user to log in again). A 200 JSON body
// without "status" -> kParseError. The message is Kite's `message`; the body is never echoed.
Result<nlohmann::json> ParseEnvelope(int http_status, std::string_view body);
// {"status":"success","data":data}
std::string SuccessEnvelope(const nlohmann::json& data);
// {"status":"error","message":...,"error_type":...,"data":null}
std::string ErrorEnvelope(std::string_view error_type, std::string_view message);

// --- data <-> models -------------------------------------------------------------------------
// Required members (absent/null -> kParseError naming the member and the row, e.g.
// "net[2]: position: missing 'quantity'"): positions net (list) and per row tradingsymbol,
// exchange, product, quantity, buy_value, sell_value; order_id + status; trade_id + order_id;
// profile user_id; session access_token; ltp last_price. A null orders/trades/ltp data is empty.
Result<Positions> ParsePositions(const nlohmann::json& data);
Result<Order> ParseOrder(const nlohmann::json& order);
Result<std::vector<Order>> ParseOrders(const nlohmann::json& data);  // book or one order's history
Result<std::vector<Trade>> ParseTrades(const nlohmann::json& data);
Result<Profile> ParseProfile(const nlohmann::json& data);
Result<SessionToken> ParseSessionToken(const nlohmann::json& data);
Result<LtpQuotes> ParseLtp(const nlohmann::json& data);
Result<std::string> ParseOrderId(const nlohmann::json& data);  // {"order_id": "..."}
// Full quotes: per key instrument_token, last_price (required), depth.buy/sell (up to 5 levels),
// circuit limits. A null data is empty.
Result<FullQuotes> ParseQuote(const nlohmann::json& data);
// GTT: id, status and condition.tradingsymbol/exchange required; trigger_values and orders lists.
Result<Gtt> ParseGtt(const nlohmann::json& data);
Result<std::vector<Gtt>> ParseGtts(const nlohmann::json& data);  // a null data is empty
Result<long long> ParseTriggerId(const nlohmann::json& data);    // {"trigger_id": 123}
// Holdings: tradingsymbol, exchange and quantity required per row; a null data is empty.
Result<std::vector<Holding>> ParseHoldings(const nlohmann::json& data);

nlohmann::json ToJson(const Position& p);
nlohmann::json ToJson(const Positions& p);
nlohmann::json ToJson(const Order& o);  // status_message "" -> null, tag "" -> null, tags list
nlohmann::json ToJson(const Trade& t);
nlohmann::json ToJson(const Profile& p);
nlohmann::json ToJson(const LtpQuotes& q);
nlohmann::json ToJson(const FullQuote& q);  // the model's members in Kite's quote shape
nlohmann::json ToJson(const Gtt& g);        // Kite's trigger shape (condition, orders, result)
nlohmann::json ToJson(const Holding& h);    // Kite's holding shape (product CNC when empty)
// POST /session/token data (the simulator answers with it; contains the access token).
nlohmann::json ToJson(const SessionToken& s);

// Parses an x-www-form-urlencoded body or query string ("a=1&b=2"; repeated keys kept in order).
std::vector<std::pair<std::string, std::string>> ParseForm(std::string_view form);

}  // namespace zm::kite
