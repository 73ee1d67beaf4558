// Dispatcher: the pure delivery policy of the alerts (no I/O, no clock: times are passed in).
//
//   filter     an event reaches a channel when its severity >= the channel's minimum
//              (alerts.channels[i].min_severity, else alerts.min_severity); `force` (alert-test)
//              skips the filter.
//   queue      one FIFO per channel, at most `queue_limit` events: when full, the oldest event
//              of the lowest severity is dropped (counted), so a flood of warnings never pushes
//              out a critical one. One delivery in flight per channel: order is kept and a slow
//              channel never holds up another.
//   duplicates an event whose key (AlertEvent::key) was accepted by that channel within
//              `duplicate_window` is collapsed: counted as suppressed, and when the earlier one
//              is still queued it says "(repeated N more time(s))" instead.
//   rate limit at most `rate_per_minute` attempts per channel in any sliding minute; the rest
//              wait in the queue.
//   retries    a failed attempt is retried after retry_delay * 2^n, at most max_retries times,
//              then given up (counted as failed). A channel whose last attempt failed is
//              "failing" (visible in `status`) until an attempt succeeds.
// Plain value; not thread-safe (one io_context thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/alerts/event.h"
#include "common/clock.h"
#include "common/status.h"

namespace zm::alerts {

// The delivery policy; each default is the config key's (README, "alerts.*").
struct DispatchPolicy {
  int max_retries = 3;  // alerts.max_retries: retries after a failed attempt, then given up
  MonoDuration retry_delay = std::chrono::seconds(2);  // alerts.retry_delay: the first retry's
  int rate_per_minute = 20;  // alerts.rate_limit_per_minute: attempts per channel, any minute
  MonoDuration duplicate_window = std::chrono::seconds(60);  // alerts.duplicate_window
  size_t queue_limit = 100;  // events queued per channel (not configurable)
};

struct ChannelInfo {
  std::string name, type;
  AlertSeverity min_severity = AlertSeverity::kWarning;
};

struct Delivery {
  uint64_t id = 0;
  size_t channel = 0;  // index into the channels given to the dispatcher
  AlertEvent event;
  int attempt = 0;  // 0 = first
  int repeats = 0;  // duplicates collapsed into it
};

struct ChannelHealth {
  std::string name, type;
  long long sent = 0;        // delivered
  long long failed = 0;      // given up after every retry
  long long retried = 0;     // failed attempts that were retried
  long long dropped = 0;     // queue overflow
  long long suppressed = 0;  // duplicates collapsed
  int consecutive_failures = 0;
  std::string last_error;  // redacted, one line
  int64_t last_error_at_ms = 0, last_ok_at_ms = 0;
  size_t queued = 0;
  // "idle" (nothing attempted yet) | "ok" | "failing"
  std::string state() const;
};

nlohmann::json HealthToJson(const std::vector<ChannelHealth>& health);

class Dispatcher {
 public:
  Dispatcher(DispatchPolicy policy, std::vector<ChannelInfo> channels);

  // Queues `event` for every channel that takes it; returns how many did.
  int Submit(const AlertEvent& event, MonoTime now, bool force = false);
  // Deliveries that may start now (queued, not waiting for a retry or the rate limit, and no
  // other delivery of that channel in flight). They are in flight until Complete().
  std::vector<Delivery> TakeDue(MonoTime now);
  void Complete(uint64_t delivery_id, const Status& result, MonoTime now, int64_t now_ms);
  // The earliest time TakeDue() can return something while nothing is in flight for that
  // channel; nullopt when every queue is empty (or only waits on in-flight deliveries).
  std::optional<MonoTime> NextDue(MonoTime now) const;
  bool Idle() const;  // nothing queued, nothing in flight

  const std::vector<ChannelHealth>& health() const { return health_; }

 private:
  struct Pending {
    AlertEvent event;
    int attempt = 0;
    int repeats = 0;
    MonoTime not_before{};
  };
  struct Channel {
    ChannelInfo info;
    std::deque<Pending> queue;
    std::optional<uint64_t> in_flight;
    std::optional<Pending> in_flight_item;
    std::deque<MonoTime> attempts;           // within the last minute
    std::map<std::string, MonoTime> recent;  // key -> accepted at
  };
  void Enqueue(Channel& c, ChannelHealth& h, const AlertEvent& event, MonoTime now);
  std::optional<MonoTime> ReadyAt(const Channel& c, MonoTime now) const;

  DispatchPolicy policy_;
  std::vector<Channel> channels_;
  std::vector<ChannelHealth> health_;
  uint64_t next_id_ = 1;
};

}  // namespace zm::alerts
