#include "kite_sim/rate_limits.h"

namespace zm::sim {

void RateLimits::AddWindow(int64_t window_ms, int limit) {
  windows_.push_back({window_ms, limit, {}});
}

bool RateLimits::Admit(int64_t now_ms, int ist_day) {
  if (ist_day != day_) {
    day_ = ist_day;
    day_count_ = 0;
  }
  if (daily_limit_ > 0 && day_count_ >= daily_limit_) return false;
  for (Window& w : windows_) {
    while (!w.at_ms.empty() && w.at_ms.front() <= now_ms - w.window_ms) w.at_ms.pop_front();
    if (w.limit > 0 && static_cast<int>(w.at_ms.size()) >= w.limit) return false;
  }
  for (Window& w : windows_) {
    if (w.limit > 0) w.at_ms.push_back(now_ms);
  }
  ++day_count_;
  return true;
}

int IstDayNumber(int64_t epoch_ms) {
  constexpr int64_t kIstOffsetMs = (5 * 60 + 30) * 60 * 1000LL;
  constexpr int64_t kDayMs = 24 * 3600 * 1000LL;
  const int64_t shifted = epoch_ms + kIstOffsetMs;
  return static_cast<int>(shifted >= 0 ? shifted / kDayMs : (shifted - kDayMs + 1) / kDayMs);
}

}  // namespace zm::sim
