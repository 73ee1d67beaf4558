// Rate limits as Kite applies them: sliding windows (per second, per minute) and a per-day
// count (the IST calendar day). A request is admitted only when every window has room, and then
// counts in all of them; a refused (429) request counts in none.
// Pure logic: time passed in. Not thread-safe: one owner.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace zm::sim {

class RateLimits {
 public:
  // limit <= 0 = no limit for that window.
  void AddWindow(int64_t window_ms, int limit);
  void SetDailyLimit(int limit) { daily_limit_ = limit; }
  // True (and counted) when within every limit at now_ms; ist_day identifies the IST date.
  bool Admit(int64_t now_ms, int ist_day);

 private:
  struct Window {
    int64_t window_ms = 0;
    int limit = 0;
    std::deque<int64_t> at_ms;
  };
  std::vector<Window> windows_;
  int daily_limit_ = 0;
  int day_ = -1;
  int day_count_ = 0;
};

// A day number for an epoch time: days since 1970-01-01 in IST (UTC+05:30).
int IstDayNumber(int64_t epoch_ms);

}  // namespace zm::sim
