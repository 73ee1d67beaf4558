// The Kite REST endpoints of KiteSim (routing, auth, rate limit, order log).
#include <spdlog/spdlog.h>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

#include "common/kite/checksum.h"
#include "common/kite/instruments.h"
#include "common/kite/models.h"
#include "common/log_text.h"
#include "common/net/gzip.h"
#include "kite_sim/sim_server.h"

namespace zm::sim {

namespace http = boost::beast::http;
using Form = std::vector<std::pair<std::string, std::string>>;

namespace {

HttpResponse MakeResponse(int status, std::string body, const char* content_type) {
  HttpResponse res;
  res.result(static_cast<http::status>(status));
  res.set(http::field::content_type, content_type);
  res.set(http::field::server, "kite_sim");
  res.body() = std::move(body);
  return res;
}

HttpResponse Ok(const nlohmann::json& data) {
  return MakeResponse(200, kite::SuccessEnvelope(data), "application/json");
}

HttpResponse Err(int status, const std::string& type, const std::string& message) {
  return MakeResponse(status, kite::ErrorEnvelope(type, message), "application/json");
}

// "/a/b/c" -> {"a","b","c"}.
std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    const size_t slash = path.find('/', start);
    const size_t end = slash == std::string::npos ? path.size() : slash;
    if (end > start) out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

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

bool KiteSim::WithinRate(std::deque<int64_t>* window, int limit, int64_t now_ms) const {
  if (limit <= 0) return true;
  while (!window->empty() && window->front() <= now_ms - 1000) window->pop_front();
  if (static_cast<int>(window->size()) >= limit) return false;
  window->push_back(now_ms);
  return true;
}

bool KiteSim::Authorized(const HttpRequest& request) const {
  auto it = request.find(http::field::authorization);
  if (it == request.end()) return false;
  return it->value() == "token " + scenario_.api_key + ":" + scenario_.access_token;
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
  Reply reply;
  if (const int status = faults_.TakeHttpError(method, path)) {
    const auto [type, message] = InjectedError(status);
    reply.response = Err(status, type, message);
  } else if (method == "POST" && path == "/session/token") {
    reply = HandleSession(request);
  } else if (faults_.token_expired() || !Authorized(request)) {
    reply.response = Err(403, "TokenException", "Incorrect `api_key` or `access_token`.");
  } else if (order_request) {
    reply = HandleOrderRequest(request, path);
  } else if (path.rfind("/quote", 0) == 0 &&
             !WithinRate(&recent_quote_requests_ms_, scenario_.quote_rate_limit, at_ms)) {
    reply.response = Err(429, "NetworkException", "Too many requests");
  } else {
    reply = HandleRest(request, path, query);
  }
  if (order_request) LogOrderRequest(request, path, at_ms, reply.response);
  spdlog::debug("kite_sim: {} {} -> {}", SanitizeForLog(method, 16), SanitizeForLog(path, 200),
                reply.response.result_int());
  return reply;
}

KiteSim::Reply KiteSim::HandleRest(const HttpRequest& request, const std::string& path,
                                   const Form& query) {
  Reply reply;
  const std::vector<std::string> seg = Segments(path);
  if (request.method() != http::verb::get) {
    reply.response = Err(405, "InputException", "Method not allowed");
  } else if (path == "/user/profile") {
    reply.response = Ok(ProfileJson(scenario_));
  } else if (path == "/portfolio/positions") {
    reply.response = Ok(kite::ToJson(broker_.Positions()));
  } else if (path == "/orders" || path == "/trades") {
    nlohmann::json list = nlohmann::json::array();
    if (path == "/orders") {
      for (const kite::Order& o : broker_.Orders()) list.push_back(kite::ToJson(o));
    } else {
      for (const kite::Trade& t : broker_.Trades()) list.push_back(kite::ToJson(t));
    }
    reply.response = Ok(list);
  } else if (seg.size() >= 2 && seg.size() <= 3 && seg[0] == "orders" &&
             (seg.size() == 2 || seg[2] == "trades")) {
    const std::vector<kite::Order>* history = broker_.History(seg[1]);
    nlohmann::json list = nlohmann::json::array();
    if (history && seg.size() == 2) {
      for (const kite::Order& o : *history) list.push_back(kite::ToJson(o));
    } else if (history) {
      for (const kite::Trade& t : broker_.Trades()) {
        if (t.order_id == seg[1]) list.push_back(kite::ToJson(t));
      }
    }
    reply.response = history ? Ok(list) : Err(400, "InputException", "Invalid `order_id`.");
  } else if (path == "/quote/ltp") {
    kite::LtpQuotes quotes;
    for (const auto& [key, value] : query) {
      if (key != "i") continue;
      const SimInstrument* inst = market_.Find(value);
      if (inst) quotes[value] = {inst->instrument.instrument_token, *market_.Ltp(value)};
    }
    reply.response = Ok(kite::ToJson(quotes));
  } else if (seg.size() >= 1 && seg.size() <= 2 && seg[0] == "instruments") {
    std::vector<kite::Instrument> list;
    for (const SimInstrument& s : market_.instruments()) {
      if (seg.size() == 1 || s.instrument.exchange == seg[1]) list.push_back(s.instrument);
    }
    reply.response = MakeResponse(200, kite::InstrumentsToCsv(list), "text/csv");
    // Kite serves the instruments dump gzip-encoded to clients that accept it.
    auto accept = request.find(http::field::accept_encoding);
    if (accept != request.end() && accept->value().find("gzip") != std::string::npos) {
      reply.response.body() = net::GzipBody(reply.response.body());
      reply.response.set(http::field::content_encoding, "gzip");
    }
  } else {
    reply.response = Err(404, "GeneralException", "Route not found");
  }
  return reply;
}

KiteSim::Reply KiteSim::HandleOrderRequest(const HttpRequest& request, const std::string& path) {
  Reply reply;
  const int64_t now = NowMs();
  if (!WithinRate(&recent_order_requests_ms_, scenario_.order_rate_limit, now)) {
    reply.response = Err(429, "NetworkException", "Too many requests");
    return reply;
  }
  const std::vector<std::string> seg = Segments(path);
  const Form params = kite::ParseForm(request.body());
  BrokerAnswer answer;
  if (request.method() == http::verb::post && seg.size() == 2) {
    answer = broker_.Place(seg[1], params, now);
    if (answer.ok()) {
      const double hang = faults_.TakeOrderHang();
      reply.hold = std::chrono::milliseconds(scenario_.accept_latency_ms +
                                             static_cast<int64_t>(hang * 1000));
    }
  } else if (request.method() == http::verb::put && seg.size() == 3) {
    answer = broker_.Modify(seg[1], seg[2], params, now);
  } else if (request.method() == http::verb::delete_ && seg.size() == 3) {
    answer = broker_.Cancel(seg[1], seg[2], now);
    if (answer.ok()) RunOrderEngine();  // the CANCELLED frame goes out at once
  } else {
    answer = BrokerAnswer{404, "GeneralException", "Route not found", ""};
  }
  reply.response = answer.ok() ? Ok({{"order_id", answer.order_id}})
                               : Err(answer.http_status, answer.error_type, answer.message);
  return reply;
}

void KiteSim::LogOrderRequest(const HttpRequest& request, const std::string& path, int64_t at_ms,
                              const HttpResponse& response) {
  nlohmann::json params = nlohmann::json::object();
  for (const auto& [key, value] : kite::ParseForm(request.body())) params[key] = value;
  nlohmann::json entry = {
      {"at_ms", at_ms},   {"method", std::string(request.method_string())}, {"path", path},
      {"params", params}, {"http_status", response.result_int()},           {"order_id", ""},
      {"error", ""}};
  const nlohmann::json body = nlohmann::json::parse(response.body(), nullptr, false);
  if (response.result_int() == 200 && body.contains("data") && body["data"].is_object()) {
    entry["order_id"] = body["data"].value("order_id", "");
  } else if (body.is_object()) {
    entry["error"] = body.value("message", "");
    entry["error_type"] = body.value("error_type", "");
  }
  order_log_.push_back(std::move(entry));
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
  (void)faults_.Apply({{"kind", "token_expired"}, {"on", false}}, NowMs());  // a fresh login
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
