#include "common/monitor_snapshot.h"

#include <SQLiteCpp/Statement.h>

namespace zm {

Status EnsureMonitorSnapshotTable(SQLite::Database& db) {
  try {
    db.exec(
        "CREATE TABLE IF NOT EXISTS monitor_snapshot ("
        " id INTEGER PRIMARY KEY CHECK (id = 1),"
        " document TEXT NOT NULL)");
  } catch (const std::exception& e) {
    return IoError(std::string("creating monitor_snapshot: ") + e.what());
  }
  return Status::Ok();
}

Status WriteMonitorSnapshot(SQLite::Database& db, const nlohmann::json& snapshot) {
  try {
    SQLite::Statement st(db,
                         "INSERT INTO monitor_snapshot(id, document) VALUES(1, ?)"
                         " ON CONFLICT(id) DO UPDATE SET document = excluded.document");
    st.bind(1, snapshot.dump());
    st.exec();
  } catch (const std::exception& e) {
    return IoError(std::string("writing monitor snapshot: ") + e.what());
  }
  return Status::Ok();
}

Result<std::optional<nlohmann::json>> ReadMonitorSnapshot(SQLite::Database& db) {
  try {
    if (!db.tableExists("monitor_snapshot")) return std::optional<nlohmann::json>();
    SQLite::Statement st(db, "SELECT document FROM monitor_snapshot WHERE id = 1");
    if (!st.executeStep()) return std::optional<nlohmann::json>();
    auto doc = nlohmann::json::parse(st.getColumn(0).getString(), nullptr, false);
    if (doc.is_discarded()) return ParseError("monitor snapshot is not valid JSON");
    return std::optional<nlohmann::json>(std::move(doc));
  } catch (const std::exception& e) {
    return IoError(std::string("reading monitor snapshot: ") + e.what());
  }
}

}  // namespace zm
