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

Async<Profile> RestKiteApi::GetProfile() {
  auto data = co_await Call("GET", "/user/profile", "");
  if (!data.ok()) co_return data.status();
  co_return ParseProfile(*data);
}

Async<Positions> RestKiteApi::GetPositions() {
  auto data = co_await Call("GET", "/portfolio/positions", "");
  if (!data.ok()) co_return data.status();
  co_return ParsePositions(*data);
}

Async<std::vector<Holding>> RestKiteApi::GetHoldings() {
  auto data = co_await Call("GET", "/portfolio/holdings", "");
  if (!data.ok()) co_return data.status();
  co_return ParseHoldings(*data);
}

Async<std::vector<Order>> RestKiteApi::GetOrders() {
  auto data = co_await Call("GET", "/orders", "");
  if (!data.ok()) co_return data.status();
  co_return ParseOrders(*data);
}

Async<std::vector<Order>> RestKiteApi::GetOrderHistory(std::string order_id) {
  if (order_id.empty()) co_return InvalidArgument("GetOrderHistory: empty order_id");
  auto data = co_await Call("GET", "/orders/" + UrlEncode(order_id), "");
  if (!data.ok()) co_return data.status();
  co_return ParseOrders(*data);
}

Async<std::vector<Trade>> RestKiteApi::GetTrades() {
  auto data = co_await Call("GET", "/trades", "");
  if (!data.ok()) co_return data.status();
  co_return ParseTrades(*data);
}

Async<LtpQuotes> RestKiteApi::GetLtp(std::vector<std::string> exchange_symbols) {
  if (exchange_symbols.empty()) co_return LtpQuotes{};
  if (exchange_symbols.size() > 1000) co_return InvalidArgument("GetLtp: more than 1000 keys");
  auto data = co_await Call("GET", QuoteTarget("/quote/ltp", exchange_symbols), "");
  if (!data.ok()) co_return data.status();
  co_return ParseLtp(*data);
}

Async<FullQuotes> RestKiteApi::GetQuote(std::vector<std::string> exchange_symbols) {
  if (exchange_symbols.empty()) co_return FullQuotes{};
  if (exchange_symbols.size() > 500) co_return InvalidArgument("GetQuote: more than 500 keys");
  auto data = co_await Call("GET", QuoteTarget("/quote", exchange_symbols), "");
  if (!data.ok()) co_return data.status();
  co_return ParseQuote(*data);
}

Async<std::vector<Gtt>> RestKiteApi::GetGtts() {
  auto data = co_await Call("GET", "/gtt/triggers", "");
  if (!data.ok()) co_return data.status();
  co_return ParseGtts(*data);
}

Async<long long> RestKiteApi::DeleteGtt(long long trigger_id) {
  auto data = co_await Call("DELETE", "/gtt/triggers/" + std::to_string(trigger_id), "");
  if (!data.ok()) co_return data.status();
  co_return ParseTriggerId(*data);
}

Async<std::string> RestKiteApi::PlaceOrder(OrderRequest request) {
  if (request.variety.empty()) co_return InvalidArgument("PlaceOrder: empty variety");
  auto data = co_await Call("POST", OrderPath(request.variety, ""), request.ToForm());
  if (!data.ok()) co_return data.status();
  co_return ParseOrderId(*data);
}

Async<std::string> RestKiteApi::ModifyOrder(std::string variety, std::string order_id,
                                            OrderModify modify) {
  if (variety.empty() || order_id.empty()) {
    co_return InvalidArgument("ModifyOrder: empty variety or order_id");
  }
  auto data = co_await Call("PUT", OrderPath(variety, order_id), modify.ToForm());
  if (!data.ok()) co_return data.status();
  co_return ParseOrderId(*data);
}

Async<std::string> RestKiteApi::CancelOrder(std::string variety, std::string order_id) {
  if (variety.empty() || order_id.empty()) {
    co_return InvalidArgument("CancelOrder: empty variety or order_id");
  }
  auto data = co_await Call("DELETE", OrderPath(variety, order_id), "");
  if (!data.ok()) co_return data.status();
  co_return ParseOrderId(*data);
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
  auto data = co_await Call("POST", "/session/token", form, /*authorized=*/false);
  if (!data.ok()) co_return data.status();
  co_return ParseSessionToken(*data);
}

}  // namespace zm::kite
