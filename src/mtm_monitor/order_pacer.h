// OrderPacer: keeps order requests (place, modify, cancel) under Kite's 10 per second and backs
// off after HTTP 429.
//
// A sliding window: at most `max_per_window` sends in any `window` (default 10 per 1 s plus a
// small margin for clock skew between us and the broker). After a 429 no send is allowed for a
// backoff that doubles with each consecutive 429 (base, 2x, 4x, ... capped) and resets on the
// next accepted request. Pure: the caller passes the time (a steady clock), asks when the next
// send may go, and reports what happened. Not thread-safe (one per square-off, one thread).
#pragma once

#include <chrono>
#include <deque>

namespace zm::monitor {

class OrderPacer {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Duration = std::chrono::steady_clock::duration;

  struct Options {
    int max_per_window = 10;
    Duration window = std::chrono::milliseconds(1050);
    Duration backoff_base = std::chrono::milliseconds(500);
    Duration backoff_max = std::chrono::seconds(8);
  };

  OrderPacer() : OrderPacer(Options{}) {}
  explicit OrderPacer(Options options) : options_(options) {}

  // Earliest time >= now at which a send is allowed.
  TimePoint NextSendTime(TimePoint now) const;
  // A request went out at `at` (call right before sending).
  void OnSent(TimePoint at);
  // The broker answered 429 at `at`: block sends for the current backoff, then double it.
  void OnRateLimited(TimePoint at);
  // The broker accepted (or answered anything but 429): the backoff starts again from base.
  void OnAnswered();

  int consecutive_rate_limits() const { return consecutive_429_; }

 private:
  Options options_;
  std::deque<TimePoint> sent_;  // send times inside the current window, oldest first
  TimePoint blocked_until_{};
  int consecutive_429_ = 0;
};

}  // namespace zm::monitor
