// RestKiteApi: the Kite Connect REST calls over HttpClient. Every answer goes through
// kite::ParseEnvelope; the access token is put on the wire (Authorization header) and nowhere
// else: error messages carry the method and path only, never headers.
#include "common/net/kite_rest_api.h"

#include <boost/asio/use_awaitable.hpp>

#include "common/kite/auth.h"
#include "common/url.h"

namespace zm::kite {
namespace {

// Prefixes "METHOD /path" (query dropped) to an error, keeping its code and HTTP details.
Status Annotate(const Status& status, const std::string& method, const std::string& target) {
  const std::string path = target.substr(0, target.find('?'));
  return Status(status.code(), method + " " + path + ": " + status.message())
      .WithHttp(status.http_status(), status.error_type());
}

template <typename T>
Result<T> Annotated(Result<T> result, const std::string& method, const std::string& target) {
  if (result.ok()) return result;
  return Annotate(result.status(), method, target);
}

// "/quote/ltp?i=A&i=B": the keys URL-encoded, in order.
std::string QuoteTarget(const std::string& path, const std::vector<std::string>& keys) {
  std::string target = path;
  char separator = '?';
  for (const auto& key : keys) {
    target += separator;
    target += "i=" + UrlEncode(key);
    separator = '&';
  }
  return target;
}

std::string OrderPath(const std::string& variety, const std::string& order_id) {
  std::string path = "/orders/" + UrlEncode(variety);
  if (!order_id.empty()) path += "/" + UrlEncode(order_id);
  return path;
}

}  // namespace

RestKiteApi::RestKiteApi(std::unique_ptr<net::HttpClient> http, std::string api_key,
                         Secret access_token)
    : http_(std::move(http)),
      api_key_(std::move(api_key)),
      access_token_(std::move(access_token)) {}

Async<nlohmann::json> RestKiteApi::Call(std::string method, std::string target, std::string body,
                                        bool authorized) {
  net::HttpRequest request;
  request.method = method;
  request.target = target;
  request.body = std::move(body);
  request.headers.emplace_back("X-Kite-Version", "3");
  if (authorized) {
    request.headers.emplace_back("Authorization", AuthorizationValue(api_key_, access_token_));
  }
  auto response = co_await http_->Request(std::move(request));
  if (!response.ok()) co_return Annotate(response.status(), method, target);
  co_return Annotated(ParseEnvelope(response->status, response->body), method, target);
}

template <typename T>
Async<T> RestKiteApi::CallAndParse(std::string method, std::string target, std::string body,
                                   Result<T> (*parse)(const nlohmann::json&), bool authorized) {
  auto data = co_await Call(std::move(method), std::move(target), std::move(body), authorized);
  if (!data.ok()) co_return data.status();
  co_return parse(*data);
}

Async<Profile> RestKiteApi::GetProfile() {
  return CallAndParse("GET", "/user/profile", "", ParseProfile);
}

Async<Positions> RestKiteApi::GetPositions() {
  return CallAndParse("GET", "/portfolio/positions", "", ParsePositions);
}

Async<std::vector<Holding>> RestKiteApi::GetHoldings() {
  return CallAndParse("GET", "/portfolio/holdings", "", ParseHoldings);
}

Async<std::vector<Order>> RestKiteApi::GetOrders() {
  return CallAndParse("GET", "/orders", "", ParseOrders);
}

Async<std::vector<Order>> RestKiteApi::GetOrderHistory(std::string order_id) {
  if (order_id.empty()) co_return InvalidArgument("GetOrderHistory: empty order_id");
  co_return co_await CallAndParse("GET", "/orders/" + UrlEncode(order_id), "", ParseOrders);
}

Async<std::vector<Trade>> RestKiteApi::GetTrades() {
  return CallAndParse("GET", "/trades", "", ParseTrades);
}

Async<LtpQuotes> RestKiteApi::GetLtp(std::vector<std::string> exchange_symbols) {
  if (exchange_symbols.empty()) co_return LtpQuotes{};
  if (exchange_symbols.size() > 1000) co_return InvalidArgument("GetLtp: more than 1000 keys");
  co_return co_await CallAndParse("GET", QuoteTarget("/quote/ltp", exchange_symbols), "", ParseLtp);
}

Async<FullQuotes> RestKiteApi::GetQuote(std::vector<std::string> exchange_symbols) {
  if (exchange_symbols.empty()) co_return FullQuotes{};
  if (exchange_symbols.size() > 500) co_return InvalidArgument("GetQuote: more than 500 keys");
  co_return co_await CallAndParse("GET", QuoteTarget("/quote", exchange_symbols), "", ParseQuote);
}

Async<std::vector<Gtt>> RestKiteApi::GetGtts() {
  return CallAndParse("GET", "/gtt/triggers", "", ParseGtts);
}

Async<long long> RestKiteApi::DeleteGtt(long long trigger_id) {
  return CallAndParse("DELETE", "/gtt/triggers/" + std::to_string(trigger_id), "", ParseTriggerId);
}

Async<std::string> RestKiteApi::PlaceOrder(OrderRequest request) {
  if (request.variety.empty()) co_return InvalidArgument("PlaceOrder: empty variety");
  co_return co_await CallAndParse("POST", OrderPath(request.variety, ""), request.ToForm(),
                                  ParseOrderId);
}

Async<std::string> RestKiteApi::ModifyOrder(std::string variety, std::string order_id,
                                            OrderModify modify) {
  if (variety.empty() || order_id.empty()) {
    co_return InvalidArgument("ModifyOrder: empty variety or order_id");
  }
  co_return co_await CallAndParse("PUT", OrderPath(variety, order_id), modify.ToForm(),
                                  ParseOrderId);
}

Async<std::string> RestKiteApi::CancelOrder(std::string variety, std::string order_id) {
  if (variety.empty() || order_id.empty()) {
    co_return InvalidArgument("CancelOrder: empty variety or order_id");
  }
  co_return co_await CallAndParse("DELETE", OrderPath(variety, order_id), "", ParseOrderId);
}

Async<std::string> RestKiteApi::GetInstrumentsCsv() {
  // Not an envelope on success: the body is the (inflated) CSV dump.
  net::HttpRequest request;
  request.target = "/instruments";
  request.headers.emplace_back("X-Kite-Version", "3");
  request.headers.emplace_back("Authorization", AuthorizationValue(api_key_, access_token_));
  auto response = co_await http_->Request(std::move(request));
  if (!response.ok()) co_return Annotate(response.status(), "GET", "/instruments");
  if (response->status == 200) co_return std::move(response->body);
  auto error = ParseEnvelope(response->status, response->body);
  if (error.ok()) {  // a 200-less "success" envelope is still not a CSV
    co_return Status(StatusCode::kBroker,
                     "GET /instruments: unexpected status " + std::to_string(response->status))
        .WithHttp(response->status, "");
  }
  co_return Annotate(error.status(), "GET", "/instruments");
}

Async<SessionToken> RestKiteApi::CreateSession(std::string request_token, std::string checksum) {
  const std::string form = "api_key=" + UrlEncode(api_key_) +
                           "&request_token=" + UrlEncode(request_token) +
                           "&checksum=" + UrlEncode(checksum);
  co_return co_await CallAndParse("POST", "/session/token", form, ParseSessionToken,
                                  /*authorized=*/false);
}

}  // namespace zm::kite
