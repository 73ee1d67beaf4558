#include "kite_sim/faults.h"

namespace zm::sim {
namespace {

bool Flag(const nlohmann::json& body) { return body.value("on", true); }

}  // namespace

Status Faults::Apply(const nlohmann::json& body, int64_t now_ms) {
  if (!body.is_object() || !body.contains("kind") || !body["kind"].is_string()) {
    return InvalidArgument("fault: body needs a string \"kind\"");
  }
  try {
    const std::string kind = body["kind"];
    if (kind == "http_error") {
      const std::string endpoint = body.value("endpoint", "");
      const size_t space = endpoint.find(' ');
      if (space == std::string::npos)
        return InvalidArgument("fault: endpoint must be \"METHOD /path\"");
      const int status = body.value("status", 503);
      if (status < 400 || status > 599) return InvalidArgument("fault: status must be 4xx or 5xx");
      http_errors_.push_back(
          {endpoint.substr(0, space), endpoint.substr(space + 1), status, body.value("count", 1)});
    } else if (kind == "order_hang") {
      hang_count_ = body.value("count", 1);
      hang_seconds_ = body.value("seconds", 10.0);
    } else if (kind == "token_expired") {
      token_expired_ = Flag(body);
    } else if (kind == "ws_drop") {
      ws_refuse_until_ms_ = now_ms + static_cast<int64_t>(body.value("refuse_seconds", 0.0) * 1000);
    } else if (kind == "ticks_stop") {
      ticks_stopped_ = Flag(body);
    } else if (kind == "orders_rest") {
      orders_rest_ = Flag(body);
    } else if (kind == "partial_fill") {
      const double fraction = body.value("fraction", 0.5);
      if (fraction < 0 || fraction >= 1)
        return InvalidArgument("fault: fraction must be in [0, 1)");
      partial_fraction_ = fraction;
    } else if (kind == "clear") {
      *this = Faults();
    } else {
      return InvalidArgument("fault: unknown kind '" + kind + "'");
    }
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgument(std::string("fault: ") + e.what());
  }
  return Status::Ok();
}

int Faults::TakeHttpError(const std::string& method, const std::string& path) {
  for (auto it = http_errors_.begin(); it != http_errors_.end(); ++it) {
    if (it->method != method || path.rfind(it->path_prefix, 0) != 0) continue;
    const int status = it->status;
    if (--it->remaining <= 0) http_errors_.erase(it);
    return status;
  }
  return 0;
}

double Faults::TakeOrderHang() {
  if (hang_count_ <= 0) return 0;
  --hang_count_;
  return hang_seconds_;
}

nlohmann::json Faults::ToJson(int64_t now_ms) const {
  nlohmann::json errors = nlohmann::json::array();
  for (const HttpError& e : http_errors_) {
    errors.push_back({{"endpoint", e.method + " " + e.path_prefix},
                      {"status", e.status},
                      {"count", e.remaining}});
  }
  return {{"http_error", errors},
          {"order_hang", {{"count", hang_count_}, {"seconds", hang_seconds_}}},
          {"token_expired", token_expired_},
          {"ticks_stop", ticks_stopped_},
          {"orders_rest", orders_rest_},
          {"partial_fill", partial_fraction_},
          {"ws_refused", ws_refused(now_ms)}};
}

std::pair<std::string, std::string> InjectedError(int status) {
  switch (status) {
    case 429:
      return {"NetworkException", "Too many requests"};
    case 500:
      return {"GeneralException", "Internal server error"};
    case 502:
      return {"NetworkException", "Bad gateway"};
    case 503:
      return {"NetworkException", "Service unavailable"};
    case 504:
      return {"NetworkException", "Gateway timeout"};
    case 403:
      return {"TokenException", "Incorrect `api_key` or `access_token`."};
    default:
      return {status >= 500 ? "GeneralException" : "InputException", "Injected error"};
  }
}

}  // namespace zm::sim
