// RestartPolicy: when to restart a supervised child and when its restarts become a crash loop.
//
// Pure logic, no clock: the supervisor passes monotonic times in. Backoff starts at
// `initial_backoff` and doubles on every failure up to `max_backoff`; a child that ran for at
// least `stable_period` before failing starts again from `initial_backoff`. More than
// `crash_loop_restarts` restarts inside `crash_loop_window` is a crash loop: the supervisor raises
// a critical alert but keeps restarting (the monitor must never stay down silently).
// One RestartPolicy per child; a plain value, not thread-safe.
#pragma once

#include <chrono>
#include <deque>

namespace zm::runner {

using MonoTime = std::chrono::steady_clock::time_point;
using Millis = std::chrono::milliseconds;

struct RestartPolicyOptions {
  Millis initial_backoff{1000};
  Millis max_backoff{60000};
  Millis stable_period{60000};
  Millis crash_loop_window{5 * 60 * 1000};
  int crash_loop_restarts = 5;  // more than this many inside the window = crash loop
};

struct RestartDecision {
  Millis delay{0};          // wait this long before starting the child again
  bool crash_loop = false;  // raise a critical alert
  int restarts_in_window = 0;
};

class RestartPolicy {
 public:
  explicit RestartPolicy(RestartPolicyOptions options = {});

  // The child was (re)started at `at`.
  void OnStarted(MonoTime at);
  // The child failed (exited or was stopped as hung) at `at`: how long to wait, and whether this
  // is a crash loop. Counts one restart.
  RestartDecision OnFailure(MonoTime at);

  int total_restarts() const { return total_restarts_; }
  Millis next_backoff() const;  // the delay the next failure gets

 private:
  RestartPolicyOptions options_;
  int failures_since_stable_ = 0;  // doublings of initial_backoff
  MonoTime started_at_{};
  bool started_ = false;
  int total_restarts_ = 0;
  std::deque<MonoTime> recent_restarts_;
};

}  // namespace zm::runner
