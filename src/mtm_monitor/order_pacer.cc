#include "mtm_monitor/order_pacer.h"

#include <algorithm>

namespace zm::monitor {

OrderPacer::TimePoint OrderPacer::NextSendTime(TimePoint now) const {
  TimePoint next = std::max(now, blocked_until_);
  if (options_.max_per_window <= 0) return next;
  // Sends older than the window no longer count; the oldest of the last max_per_window sends
  // decides when a slot frees up.
  if (static_cast<int>(sent_.size()) >= options_.max_per_window) {
    TimePoint oldest_counted = sent_[sent_.size() - options_.max_per_window];
    next = std::max(next, oldest_counted + options_.window);
  }
  return next;
}

void OrderPacer::OnSent(TimePoint at) {
  sent_.push_back(at);
  while (!sent_.empty() && sent_.front() + options_.window <= at) sent_.pop_front();
  while (static_cast<int>(sent_.size()) > std::max(options_.max_per_window, 1)) sent_.pop_front();
}

void OrderPacer::OnRateLimited(TimePoint at) {
  Duration backoff = options_.backoff_base;
  for (int i = 0; i < consecutive_429_ && backoff < options_.backoff_max; ++i) backoff *= 2;
  backoff = std::min(backoff, options_.backoff_max);
  blocked_until_ = std::max(blocked_until_, at + backoff);
  ++consecutive_429_;
}

void OrderPacer::OnAnswered() { consecutive_429_ = 0; }

}  // namespace zm::monitor
