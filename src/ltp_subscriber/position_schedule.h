// PositionSchedule: when the subscriber fetches positions over REST.
//
// Periodically every `interval` (websocket.position_check_interval); soon after an order update
// arrives on the ticker (`order_delay`, well within 1 s: a burst of updates from one square-off
// costs one fetch, and the first update is never pushed back by later ones); and after a failed
// fetch, again after `retry`. An update that arrives while a fetch is in flight may not be
// reflected by it, so it keeps the early fetch pending until a fetch that STARTED after it ends.
// Pure logic on steady time points passed in. Not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace zm::ltp {

class PositionSchedule {
 public:
  using Time = std::chrono::steady_clock::time_point;
  using Ms = std::chrono::milliseconds;

  PositionSchedule(Ms interval, Ms order_delay = Ms(250), Ms retry = Ms(1000))
      : interval_(interval), order_delay_(order_delay), retry_(retry) {}

  // When the next fetch is due (the start: due at once).
  Time NextDue() const;
  bool Due(Time now) const { return now >= NextDue(); }

  void OnOrderUpdate(Time now);
  // A fetch starts; pass the returned ticket to OnFetchDone.
  uint64_t OnFetchStart() const { return updates_seen_; }
  // A failure retries after `retry` (or `retry_after` when given: a rejected token is retried
  // at the periodic pace, not every second), never later than the periodic interval.
  void OnFetchDone(Time now, bool ok, uint64_t ticket, std::optional<Ms> retry_after = {});
  // Fetch as soon as possible (e.g. a new access token).
  void RequestNow(Time now);

 private:
  Ms interval_, order_delay_, retry_;
  Time periodic_due_{};  // epoch of steady_clock = due at once
  bool early_pending_ = false;
  Time early_due_{};
  uint64_t updates_seen_ = 0;
};

}  // namespace zm::ltp
