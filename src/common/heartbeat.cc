#include "common/heartbeat.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "common/sqlite_call.h"

namespace zm {

Status EnsureHeartbeatTable(SQLite::Database& db) {
  return SqliteExec(db, "process_heartbeat", "creating the table",
                    "CREATE TABLE IF NOT EXISTS process_heartbeat (component TEXT PRIMARY KEY,"
                    " pid INTEGER NOT NULL, started_at_ms INTEGER NOT NULL,"
                    " updated_at_ms INTEGER NOT NULL, details TEXT NOT NULL DEFAULT '{}')");
}

Status WriteHeartbeat(SQLite::Database& db, const Heartbeat& hb) {
  return SqliteExec(db, "process_heartbeat", "writing heartbeat",
                    "INSERT INTO process_heartbeat(component, pid, started_at_ms,"
                    " updated_at_ms, details) VALUES(?,?,?,?,?)"
                    " ON CONFLICT(component) DO UPDATE SET pid=excluded.pid,"
                    " started_at_ms=excluded.started_at_ms,"
                    " updated_at_ms=excluded.updated_at_ms, details=excluded.details",
                    hb.component, static_cast<int64_t>(hb.pid),
                    static_cast<int64_t>(hb.started_at_ms), static_cast<int64_t>(hb.updated_at_ms),
                    hb.details.dump());
}

Result<std::optional<Heartbeat>> ReadHeartbeat(SQLite::Database& db, const std::string& component) {
  return SqliteCall("process_heartbeat", "reading heartbeat", [&] {
    if (!db.tableExists("process_heartbeat")) return std::optional<Heartbeat>();
    SQLite::Statement st(db,
                         "SELECT pid, started_at_ms, updated_at_ms, details FROM"
                         " process_heartbeat WHERE component = ?");
    st.bind(1, component);
    if (!st.executeStep()) return std::optional<Heartbeat>();
    Heartbeat hb;
    hb.component = component;
    hb.pid = st.getColumn(0).getInt64();
    hb.started_at_ms = st.getColumn(1).getInt64();
    hb.updated_at_ms = st.getColumn(2).getInt64();
    hb.details = nlohmann::json::parse(st.getColumn(3).getString(), nullptr, false);
    if (hb.details.is_discarded()) hb.details = nlohmann::json::object();
    return std::optional<Heartbeat>(std::move(hb));
  });
}

}  // namespace zm
