// Faults: the misbehaviours a test or a scenario switches on (see the control API table in
// docs/ARCHITECTURE.md). Apply() takes the JSON body of POST /_sim/fault. Pure state: time is
// passed in. Not thread-safe: owned by the simulator's thread.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"

namespace zm::sim {

class Faults {
 public:
  // kInvalidArgument for an unknown kind or bad fields.
  Status Apply(const nlohmann::json& body, int64_t now_ms);

  // The HTTP status the next request `method path` must answer with (consumes one), or 0.
  int TakeHttpError(const std::string& method, const std::string& path);
  // Seconds the next order POST must hold its answer (consumes one), or 0.
  double TakeOrderHang();

  bool token_expired() const { return token_expired_; }
  bool ticks_stopped() const { return ticks_stopped_; }
  bool orders_rest() const { return orders_rest_; }
  double partial_fraction() const { return partial_fraction_; }
  bool ws_refused(int64_t now_ms) const { return now_ms < ws_refuse_until_ms_; }
  nlohmann::json ToJson(int64_t now_ms) const;

 private:
  struct HttpError {
    std::string method, path_prefix;
    int status = 0;
    int remaining = 0;
  };
  std::vector<HttpError> http_errors_;
  int hang_count_ = 0;
  double hang_seconds_ = 0;
  bool token_expired_ = false, ticks_stopped_ = false, orders_rest_ = false;
  double partial_fraction_ = 0;
  int64_t ws_refuse_until_ms_ = 0;
};

// Kite's error_type and message for an injected HTTP status (500 -> GeneralException, ...).
std::pair<std::string, std::string> InjectedError(int status);

}  // namespace zm::sim
