// The process's wall clock, built in ONE place for every binary of the suite: the real clock,
// shifted when the environment asks for it. A test and demo facility: it lets the suite's
// processes and kite_sim agree on an IST time of day (a session, 02:00 at night, a new trading
// day) without touching the machine's clock and without a test hook in any production type.
//
//   ZM_CLOCK_OFFSET_MS=N   every reading is the system clock + N ms (N may be negative)
//   ZM_CLOCK_FILE=PATH     the offset in ms is read from PATH (one decimal integer), again
//                          whenever the file changes (checked at most every 100 ms), so that a
//                          test can move running processes to another time; until the file is
//                          readable the offset is ZM_CLOCK_OFFSET_MS (or 0)
// Neither set: the real clock, untouched. The monotonic clock is never shifted: timeouts and
// pacing stay real. Children inherit the variables, so a runner and its children agree.
// Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

#include "common/clock.h"

namespace zm {

inline constexpr const char* kClockOffsetEnv = "ZM_CLOCK_OFFSET_MS";
inline constexpr const char* kClockFileEnv = "ZM_CLOCK_FILE";

// The system clock plus an offset, optionally re-read from a file.
class OffsetClock final : public Clock {
 public:
  OffsetClock(std::chrono::milliseconds offset, std::filesystem::path file = {});
  SysTime Now() const override;
  std::chrono::milliseconds offset() const;

 private:
  void MaybeReload() const;
  const std::filesystem::path file_;
  mutable std::mutex mutex_;
  mutable std::chrono::milliseconds offset_;
  mutable std::chrono::steady_clock::time_point next_check_{};
  mutable std::filesystem::file_time_type seen_write_{};
};

// The clock every process reads wall time from: built from the environment on first use.
const Clock& ProcessClock();
// ToEpochMs(ProcessClock().Now()).
int64_t ProcessNowMs();
// True when ZM_CLOCK_OFFSET_MS or ZM_CLOCK_FILE shifts the clock (startup logs say so).
bool ProcessClockShifted();
// "shifted by +3600000 ms (ZM_CLOCK_OFFSET_MS)" or "real".
std::string DescribeProcessClock();

// Parses a decimal, optionally signed, integer of milliseconds; nullopt when malformed.
std::optional<std::chrono::milliseconds> ParseOffsetMs(const std::string& text);

}  // namespace zm
