#include "ltp_subscriber/backoff.h"

#include <algorithm>

#include "common/backoff.h"

namespace zm::ltp {

std::chrono::milliseconds ReconnectBackoff::NextDelay(FailureKind kind, double jitter01) {
  jitter01 = std::clamp(jitter01, 0.0, 0.999999);
  if (kind == FailureKind::kTokenRejected) {
    return kTokenRetry +
           std::chrono::milliseconds(static_cast<long long>(jitter01 * kTokenJitter.count()));
  }
  const long long delay = DoublingBackoff(kInitial, failures_, kMax).count();
  ++failures_;
  // Jitter downwards only, so the cap stays a cap: [0.75, 1] x delay.
  return std::chrono::milliseconds(static_cast<long long>(delay * (1.0 - 0.25 * jitter01)));
}

}  // namespace zm::ltp
