// ReconnectBackoff: how long the subscriber waits before the next WebSocket connection attempt.
//
// Ordinary failures (drop, error, 5 s of silence, refused connect): 1 s doubling to 30 s, each
// delay jittered down by up to 25% so that many clients do not reconnect in lock-step. A token
// rejection (403 on the upgrade) is not fixed by retrying quickly: 60 s (+ up to 5 s jitter), so
// an expired token costs at most one attempt per minute. A session that proved healthy (it
// delivered at least one message) resets the doubling.
// Pure logic: the caller supplies jitter in [0, 1). A value type; not thread-safe.
#pragma once

#include <chrono>

namespace zm::ltp {

enum class FailureKind { kTransient, kTokenRejected };

class ReconnectBackoff {
 public:
  static constexpr std::chrono::milliseconds kInitial{1000};
  static constexpr std::chrono::milliseconds kMax{30000};
  static constexpr std::chrono::milliseconds kTokenRetry{60000};
  static constexpr std::chrono::milliseconds kTokenJitter{5000};

  // The delay before the next attempt after a failure of `kind`; `jitter01` in [0, 1).
  std::chrono::milliseconds NextDelay(FailureKind kind, double jitter01);
  // The last session was healthy: start again from kInitial.
  void Reset() { failures_ = 0; }
  int failures() const { return failures_; }

 private:
  int failures_ = 0;  // consecutive ordinary failures
};

}  // namespace zm::ltp
