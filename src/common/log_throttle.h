// LogThrottle: when to log an event that can repeat many times a second (a peer sending bad
// frames). The first occurrence is logged at once; later ones at most once per `period`, each
// line carrying how many occurred since the previous line, so that a flood neither fills the
// disk nor hides how often it happened. Pure: the caller passes the time. Not thread-safe.
#pragma once

#include <chrono>

namespace zm {

class LogThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  explicit LogThrottle(Clock::duration period = std::chrono::minutes(1)) : period_(period) {}

  // Counts one occurrence. Returns how many occurred since the last logged line (this one
  // included) when this one is to be logged now, else 0.
  long long Record(Clock::time_point now) {
    ++pending_;
    if (logged_once_ && now < next_log_at_) return 0;
    logged_once_ = true;
    next_log_at_ = now + period_;
    const long long count = pending_;
    pending_ = 0;
    return count;
  }

 private:
  Clock::duration period_;
  Clock::time_point next_log_at_{};
  bool logged_once_ = false;
  long long pending_ = 0;
};

}  // namespace zm
