// OrderPacer: keeps order requests (place, modify, cancel) inside Kite's limits for one
// account: 10 per second, 400 per minute and 5000 per day (rejected requests count too), and
// backs off after HTTP 429 on any of them.
//
// Sliding windows with a small margin for clock skew between us and the broker (a second is
// counted as 1.05 s, a minute as 61 s). After a 429 no request goes for a backoff that doubles
// with each consecutive 429 (0.5 s, 1 s, 2 s, ... capped at 8 s) and starts again from the base
// on the next answer that is not a 429. The day's count belongs to the IST trading date and is
// persisted by the caller (StartDay() restores it after a restart). Pure: the caller passes the
// time (a monotonic clock), asks when the next request may go, and reports what happened.
// Not thread-safe: one per process (all square-offs of the day share it).
#pragma once

#include <chrono>
#include <deque>
#include <string>

namespace zm::monitor {

class OrderPacer {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Duration = std::chrono::steady_clock::duration;

  // Kite's order limits (KITE_API.md), and the margins and backoff described above.
  struct Options {
    int per_second = 10;                                       // requests per (padded) second
    Duration second_window = std::chrono::milliseconds(1050);  // a second, with the skew margin
    int per_minute = 400;                                      // requests per (padded) minute
    Duration minute_window = std::chrono::seconds(61);         // a minute, with the skew margin
    int per_day = 5000;                                        // 0 = no daily cap (tests)
    Duration backoff_base = std::chrono::milliseconds(500);    // the first 429's pause
    Duration backoff_max = std::chrono::seconds(8);            // the longest pause
  };

  OrderPacer() : OrderPacer(Options{}) {}
  explicit OrderPacer(Options options) : options_(options) {}

  // A new trading day (or a restart): `already_sent` requests were sent earlier that day.
  void StartDay(const std::string& trading_date, int already_sent);
  const std::string& trading_date() const { return trading_date_; }
  int sent_today() const { return sent_today_; }
  // The day's budget is spent: NextSendTime() is TimePoint::max().
  bool day_exhausted() const { return options_.per_day > 0 && sent_today_ >= options_.per_day; }

  // Earliest time >= now at which a request is allowed.
  TimePoint NextSendTime(TimePoint now) const;
  // A request went out at `at` (call right before sending).
  void OnSent(TimePoint at);
  // The broker answered 429 at `at`: block requests for the current backoff, then double it.
  void OnRateLimited(TimePoint at);
  // The broker answered anything but 429: the backoff starts again from its base.
  void OnAnswered();

  int consecutive_rate_limits() const { return consecutive_429_; }

 private:
  static TimePoint WindowSlot(const std::deque<TimePoint>& sent, int limit, Duration window);
  static void Trim(std::deque<TimePoint>& sent, int limit, Duration window, TimePoint now);

  Options options_;
  std::deque<TimePoint> second_, minute_;  // send times inside each window, oldest first
  TimePoint blocked_until_{};
  int consecutive_429_ = 0;
  std::string trading_date_;
  int sent_today_ = 0;
};

// RateGate: at most one pass per `min_interval` (e.g. GET /quote*: 1 request/s for the whole
// process, shared by the monitor and the engine). Time passed in (epoch ms). A value type,
// thread-compatible.
class RateGate {
 public:
  explicit RateGate(std::chrono::milliseconds min_interval)
      : min_interval_ms_(min_interval.count()) {}
  bool TryAcquire(long long now_ms);

 private:
  long long min_interval_ms_;
  long long last_ms_ = 0;
  bool used_ = false;
};

}  // namespace zm::monitor
