// SuiteClock: the clock of the suite's processes that a test starts (common/process_clock.h),
// so that tests never depend on the wall-clock time of day. Install() points ZM_CLOCK_FILE of
// this test process at a file of its own (every child started later inherits it) holding the
// offset to a chosen IST time; Set() moves running children there within ~100 ms.
// SimHarness::Start() installs one at DefaultTradingTime() (a weekday, 10:30 IST, inside every
// session) unless the environment already names a clock file.
// Thread-safety: one test thread.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/status.h"

namespace zm::testing {

// The latest weekday at or before today (IST), at 10:30 IST.
SysTime DefaultTradingTime();
// An IST wall-clock time on a "YYYY-MM-DD" date.
SysTime IstTime(const std::string& date, int hour, int minute, int second = 0);
// What the suite's processes started now would read as the time (ZM_CLOCK_FILE or
// ZM_CLOCK_OFFSET_MS of this process's environment, else the system clock).
SysTime SuiteNow();

class SuiteClock {
 public:
  // At `at` (default DefaultTradingTime()). When ZM_CLOCK_FILE is already set (an outer
  // SuiteClock), shares that file and restores nothing.
  static std::unique_ptr<SuiteClock> Install(std::optional<SysTime> at = std::nullopt);
  ~SuiteClock();
  SuiteClock(const SuiteClock&) = delete;
  SuiteClock& operator=(const SuiteClock&) = delete;

  // Moves the suite's clock so that it reads `at` now (atomic file replace).
  Status Set(SysTime at);
  SysTime Now() const { return SuiteNow(); }
  std::chrono::milliseconds offset() const;
  const std::filesystem::path& file() const { return file_; }

 private:
  SuiteClock() = default;
  std::filesystem::path file_;
  bool owner_ = false;
  std::optional<std::string> previous_offset_env_;
};

}  // namespace zm::testing
