// Faults: the misbehaviours a test or a scenario switches on (see the control API table in
// docs/ARCHITECTURE.md). Apply() takes the JSON body of POST /_sim/fault. Pure state: time is
// passed in. Not thread-safe: owned by the simulator's thread.
#pragma once

#include <cstdint>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace zm::sim {

// late_create: the POST gets no answer (timeout) or an immediate 504, and the order is created
// create_after_ms later as if the OMS had taken it.
struct LateCreate {
  bool timeout = true;  // false: answer 504 at once
  int create_after_ms = 0;
};

class Faults {
 public:
  // kInvalidArgument for an unknown kind or bad fields.
  Status Apply(const nlohmann::json& body, int64_t now_ms);

  // The HTTP status the request `method path` must answer with now (consumes one of a counted
  // fault), or 0.
  int TakeHttpError(const std::string& method, const std::string& path, int64_t now_ms);
  // Seconds the next order POST must hold its answer (consumes one), or 0.
  double TakeOrderHang();
  // The late_create treatment of the next order POST (consumes one), if any.
  std::optional<LateCreate> TakeLateCreate();

  bool token_expired() const { return token_expired_; }
  bool ticks_stopped() const { return ticks_stopped_; }
  bool orders_rest() const { return orders_rest_; }
  bool tags_only_in_array() const { return tags_only_in_array_; }
  double partial_fraction() const { return partial_fraction_; }
  bool ws_refused(int64_t now_ms) const { return now_ms < ws_refuse_until_ms_; }
  // oms_slow {open_pending_ms, book_delay_ms} and positions_lag {ms} while set.
  const std::optional<std::pair<int, int>>& oms_slow() const { return oms_slow_; }
  const std::optional<int>& positions_lag_ms() const { return positions_lag_ms_; }
  nlohmann::json ToJson(int64_t now_ms) const;

 private:
  // count < 0: unlimited; until_ms 0: no deadline. Ends at whichever comes first.
  struct HttpError {
    std::string method, path_prefix;
    int status = 0;
    int remaining = 1;
    int64_t until_ms = 0;
  };
  Status ApplyHttpError(const nlohmann::json& body, int64_t now_ms);
  Status ApplyLateCreate(const nlohmann::json& body);

  std::vector<HttpError> http_errors_;
  int hang_count_ = 0;
  double hang_seconds_ = 0;
  int late_count_ = 0;
  LateCreate late_;
  bool token_expired_ = false, ticks_stopped_ = false, orders_rest_ = false;
  bool tags_only_in_array_ = false;
  double partial_fraction_ = 0;
  int64_t ws_refuse_until_ms_ = 0;
  std::optional<std::pair<int, int>> oms_slow_;
  std::optional<int> positions_lag_ms_;
};

// Kite's error_type and message for an injected HTTP status (500 -> GeneralException, ...).
std::pair<std::string, std::string> InjectedError(int status);

}  // namespace zm::sim
