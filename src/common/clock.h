// Clock: where adapters get the time. Logic code never reads a clock; it is handed times.
//
// RealClock reads the system clock. FakeClock is for tests: it starts at a given instant and
// moves only when told. Both are thread-compatible (FakeClock must not be advanced concurrently).
#pragma once

#include <chrono>
#include <cstdint>

namespace zm {

using SysTime = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual SysTime Now() const = 0;
};

class RealClock final : public Clock {
 public:
  SysTime Now() const override { return std::chrono::system_clock::now(); }
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(SysTime start) : now_(start) {}
  SysTime Now() const override { return now_; }
  void Advance(std::chrono::nanoseconds by) { now_ += by; }
  void Set(SysTime at) { now_ = at; }

 private:
  SysTime now_;
};

// The monotonic clock, for timings that must not jump with the wall clock (NTP, DST, a user
// changing the date): timeouts, pacing, staleness. Same pattern: an interface, the real one,
// and a fake for tests.
using MonoTime = std::chrono::steady_clock::time_point;
using MonoDuration = std::chrono::steady_clock::duration;

class MonoClock {
 public:
  virtual ~MonoClock() = default;
  virtual MonoTime Now() const = 0;
};

class RealMonoClock final : public MonoClock {
 public:
  MonoTime Now() const override { return std::chrono::steady_clock::now(); }
};

class FakeMonoClock final : public MonoClock {
 public:
  explicit FakeMonoClock(MonoTime start = MonoTime{}) : now_(start) {}
  MonoTime Now() const override { return now_; }
  void Advance(std::chrono::nanoseconds by) { now_ += by; }

 private:
  MonoTime now_;
};

// Milliseconds since the Unix epoch: the time unit stored in every database of the suite.
inline int64_t ToEpochMs(SysTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
inline SysTime FromEpochMs(int64_t ms) { return SysTime(std::chrono::milliseconds(ms)); }

}  // namespace zm
