// Health of one supervised child, decided from what the supervisor observed (pure, no clock:
// the supervisor passes its monotonic reading times in).
//
// HangDetector, one per child instance (a fresh one at every start):
//  - A heartbeat row (common/heartbeat.h) written by this very pid whose updated_at_ms differs
//    from the previous reading is PROGRESS. The row's wall-clock time is used for nothing else:
//    staleness is measured on the runner's monotonic clock since the last progress (or since
//    the start, before the first heartbeat), so a wall-clock step never looks like a hang.
//  - A reading that failed (a busy or unreadable database) is "unreadable", never a hang by
//    itself; a row left by an earlier instance (another pid) is no progress.
//  - The bound is `stale`, or `squareoff_stale` while the child's last heartbeat said
//    "squaring_off": a monitor in the middle of a square-off is given longer before a SIGTERM.
//  - Every reading taken beyond the bound, stale or unreadable, counts; `readings` consecutive
//    such readings make the child HUNG. Any reading within the bound resets the count.
// DeadManSince: the runner's half of the dead-man rule (the monitor's heartbeat has not moved
// for dead_man while its last heartbeat said positions were open).
// Plain values; not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "runner/restart_policy.h"

namespace zm::runner {

// Names: kHealthNames in health.cc, in this order (common/enum_names.h).
enum class Health { kStarting, kOk, kUnreadable, kStale, kHung, kMaxValue = kHung };

// "starting" | "ok" | "unreadable" | "stale" | "hung"
const char* HealthName(Health health);

struct HeartbeatSeen {
  int64_t pid = 0;
  int64_t updated_at_ms = 0;
  std::string state;        // details.state (the monitor's "squaring_off", ...); "" if none
  int open_positions = -1;  // details.open_positions (monitor); -1 when not said
};

struct HeartbeatReading {
  enum class Kind { kAbsent, kRow, kUnreadable };
  Kind kind = Kind::kAbsent;  // kAbsent: no file, table or row yet
  HeartbeatSeen seen;         // kRow only
  std::string error;          // kUnreadable only: why the read failed
};

struct HangOptions {
  Millis stale{15000};
  Millis squareoff_stale{60000};
  int readings = 3;
};

struct HealthVerdict {
  Health health = Health::kStarting;
  bool progress = false;      // this reading showed a new heartbeat of this instance
  Millis since_progress{0};   // monotonic time since the last progress (or the start)
  Millis bound{0};            // the staleness bound that applied
  int readings_beyond = 0;    // consecutive readings beyond the bound
  bool squaring_off = false;  // the last heartbeat of this instance said "squaring_off"
  std::string detail;         // one line for logs and status
};

class HangDetector {
 public:
  HangDetector(HangOptions options, int64_t child_pid, MonoTime started_at);
  HealthVerdict Observe(const HeartbeatReading& reading, MonoTime now);

 private:
  HangOptions options_;
  int64_t child_pid_;
  MonoTime last_progress_;
  bool seen_own_ = false;
  int64_t last_updated_ms_ = 0;
  bool squaring_off_ = false;
  int beyond_ = 0;
};

// True when the dead-man alert is due: positions were open at the monitor's last word
// (`open_positions` > 0) and no heartbeat progress was seen for longer than `dead_man`.
bool DeadManDue(Millis since_progress, int open_positions, Millis dead_man);

}  // namespace zm::runner
