// SimClock: the simulator's notion of now (order timestamps, sessions, rate-limit days, GTT and
// holdings dates). It is an anchor instant plus the steady time elapsed since the anchor was set,
// so it never depends on the machine's time of day unless asked to:
//  - default: the current IST date (the previous Friday on a weekend) at 10:30:00 IST, a time
//    when every exchange is in session, plus elapsed time;
//  - SetWallOffset(N): the wall clock + N ms (kite_sim --clock-offset-ms N; the suite's own
//    processes can be given the same offset);
//  - SetNow(t): jump to the instant t (POST /_sim/clock {"ist": ...}); time runs on from there.
// The two time sources are injected (tests pass fakes). Not thread-safe: one owner.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace zm::sim {

class SimClock {
 public:
  using MsSource = std::function<int64_t()>;  // milliseconds
  // wall_ms: epoch milliseconds (system clock); steady_ms: a monotonic millisecond count.
  SimClock(MsSource wall_ms, MsSource steady_ms);

  int64_t NowMs() const;
  void SetNow(int64_t epoch_ms);
  void SetWallOffset(int64_t offset_ms);
  void SetTradingDefault();

  // The default anchor for a wall-clock instant: 10:30:00 IST of its IST date, or of the
  // previous Friday when that date is a Saturday or Sunday.
  static int64_t DefaultTradingTime(int64_t wall_ms);

 private:
  MsSource wall_ms_, steady_ms_;
  int64_t anchor_epoch_ms_ = 0;
  int64_t anchor_steady_ms_ = 0;
};

// "2026-11-26T02:00:00" (IST wall time, seconds optional, fraction not allowed) -> epoch ms.
std::optional<int64_t> ParseIstDateTime(const std::string& text);

}  // namespace zm::sim
