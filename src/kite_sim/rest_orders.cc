// Order requests of KiteSim (POST/PUT/DELETE /orders...): rate limits, autoslice answers, the
// late_create and order_hang faults, the order log, and orders that GTTs place.
#include <boost/beast/http/verb.hpp>

#include "common/kite/models.h"
#include "kite_sim/rest_util.h"
#include "kite_sim/sim_server.h"

namespace zm::sim {

namespace http = boost::beast::http;

OmsTiming KiteSim::CurrentOms() const {
  if (const auto& slow = faults_.oms_slow()) return {slow->first, slow->second};
  return {scenario_.open_pending_ms, scenario_.book_delay_ms};
}

int KiteSim::PositionsLagMs() const {
  return faults_.positions_lag_ms().value_or(scenario_.positions_lag_ms);
}

KiteSim::Reply KiteSim::HandleOrderRequest(const HttpRequest& request, const std::string& path) {
  Reply reply;
  const int64_t now = NowMs();
  // Every request Kite answers counts toward its limits, rejected ones too; a 429 does not.
  if (!order_limits_.Admit(MonotonicMs(), IstDayNumber(now))) {
    reply.response = Err(429, "NetworkException", "Too many requests");
    return reply;
  }
  const std::vector<std::string> seg = Segments(path);
  const FormParams params = kite::ParseForm(request.body());
  BrokerAnswer answer;
  if (request.method() == http::verb::post && seg.size() == 2) {
    return PlaceOrder(seg[1], request, now);
  } else if (request.method() == http::verb::put && seg.size() == 3) {
    answer = broker_.Modify(seg[1], seg[2], params, now);
  } else if (request.method() == http::verb::delete_ && seg.size() == 3) {
    answer = broker_.Cancel(seg[1], seg[2], now);
    if (answer.ok()) RunOrderEngine();  // the CANCELLED frame goes out at once
  } else {
    answer = BrokerAnswer{404, "GeneralException", "Route not found", "", {}};
  }
  reply.response = answer.ok() ? Ok({{"order_id", answer.order_id}})
                               : Err(answer.http_status, answer.error_type, answer.message);
  return reply;
}

KiteSim::Reply KiteSim::PlaceOrder(const std::string& variety, const HttpRequest& request,
                                   int64_t now) {
  Reply reply;
  const FormParams params = kite::ParseForm(request.body());
  if (const auto late = faults_.TakeLateCreate()) {
    // The gateway loses the answer; the OMS takes the order later anyway. order_log_ gets this
    // request's entry right after this returns: that is the index the late order fills in.
    late_orders_.push_back({now + late->create_after_ms, variety, params, order_log_.size()});
    if (late->timeout) {
      reply.no_answer = true;
      reply.hold = std::chrono::seconds(60);  // held until the client gives up (bounded)
    } else {
      const auto [type, message] = InjectedError(504);
      reply.response = Err(504, type, message);
    }
    return reply;
  }
  broker_.SetOmsTiming(CurrentOms());
  const BrokerAnswer answer = broker_.Place(variety, params, now);
  if (!answer.ok()) {
    reply.response = Err(answer.http_status, answer.error_type, answer.message);
    return reply;
  }
  nlohmann::json data = {{"order_id", answer.order_id}};
  if (!answer.children.empty()) {
    nlohmann::json children = nlohmann::json::array();
    for (const std::string& id : answer.children) children.push_back({{"order_id", id}});
    data["children"] = children;
  }
  reply.response = Ok(data);
  const double hang = faults_.TakeOrderHang();
  reply.hold =
      std::chrono::milliseconds(scenario_.accept_latency_ms + static_cast<int64_t>(hang * 1000));
  return reply;
}

void KiteSim::RunLateOrders(int64_t now_ms) {
  std::vector<LateOrder> due;
  std::erase_if(late_orders_, [&](const LateOrder& late) {
    if (late.due_ms > now_ms) return false;
    due.push_back(late);
    return true;
  });
  for (const LateOrder& late : due) {
    broker_.SetOmsTiming(CurrentOms());
    const BrokerAnswer answer = broker_.Place(late.variety, late.params, now_ms);
    if (late.log_index < order_log_.size()) {
      nlohmann::json& entry = order_log_[late.log_index];
      entry["late_order_id"] = answer.order_id;
      if (!answer.children.empty()) entry["late_children"] = answer.children;
      if (!answer.ok()) entry["late_error"] = answer.message;
    }
  }
}

void KiteSim::RunGtts(int64_t now_ms) {
  for (const GttFire& fire : gtts_.Check(GttLookup(), now_ms)) {
    broker_.SetOmsTiming(CurrentOms());
    const BrokerAnswer answer = broker_.Place("regular", fire.order, now_ms);
    gtts_.RecordResult(fire, answer.ok() ? answer.order_id : "", answer.ok() ? "" : answer.message,
                       now_ms);
  }
}

void KiteSim::LogOrderRequest(const HttpRequest& request, const std::string& path, int64_t at_ms,
                              const Reply& reply) {
  nlohmann::json params = nlohmann::json::object();
  for (const auto& [key, value] : kite::ParseForm(request.body())) params[key] = value;
  const HttpResponse& response = reply.response;
  // at_ms is the machine's wall clock, so that tests can measure against their own clock;
  // sim_at_ms is the simulator's clock (what Kite's timestamps show).
  nlohmann::json entry = {{"at_ms", WallNowMs()},
                          {"sim_at_ms", at_ms},
                          {"method", std::string(request.method_string())},
                          {"path", path},
                          {"params", params},
                          {"http_status", reply.no_answer ? 0 : response.result_int()},
                          {"order_id", ""},
                          {"error", ""}};
  const nlohmann::json body = nlohmann::json::parse(response.body(), nullptr, false);
  if (reply.no_answer) {
    entry["error"] = "no answer (late_create)";
  } else if (response.result_int() == 200 && body.contains("data") && body["data"].is_object()) {
    entry["order_id"] = body["data"].value("order_id", "");
    if (body["data"].contains("children")) {
      nlohmann::json children = nlohmann::json::array();
      for (const auto& child : body["data"]["children"]) children.push_back(child["order_id"]);
      entry["children"] = children;
    }
  } else if (body.is_object()) {
    entry["error"] = body.value("message", "");
    entry["error_type"] = body.value("error_type", "");
  }
  order_log_.push_back(std::move(entry));
}

}  // namespace zm::sim
