#include "mtm_monitor/squareoff/pacer.h"

#include <algorithm>

#include "common/backoff.h"

namespace zm::monitor {

void OrderPacer::StartDay(const std::string& trading_date, int already_sent) {
  if (trading_date == trading_date_) return;
  trading_date_ = trading_date;
  sent_today_ = std::max(0, already_sent);
}

OrderPacer::TimePoint OrderPacer::WindowSlot(const std::deque<TimePoint>& sent, int limit,
                                             Duration window) {
  if (limit <= 0 || static_cast<int>(sent.size()) < limit) return TimePoint{};
  // The oldest of the last `limit` sends decides when a slot frees up.
  return sent[sent.size() - limit] + window;
}

OrderPacer::TimePoint OrderPacer::NextSendTime(TimePoint now) const {
  if (day_exhausted()) return TimePoint::max();
  TimePoint next = std::max(now, blocked_until_);
  next = std::max(next, WindowSlot(second_, options_.per_second, options_.second_window));
  next = std::max(next, WindowSlot(minute_, options_.per_minute, options_.minute_window));
  return next;
}

void OrderPacer::Trim(std::deque<TimePoint>& sent, int limit, Duration window, TimePoint now) {
  while (!sent.empty() && sent.front() + window <= now) sent.pop_front();
  while (static_cast<int>(sent.size()) > std::max(limit, 1)) sent.pop_front();
}

void OrderPacer::OnSent(TimePoint at) {
  second_.push_back(at);
  minute_.push_back(at);
  Trim(second_, options_.per_second, options_.second_window, at);
  Trim(minute_, options_.per_minute, options_.minute_window, at);
  ++sent_today_;
}

void OrderPacer::OnRateLimited(TimePoint at) {
  const Duration backoff =
      DoublingBackoff(options_.backoff_base, consecutive_429_, options_.backoff_max);
  blocked_until_ = std::max(blocked_until_, at + backoff);
  ++consecutive_429_;
}

void OrderPacer::OnAnswered() { consecutive_429_ = 0; }

bool RateGate::TryAcquire(long long now_ms) {
  if (used_ && now_ms - last_ms_ < min_interval_ms_) return false;
  used_ = true;
  last_ms_ = now_ms;
  return true;
}

}  // namespace zm::monitor
