// Health decision for one supervised child: pure function of what the supervisor observed.
//
// A child is kExited once waitpid() reaped it. Otherwise its heartbeat (written by the child in
// its own database, common/heartbeat.h) decides: a heartbeat from this very pid older than
// `stale_seconds` means hung. A fresh child that has not written a heartbeat yet gets
// `stale_seconds` from its start (kStarting) before it is declared hung. A heartbeat row left
// by an earlier instance (another pid) does not count.
#pragma once

#include <cstdint>
#include <optional>

namespace zm::runner {

enum class Health { kOk, kStarting, kExited, kHung };

const char* HealthName(Health health);

struct HeartbeatSeen {
  int64_t pid = 0;
  int64_t updated_at_ms = 0;
};

struct HealthInput {
  bool exited = false;
  int64_t child_pid = 0;
  int64_t started_at_ms = 0;  // wall clock, epoch ms
  std::optional<HeartbeatSeen> heartbeat;
  int64_t now_ms = 0;  // wall clock, epoch ms
  double stale_seconds = 15;
};

Health DecideHealth(const HealthInput& input);

}  // namespace zm::runner
