// DbHeartbeatSource: reads the children's heartbeats from their databases, read-only, opening
// the file on each call (cheap, and never holds a connection across a child's restart).
// ltp_subscriber -> zerodha_trading.db, mtm_monitor -> zerodha_mtm.db. Single thread.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "common/heartbeat.h"
#include "runner/supervisor.h"

namespace zm::runner {

// Full heartbeat row of `component` in `db_path`; nullopt when the file, table or row is absent
// or the database is busy/unreadable.
std::optional<Heartbeat> ReadHeartbeatFile(const std::filesystem::path& db_path,
                                           const std::string& component);

class DbHeartbeatSource final : public HeartbeatSource {
 public:
  explicit DbHeartbeatSource(std::map<std::string, std::filesystem::path> db_by_component)
      : db_by_component_(std::move(db_by_component)) {}
  std::optional<HeartbeatSeen> Read(const std::string& component) override;

 private:
  std::map<std::string, std::filesystem::path> db_by_component_;
};

}  // namespace zm::runner
