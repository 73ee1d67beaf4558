// The /_sim/ control API of KiteSim (loopback only, no auth): see docs/ARCHITECTURE.md.
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

#include "common/ist.h"
#include "common/kite/models.h"
#include "common/kite/text_frame.h"
#include "kite_sim/sim_server.h"

namespace zm::sim {

namespace http = boost::beast::http;

namespace {

HttpResponse JsonAnswer(int status, const nlohmann::json& body) {
  HttpResponse res;
  res.result(static_cast<http::status>(status));
  res.set(http::field::content_type, "application/json");
  res.body() = body.dump();
  return res;
}

HttpResponse Fail(int status, const std::string& message) {
  return JsonAnswer(status, {{"ok", false}, {"error", message}});
}

}  // namespace

nlohmann::json KiteSim::StateJson() const {
  nlohmann::json orders = nlohmann::json::array();
  for (const kite::Order& o : broker_.Orders()) orders.push_back(kite::ToJson(o));
  nlohmann::json gtts = nlohmann::json::array();
  for (const kite::Gtt& g : gtts_.List()) gtts.push_back(GttJson(g));
  nlohmann::json holdings = nlohmann::json::array();
  for (const kite::Holding& h : broker_.Holdings()) holdings.push_back(kite::ToJson(h));
  return {{"ok", true},
          {"clock", ClockJson()},
          {"positions", kite::ToJson(broker_.Positions())},
          {"holdings", holdings},
          {"orders", orders},
          {"gtts", gtts},
          {"ltp", market_.AllLtps()},
          {"faults", faults_.ToJson(MonotonicMs())}};
}

nlohmann::json KiteSim::ClockJson() const {
  const int64_t now = NowMs();
  return {{"now_ms", now}, {"ist", FormatIstIso(FromEpochMs(now))}};
}

Result<nlohmann::json> KiteSim::SetClock(const nlohmann::json& body) {
  if (body.contains("ist")) {
    const auto at = ParseIstDateTime(body.at("ist").get<std::string>());
    if (!at) return InvalidArgument("ist must be \"YYYY-MM-DDTHH:MM[:SS]\" (IST)");
    clock_.SetNow(*at);
  } else if (body.contains("offset_ms")) {
    clock_.SetWallOffset(body.at("offset_ms").get<int64_t>());
  } else if (body.value("default", false)) {
    clock_.SetTradingDefault();
  } else {
    return InvalidArgument("clock body needs \"ist\", \"offset_ms\" or \"default\":true");
  }
  nlohmann::json answer = ClockJson();
  answer["ok"] = true;
  return answer;
}

Result<nlohmann::json> KiteSim::StartOfDay(const nlohmann::json& body) {
  std::map<std::string, double> closes;
  const nlohmann::json given = body.value("close", nlohmann::json::object());
  if (!given.is_object()) return InvalidArgument("close must be an object {\"EX:SYM\": price}");
  for (const auto& [key, value] : given.items()) {
    if (!market_.Find(key) || !value.is_number() || value.get<double>() <= 0)
      return InvalidArgument("close: unknown instrument or bad price for " + key);
    closes[key] = value.get<double>();
  }
  // Instruments without a given close keep their LTP as the close, positions included.
  for (const auto& [key, ltp] : market_.AllLtps()) closes.try_emplace(key, ltp);
  broker_.StartOfDay(closes, NowMs());
  market_.StartDay(closes);
  return nlohmann::json{
      {"ok", true}, {"positions", kite::ToJson(broker_.Positions())}, {"clock", ClockJson()}};
}

nlohmann::json KiteSim::StatsJson() const {
  std::set<uint32_t> tokens;
  for (const auto& peer : peers_) {
    for (const auto& [token, mode] : peer->subscribed) tokens.insert(token);
  }
  return {{"ok", true},
          {"ws_connections", peers_.size()},
          {"ws_upgrades", ws_upgrades_},
          {"ws_upgrades_refused", ws_upgrades_refused_},
          {"subscribed", tokens},
          {"order_requests", order_log_.size()}};
}

KiteSim::Reply KiteSim::HandleControl(const HttpRequest& request, const std::string& path) {
  Reply reply;
  const bool get = request.method() == http::verb::get;
  if (get) {
    if (path == "/_sim/orders") {
      reply.response = JsonAnswer(200, {{"ok", true}, {"requests", order_log_}});
    } else if (path == "/_sim/state") {
      reply.response = JsonAnswer(200, StateJson());
    } else if (path == "/_sim/stats") {
      reply.response = JsonAnswer(200, StatsJson());
    } else {
      reply.response = Fail(404, "unknown control endpoint " + path);
    }
    return reply;
  }
  const nlohmann::json body = nlohmann::json::parse(request.body(), nullptr, false);
  if (request.method() != http::verb::post || !body.is_object()) {
    reply.response = Fail(400, "control requests are POST with a JSON object body");
    return reply;
  }
  try {
    if (path == "/_sim/price") {
      const std::string key = body.at("instrument");
      if (!market_.SetPrice(key, body.at("last_price").get<double>())) {
        reply.response = Fail(400, "unknown instrument or bad price: " + key);
        return reply;
      }
      BroadcastTicks();
      RunOrderEngine();
      reply.response = JsonAnswer(200, {{"ok", true}, {"last_price", *market_.Ltp(key)}});
    } else if (path == "/_sim/position") {
      const BrokerAnswer a = broker_.ExternalTrade(
          body.at("exchange"), body.at("tradingsymbol"), body.value("product", "NRML"),
          body.at("quantity").get<long long>(), body.value("price", 0.0), NowMs());
      if (!a.ok()) {
        reply.response = Fail(400, a.message);
        return reply;
      }
      BroadcastText(OrderFrame(broker_.History(a.order_id)->back()));
      reply.response = JsonAnswer(200, {{"ok", true}, {"order_id", a.order_id}});
    } else if (path == "/_sim/fault") {
      if (Status s = faults_.Apply(body, MonotonicMs()); !s.ok()) {
        reply.response = Fail(400, s.message());
        return reply;
      }
      if (body.value("kind", "") == "ws_drop") DropAllWs();
      reply.response = JsonAnswer(200, {{"ok", true}, {"faults", faults_.ToJson(MonotonicMs())}});
    } else if (path == "/_sim/gtt") {
      auto id = gtts_.Create(body.value("type", nlohmann::json()),
                             body.value("condition", nlohmann::json()),
                             body.value("orders", nlohmann::json()), GttLookup(), NowMs());
      if (!id.ok()) {
        reply.response = Fail(400, id.status().message());
        return reply;
      }
      reply.response = JsonAnswer(200, {{"ok", true}, {"trigger_id", *id}});
    } else if (path == "/_sim/clock" || path == "/_sim/start_of_day") {
      auto answer = path == "/_sim/clock" ? SetClock(body) : StartOfDay(body);
      reply.response =
          answer.ok() ? JsonAnswer(200, *answer) : Fail(400, answer.status().message());
    } else if (path == "/_sim/token") {
      const std::string token = body.at("access_token");
      if (token.empty()) {
        reply.response = Fail(400, "access_token must not be empty");
        return reply;
      }
      scenario_.access_token = token;
      reply.response = JsonAnswer(200, {{"ok", true}});
    } else {
      reply.response = Fail(404, "unknown control endpoint " + path);
    }
  } catch (const nlohmann::json::exception& e) {
    reply.response = Fail(400, std::string("bad control body: ") + e.what());
  }
  return reply;
}

}  // namespace zm::sim
