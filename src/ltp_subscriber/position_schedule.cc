#include "ltp_subscriber/position_schedule.h"

#include <algorithm>

namespace zm::ltp {

PositionSchedule::Time PositionSchedule::NextDue() const {
  return early_pending_ ? std::min(early_due_, periodic_due_) : periodic_due_;
}

void PositionSchedule::OnOrderUpdate(Time now) {
  ++updates_seen_;
  if (!early_pending_) {
    early_pending_ = true;
    early_due_ = now + order_delay_;
  }
}

void PositionSchedule::RequestNow(Time now) {
  early_pending_ = true;
  early_due_ = now;
}

void PositionSchedule::OnFetchDone(Time now, bool ok, uint64_t ticket,
                                   std::optional<Ms> retry_after) {
  if (!ok) {
    periodic_due_ = now + std::min(retry_after.value_or(retry_), interval_);
    if (early_pending_) early_due_ = std::max(early_due_, periodic_due_);
    return;
  }
  periodic_due_ = now + interval_;
  // Updates that arrived during the fetch keep their early fetch (already due or soon).
  if (ticket == updates_seen_) early_pending_ = false;
}

}  // namespace zm::ltp
