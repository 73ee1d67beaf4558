#include "kite_sim/faults.h"

#include <algorithm>
#include <array>
#include <tuple>

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
      return ApplyHttpError(body, now_ms);
    } else if (kind == "late_create") {
      return ApplyLateCreate(body);
    } else if (kind == "oms_slow") {
      const int open_pending = body.value("open_pending_ms", 0);
      const int book_delay = body.value("book_delay_ms", 0);
      if (open_pending < 0 || book_delay < 0) return InvalidArgument("fault: delays must be >= 0");
      oms_slow_.reset();
      if (Flag(body)) oms_slow_.emplace(open_pending, book_delay);
    } else if (kind == "positions_lag") {
      const int ms = body.value("ms", 0);
      if (ms < 0) return InvalidArgument("fault: ms must be >= 0");
      positions_lag_ms_.reset();
      if (Flag(body)) positions_lag_ms_ = ms;
    } else if (kind == "tags_only_in_array") {
      tags_only_in_array_ = Flag(body);
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

Status Faults::ApplyHttpError(const nlohmann::json& body, int64_t now_ms) {
  const std::string endpoint = body.value("endpoint", "");
  const size_t space = endpoint.find(' ');
  if (space == std::string::npos)
    return InvalidArgument("fault: endpoint must be \"METHOD /path\"");
  const int status = body.value("status", 503);
  if (status < 400 || status > 599) return InvalidArgument("fault: status must be 4xx or 5xx");
  HttpError error{endpoint.substr(0, space), endpoint.substr(space + 1), status, 1, 0};
  const bool has_seconds = body.contains("seconds");
  if (has_seconds) {
    const double seconds = body.at("seconds").get<double>();
    if (seconds <= 0) return InvalidArgument("fault: seconds must be > 0");
    error.until_ms = now_ms + static_cast<int64_t>(seconds * 1000);
  }
  // seconds alone: every matching request in the window; count alone: the next N; both: at
  // most N within the window.
  error.remaining = body.value("count", has_seconds ? -1 : 1);
  if (body.contains("count") && error.remaining < 1)
    return InvalidArgument("fault: count must be >= 1");
  http_errors_.push_back(error);
  return Status::Ok();
}

Status Faults::ApplyLateCreate(const nlohmann::json& body) {
  const std::string answer = body.value("answer", "timeout");
  if (answer != "timeout" && answer != "504")
    return InvalidArgument("fault: answer must be \"timeout\" or \"504\"");
  late_count_ = body.value("count", 1);
  late_.timeout = answer == "timeout";
  late_.create_after_ms = body.value("create_after_ms", 1000);
  if (late_count_ < 0 || late_.create_after_ms < 0)
    return InvalidArgument("fault: count and create_after_ms must be >= 0");
  return Status::Ok();
}

int Faults::TakeHttpError(const std::string& method, const std::string& path, int64_t now_ms) {
  std::erase_if(http_errors_,
                [&](const HttpError& e) { return e.until_ms != 0 && now_ms >= e.until_ms; });
  for (auto it = http_errors_.begin(); it != http_errors_.end(); ++it) {
    if (it->method != method || path.rfind(it->path_prefix, 0) != 0) continue;
    const int status = it->status;
    if (it->remaining > 0 && --it->remaining == 0) http_errors_.erase(it);
    return status;
  }
  return 0;
}

std::optional<LateCreate> Faults::TakeLateCreate() {
  if (late_count_ <= 0) return std::nullopt;
  --late_count_;
  return late_;
}

double Faults::TakeOrderHang() {
  if (hang_count_ <= 0) return 0;
  --hang_count_;
  return hang_seconds_;
}

nlohmann::json Faults::ToJson(int64_t now_ms) const {
  nlohmann::json errors = nlohmann::json::array();
  for (const HttpError& e : http_errors_) {
    if (e.until_ms != 0 && now_ms >= e.until_ms) continue;
    nlohmann::json entry = {{"endpoint", e.method + " " + e.path_prefix}, {"status", e.status}};
    if (e.remaining > 0) entry["count"] = e.remaining;
    if (e.until_ms != 0) entry["seconds_left"] = (e.until_ms - now_ms) / 1000.0;
    errors.push_back(entry);
  }
  nlohmann::json oms = nullptr, lag = nullptr;
  if (oms_slow_)
    oms = {{"open_pending_ms", oms_slow_->first}, {"book_delay_ms", oms_slow_->second}};
  if (positions_lag_ms_) lag = {{"ms", *positions_lag_ms_}};
  return {{"http_error", errors},
          {"order_hang", {{"count", hang_count_}, {"seconds", hang_seconds_}}},
          {"late_create",
           {{"count", late_count_},
            {"answer", late_.timeout ? "timeout" : "504"},
            {"create_after_ms", late_.create_after_ms}}},
          {"oms_slow", oms},
          {"positions_lag", lag},
          {"tags_only_in_array", tags_only_in_array_},
          {"token_expired", token_expired_},
          {"ticks_stop", ticks_stopped_},
          {"orders_rest", orders_rest_},
          {"partial_fill", partial_fraction_},
          {"ws_refused", ws_refused(now_ms)}};
}

std::pair<std::string, std::string> InjectedError(int status) {
  // What the real API answers with each status (error_type, message).
  static constexpr std::array<std::tuple<int, const char*, const char*>, 6> kAnswers{{
      {429, "NetworkException", "Too many requests"},
      {500, "GeneralException", "Internal server error"},
      {502, "NetworkException", "Bad gateway"},
      {503, "NetworkException", "Service unavailable"},
      {504, "NetworkException", "Gateway timeout"},
      {403, "TokenException", "Incorrect `api_key` or `access_token`."},
  }};
  for (const auto& [code, type, message] : kAnswers) {
    if (code == status) return {type, message};
  }
  return {status >= 500 ? "GeneralException" : "InputException", "Injected error"};
}

}  // namespace zm::sim
