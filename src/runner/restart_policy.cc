#include "runner/restart_policy.h"

#include <algorithm>

#include "common/backoff.h"

namespace zm::runner {

RestartPolicy::RestartPolicy(RestartPolicyOptions options) : options_(options) {}

Millis RestartPolicy::next_backoff() const {
  return DoublingBackoff(options_.initial_backoff, failures_since_stable_, options_.max_backoff);
}

void RestartPolicy::OnStarted(MonoTime at) {
  started_at_ = at;
  started_ = true;
}

RestartDecision RestartPolicy::OnFailure(MonoTime at) {
  // A child that ran long enough is considered healthy again: start over from the short delay.
  if (started_ && at - started_at_ >= options_.stable_period) {
    failures_since_stable_ = 0;
  }
  started_ = false;
  RestartDecision decision;
  decision.delay = next_backoff();
  ++failures_since_stable_;

  ++total_restarts_;
  recent_restarts_.push_back(at);
  while (!recent_restarts_.empty() && at - recent_restarts_.front() > options_.crash_loop_window) {
    recent_restarts_.pop_front();
  }
  decision.restarts_in_window = static_cast<int>(recent_restarts_.size());
  decision.crash_loop = decision.restarts_in_window > options_.crash_loop_restarts;
  return decision;
}

}  // namespace zm::runner
