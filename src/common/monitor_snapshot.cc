#include "common/monitor_snapshot.h"

#include <SQLiteCpp/Statement.h>

#include "common/sqlite_call.h"

namespace zm {

Status EnsureMonitorSnapshotTable(SQLite::Database& db) {
  return SqliteExec(db, "monitor_snapshot", "creating the table",
                    "CREATE TABLE IF NOT EXISTS monitor_snapshot ("
                    " id INTEGER PRIMARY KEY CHECK (id = 1), document TEXT NOT NULL)");
}

Status WriteMonitorSnapshot(SQLite::Database& db, const nlohmann::json& snapshot) {
  return SqliteExec(db, "monitor_snapshot", "writing monitor snapshot",
                    "INSERT INTO monitor_snapshot(id, document) VALUES(1, ?)"
                    " ON CONFLICT(id) DO UPDATE SET document = excluded.document",
                    snapshot.dump());
}

Result<std::optional<nlohmann::json>> ReadMonitorSnapshot(SQLite::Database& db) {
  using Snapshot = std::optional<nlohmann::json>;
  return SqliteCall("monitor_snapshot", "reading monitor snapshot", [&]() -> Result<Snapshot> {
    if (!db.tableExists("monitor_snapshot")) return Snapshot();
    SQLite::Statement st(db, "SELECT document FROM monitor_snapshot WHERE id = 1");
    if (!st.executeStep()) return Snapshot();
    auto doc = nlohmann::json::parse(st.getColumn(0).getString(), nullptr, false);
    if (doc.is_discarded()) return ParseError("monitor snapshot is not valid JSON");
    return Snapshot(std::move(doc));
  });
}

}  // namespace zm
