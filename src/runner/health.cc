#include "runner/health.h"

namespace zm::runner {

const char* HealthName(Health health) {
  switch (health) {
    case Health::kOk:
      return "ok";
    case Health::kStarting:
      return "starting";
    case Health::kExited:
      return "exited";
    case Health::kHung:
      return "hung";
  }
  return "unknown";
}

Health DecideHealth(const HealthInput& in) {
  if (in.exited) return Health::kExited;
  const auto stale_ms = static_cast<int64_t>(in.stale_seconds * 1000);
  if (in.heartbeat && in.heartbeat->pid == in.child_pid) {
    return in.now_ms - in.heartbeat->updated_at_ms > stale_ms ? Health::kHung : Health::kOk;
  }
  return in.now_ms - in.started_at_ms > stale_ms ? Health::kHung : Health::kStarting;
}

}  // namespace zm::runner
