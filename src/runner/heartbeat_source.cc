#include "runner/heartbeat_source.h"

#include <SQLiteCpp/Database.h>

namespace zm::runner {

std::optional<Heartbeat> ReadHeartbeatFile(const std::filesystem::path& db_path,
                                           const std::string& component) {
  std::error_code ec;
  if (!std::filesystem::exists(db_path, ec)) return std::nullopt;
  try {
    SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY, /*busy_timeout_ms=*/500);
    auto hb = ReadHeartbeat(db, component);
    if (!hb.ok() || !hb->has_value()) return std::nullopt;
    return **hb;
  } catch (const std::exception&) {
    return std::nullopt;  // busy or unreadable: no heartbeat seen this time
  }
}

std::optional<HeartbeatSeen> DbHeartbeatSource::Read(const std::string& component) {
  auto it = db_by_component_.find(component);
  if (it == db_by_component_.end()) return std::nullopt;
  auto hb = ReadHeartbeatFile(it->second, component);
  if (!hb) return std::nullopt;
  return HeartbeatSeen{hb->pid, hb->updated_at_ms};
}

}  // namespace zm::runner
