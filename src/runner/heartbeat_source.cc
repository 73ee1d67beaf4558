#include "runner/heartbeat_source.h"

#include <SQLiteCpp/Database.h>

namespace zm::runner {

Result<std::optional<Heartbeat>> ReadHeartbeatFile(const std::filesystem::path& db_path,
                                                   const std::string& component) {
  std::error_code ec;
  if (!std::filesystem::exists(db_path, ec)) return std::optional<Heartbeat>();
  try {
    SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY, /*busy_timeout_ms=*/500);
    return ReadHeartbeat(db, component);
  } catch (const std::exception& e) {
    return IoError(std::string("reading ") + db_path.filename().string() + ": " + e.what());
  }
}

HeartbeatSeen SeenFromHeartbeat(const Heartbeat& hb) {
  HeartbeatSeen seen{hb.pid, hb.updated_at_ms, "", -1};
  const auto state = hb.details.find("state");
  if (state != hb.details.end() && state->is_string()) seen.state = state->get<std::string>();
  const auto open = hb.details.find("open_positions");
  if (open != hb.details.end() && open->is_number_integer()) seen.open_positions = open->get<int>();
  return seen;
}

HeartbeatReading DbHeartbeatSource::Read(const std::string& component) {
  HeartbeatReading reading;
  auto it = db_by_component_.find(component);
  if (it == db_by_component_.end()) return reading;
  auto hb = ReadHeartbeatFile(it->second, component);
  if (!hb.ok()) {
    reading.kind = HeartbeatReading::Kind::kUnreadable;
    reading.error = hb.status().message();
  } else if (hb->has_value()) {
    reading.kind = HeartbeatReading::Kind::kRow;
    reading.seen = SeenFromHeartbeat(**hb);
  }
  return reading;
}

}  // namespace zm::runner
