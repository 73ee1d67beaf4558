// Clock: where adapters get the time. Logic code never reads a clock; it is handed times.
//
// RealClock reads the system clock. FakeClock is for tests: it starts at a given instant and
// moves only when told. Both are thread-compatible (FakeClock must not be advanced concurrently).
#pragma once

#include <chrono>
#include <cstdint>

namespace zm {

// The clock interface over one std clock (system_clock: wall time; steady_clock: monotonic),
// the real one, and a fake that starts at a given instant and moves only when told.
template <typename StdClock>
class ClockOf {
 public:
  using TimePoint = typename StdClock::time_point;
  virtual ~ClockOf() = default;
  virtual TimePoint Now() const = 0;
};

template <typename StdClock>
class RealClockOf final : public ClockOf<StdClock> {
 public:
  typename StdClock::time_point Now() const override { return StdClock::now(); }
};

template <typename StdClock>
class FakeClockOf final : public ClockOf<StdClock> {
 public:
  using TimePoint = typename StdClock::time_point;
  explicit FakeClockOf(TimePoint start = TimePoint{}) : now_(start) {}
  TimePoint Now() const override { return now_; }
  void Advance(std::chrono::nanoseconds by) { now_ += by; }
  void Set(TimePoint at) { now_ = at; }

 private:
  TimePoint now_;
};

// Wall time: what dates, sessions and stored timestamps are made of.
using SysTime = std::chrono::system_clock::time_point;
using Clock = ClockOf<std::chrono::system_clock>;
using RealClock = RealClockOf<std::chrono::system_clock>;
using FakeClock = FakeClockOf<std::chrono::system_clock>;

// The monotonic clock, for timings that must not jump with the wall clock (NTP, DST, a user
// changing the date): timeouts, pacing, staleness.
using MonoTime = std::chrono::steady_clock::time_point;
using MonoDuration = std::chrono::steady_clock::duration;
using MonoClock = ClockOf<std::chrono::steady_clock>;
using RealMonoClock = RealClockOf<std::chrono::steady_clock>;
using FakeMonoClock = FakeClockOf<std::chrono::steady_clock>;

// Milliseconds since the Unix epoch: the time unit stored in every database of the suite.
inline int64_t ToEpochMs(SysTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
inline SysTime FromEpochMs(int64_t ms) { return SysTime(std::chrono::milliseconds(ms)); }

}  // namespace zm
