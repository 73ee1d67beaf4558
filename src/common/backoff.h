// DoublingBackoff: the one formula behind every retry delay of the suite: `base` doubled
// `doublings` times, never beyond `cap`. Used by the subscriber's reconnects
// (ltp_subscriber/backoff.h), the runner's restarts (runner/restart_policy.h), the alert
// dispatcher's retries, the square-off pacer's 429 back-off and the slice machine's re-sends.
// Pure; works for any std::chrono duration; stops doubling at the cap, so it never overflows.
#pragma once

#include <algorithm>

namespace zm {

template <typename Duration>
constexpr Duration DoublingBackoff(Duration base, int doublings, Duration cap) {
  Duration delay = base;
  for (int i = 0; i < doublings && delay < cap; ++i) delay *= 2;
  return std::min(delay, cap);
}

}  // namespace zm
