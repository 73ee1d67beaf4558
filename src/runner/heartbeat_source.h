// DbHeartbeatSource: reads the children's heartbeats from their databases, read-only, opening
// the file on each call (cheap, and never holds a connection across a child's restart).
// ltp_subscriber -> zerodha_trading.db, mtm_monitor -> zerodha_mtm.db. Single thread.
// A read that fails (busy beyond 500 ms, unreadable file) is reported as kUnreadable with the
// reason, never as "no heartbeat": the supervisor must not mistake a busy database for a hang.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "common/heartbeat.h"
#include "runner/supervisor.h"

namespace zm::runner {

// Full heartbeat row of `component` in `db_path`; nullopt when the file, table or row is absent.
// An error Status when the database could not be read.
Result<std::optional<Heartbeat>> ReadHeartbeatFile(const std::filesystem::path& db_path,
                                                   const std::string& component);

// The row as the health logic sees it (pid, time, details.state, details.open_positions).
HeartbeatSeen SeenFromHeartbeat(const Heartbeat& heartbeat);

class DbHeartbeatSource final : public HeartbeatSource {
 public:
  explicit DbHeartbeatSource(std::map<std::string, std::filesystem::path> db_by_component)
      : db_by_component_(std::move(db_by_component)) {}
  HeartbeatReading Read(const std::string& component) override;

 private:
  std::map<std::string, std::filesystem::path> db_by_component_;
};

}  // namespace zm::runner
