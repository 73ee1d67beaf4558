// The Kite REST endpoints of KiteSim: routing, auth, rate limits, account reads and the login.
// Order requests are in rest_orders.cc; quotes, instruments and GTT in rest_market.cc.
#include <spdlog/spdlog.h>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

#include "common/kite/auth.h"
#include "common/kite/checksum.h"
#include "common/kite/json_fields.h"
#include "common/kite/models.h"
#include "common/log_text.h"
#include "kite_sim/rest_util.h"
#include "kite_sim/sim_server.h"

namespace zm::sim {

namespace http = boost::beast::http;
using Form = std::vector<std::pair<std::string, std::string>>;

namespace {

nlohmann::json ProfileJson(const Scenario& s) {
  kite::Profile p;
  p.user_id = s.user_id;
  p.user_name = "Sim Trader";
  p.user_shortname = "Sim";
  p.email = "sim@example.invalid";
  p.user_type = "individual";
  p.broker = "ZERODHA";
  p.exchanges = {"NSE", "NFO", "BSE", "BFO", "CDS", "MCX"};
  p.products = {"CNC", "NRML", "MIS", "MTF"};
  p.order_types = {"MARKET", "LIMIT", "SL", "SL-M"};
  return kite::ToJson(p);
}

}  // namespace

KiteSim::Reply KiteSim::Answer(HttpResponse response) {
  Reply reply;
  reply.response = std::move(response);
  return reply;
}

bool KiteSim::Authorized(const HttpRequest& request) const {
  auto it = request.find(http::field::authorization);
  if (it == request.end()) return false;
  return it->value() == kite::AuthorizationValue(scenario_.api_key, Secret(scenario_.access_token));
}

nlohmann::json KiteSim::OrderJson(const kite::Order& order) const {
  nlohmann::json out = kite::ToJson(order);
  if (faults_.tags_only_in_array()) out["tag"] = nullptr;  // the tag survives in tags[] only
  return out;
}

std::string KiteSim::OrderFrame(const kite::Order& order) const {
  return kite::internal::SafeDump({{"type", "order"}, {"data", OrderJson(order)}});
}

KiteSim::Reply KiteSim::Handle(const HttpRequest& request) {
  const int64_t at_ms = NowMs();
  const std::string target(request.target());
  const size_t q = target.find('?');
  const std::string path = target.substr(0, q);
  const Form query = q == std::string::npos ? Form{} : kite::ParseForm(target.substr(q + 1));
  const std::string method(request.method_string());
  if (path.rfind("/_sim/", 0) == 0) return HandleControl(request, path);

  const bool order_request = method != "GET" && path.rfind("/orders", 0) == 0;
  const bool quote_request = path.rfind("/quote", 0) == 0;
  Reply reply;
  const int64_t mono_ms = MonotonicMs();
  if (const int status = faults_.TakeHttpError(method, path, mono_ms)) {
    const auto [type, message] = InjectedError(status);
    reply.response = Err(status, type, message);
  } else if (method == "POST" && path == "/session/token") {
    reply = HandleSession(request);
  } else if (faults_.token_expired() || !Authorized(request)) {
    reply.response = Err(403, "TokenException", "Incorrect `api_key` or `access_token`.");
  } else if (order_request) {
    reply = HandleOrderRequest(request, path);
  } else if (!(quote_request ? quote_limits_ : other_limits_).Admit(mono_ms, IstDayNumber(at_ms))) {
    reply.response = Err(429, "NetworkException", "Too many requests");
  } else {
    reply = HandleRest(request, path, query);
  }
  if (order_request) LogOrderRequest(request, path, at_ms, reply);
  spdlog::debug("kite_sim: {} {} -> {}", SanitizeForLog(method, 16), SanitizeForLog(path, 200),
                reply.no_answer ? 0 : reply.response.result_int());
  return reply;
}

KiteSim::Reply KiteSim::HandleRest(const HttpRequest& request, const std::string& path,
                                   const Form& query) {
  const int64_t now = NowMs();
  const std::vector<std::string> seg = Segments(path);
  if (!seg.empty() && seg[0] == "gtt") return HandleGtt(request, seg);
  if (request.method() != http::verb::get) {
    return Answer(Err(405, "InputException", "Method not allowed"));
  }
  if (path == "/user/profile") return Answer(Ok(ProfileJson(scenario_)));
  if (path == "/portfolio/positions") {
    return Answer(Ok(kite::ToJson(broker_.PositionsAsOf(now - PositionsLagMs()))));
  }
  if (path == "/portfolio/holdings") {
    nlohmann::json list = nlohmann::json::array();
    for (const kite::Holding& h : broker_.Holdings()) list.push_back(kite::ToJson(h));
    return Answer(Ok(list));
  }
  if (path == "/orders" || path == "/trades") {
    nlohmann::json list = nlohmann::json::array();
    if (path == "/orders") {
      for (const kite::Order& o : broker_.BookOrders(now)) list.push_back(OrderJson(o));
    } else {
      for (const kite::Trade& t : broker_.Trades()) list.push_back(kite::ToJson(t));
    }
    return Answer(Ok(list));
  }
  if (seg.size() >= 2 && seg.size() <= 3 && seg[0] == "orders" &&
      (seg.size() == 2 || seg[2] == "trades")) {
    const std::vector<kite::Order>* history = broker_.BookHistory(seg[1], now);
    if (!history) return Answer(Err(400, "InputException", "Invalid `order_id`."));
    nlohmann::json list = nlohmann::json::array();
    if (seg.size() == 2) {
      for (const kite::Order& o : *history) list.push_back(OrderJson(o));
    } else {
      for (const kite::Trade& t : broker_.Trades()) {
        if (t.order_id == seg[1]) list.push_back(kite::ToJson(t));
      }
    }
    return Answer(Ok(list));
  }
  if (seg.size() >= 1 && seg[0] == "quote") return HandleQuote(path, query);
  if (seg.size() >= 1 && seg.size() <= 2 && seg[0] == "instruments") {
    return HandleInstruments(request, seg);
  }
  return Answer(Err(404, "GeneralException", "Route not found"));
}

KiteSim::Reply KiteSim::HandleSession(const HttpRequest& request) {
  Reply reply;
  const Form params = kite::ParseForm(request.body());
  const std::string* api_key = FindParam(params, "api_key");
  const std::string* request_token = FindParam(params, "request_token");
  const std::string* checksum = FindParam(params, "checksum");
  if (!api_key || !request_token || !checksum || request_token->empty()) {
    reply.response = Err(400, "InputException", "Missing api_key, request_token or checksum.");
    return reply;
  }
  const std::string expected =
      kite::SessionChecksum(*api_key, *request_token, Secret(scenario_.api_secret));
  if (*api_key != scenario_.api_key || *checksum != expected) {
    reply.response = Err(403, "TokenException", "Invalid `checksum`.");
    return reply;
  }
  (void)faults_.Apply({{"kind", "token_expired"}, {"on", false}}, MonotonicMs());  // a fresh login
  nlohmann::json data = ProfileJson(scenario_);
  data["api_key"] = scenario_.api_key;
  data["access_token"] = scenario_.access_token;
  data["public_token"] = "sim_public_token";
  data["refresh_token"] = "";
  data["login_time"] = KiteTimestamp(NowMs());
  reply.response = Ok(data);
  return reply;
}

}  // namespace zm::sim
