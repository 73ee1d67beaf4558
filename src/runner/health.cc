#include "runner/health.h"

#include <algorithm>

#include "common/enum_names.h"

namespace zm::runner {

constexpr auto kHealthNames =
    MakeEnumNames<Health>({"starting", "ok", "unreadable", "stale", "hung"});

const char* HealthName(Health health) { return kHealthNames.Name(health, "unknown"); }

HangDetector::HangDetector(HangOptions options, int64_t child_pid, MonoTime started_at)
    : options_(options), child_pid_(child_pid), last_progress_(started_at) {}

HealthVerdict HangDetector::Observe(const HeartbeatReading& reading, MonoTime now) {
  HealthVerdict v;
  const bool own_row =
      reading.kind == HeartbeatReading::Kind::kRow && reading.seen.pid == child_pid_;
  if (own_row) {
    v.progress = !seen_own_ || reading.seen.updated_at_ms != last_updated_ms_;
    if (v.progress) last_progress_ = now;
    seen_own_ = true;
    last_updated_ms_ = reading.seen.updated_at_ms;
    squaring_off_ = reading.seen.state == "squaring_off";
  }
  v.squaring_off = squaring_off_;
  v.bound = squaring_off_ ? std::max(options_.squareoff_stale, options_.stale) : options_.stale;
  v.since_progress = std::chrono::duration_cast<Millis>(now - last_progress_);
  const bool unreadable = reading.kind == HeartbeatReading::Kind::kUnreadable;
  const std::string age = std::to_string(v.since_progress.count() / 1000) + " s";
  if (v.since_progress <= v.bound) {
    beyond_ = 0;
    v.health = unreadable ? Health::kUnreadable : seen_own_ ? Health::kOk : Health::kStarting;
    v.detail = unreadable
                   ? "heartbeat unreadable (" + reading.error + "), last progress " + age + " ago"
                   : "";
    return v;
  }
  v.readings_beyond = ++beyond_;
  const std::string why = unreadable
                              ? "heartbeat unreadable (" + reading.error + ")"
                              : (seen_own_ ? "no new heartbeat" : "no heartbeat since the start");
  v.detail = why + " for " + age + " (bound " + std::to_string(v.bound.count() / 1000) + " s" +
             (squaring_off_ ? ", square-off running" : "") + "), reading " +
             std::to_string(beyond_) + " of " + std::to_string(options_.readings);
  if (beyond_ >= options_.readings) {
    v.health = Health::kHung;
  } else {
    v.health = unreadable ? Health::kUnreadable : Health::kStale;
  }
  return v;
}

bool DeadManDue(Millis since_progress, int open_positions, Millis dead_man) {
  return dead_man.count() > 0 && open_positions > 0 && since_progress > dead_man;
}

}  // namespace zm::runner
