#include "mtm_monitor/mtm_store.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <cmath>

#include "common/db_integrity.h"
#include "common/heartbeat.h"
#include "common/monitor_snapshot.h"
#include "common/sqlite_call.h"

namespace zm::monitor {
namespace {

// Version 1 of the monitor's schema. A later version appends its migration after this one.
constexpr const char* kSchemaV1[] = {
    "CREATE TABLE IF NOT EXISTS mtm_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS mtm_history ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, at_ms INTEGER NOT NULL,"
    " trading_date TEXT NOT NULL, mtm REAL NOT NULL, realised REAL NOT NULL,"
    " unrealised REAL NOT NULL, open_positions INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS mtm_history_date ON mtm_history(trading_date, at_ms)",
    "CREATE TABLE IF NOT EXISTS daily_state ("
    " trading_date TEXT PRIMARY KEY, state TEXT NOT NULL, updated_at_ms INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS events ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, at_ms INTEGER NOT NULL,"
    " trading_date TEXT NOT NULL, kind TEXT NOT NULL, message TEXT NOT NULL,"
    " details TEXT NOT NULL DEFAULT '{}')",
    "CREATE INDEX IF NOT EXISTS events_date ON events(trading_date, id)",
};

Status CorruptJournal(const std::filesystem::path& path, const std::string& problem) {
  return IoError(path.string() + " is corrupt (" + problem +
                 "); not starting. Move it aside (it holds the day's lock and the square-off "
                 "journal) and restore a backup, or start with an empty one");
}

constexpr std::string_view kDbName = "zerodha_mtm.db";

// mtm_history's columns, written and read in one order (ReadHistoryRow's).
constexpr char kInsertHistory[] =
    "INSERT INTO mtm_history(at_ms, trading_date, mtm, realised, unrealised, open_positions)"
    " VALUES(?,?,?,?,?,?)";
constexpr char kSelectHistory[] =
    "SELECT at_ms, trading_date, mtm, realised, unrealised, open_positions FROM mtm_history"
    " WHERE trading_date = ? ORDER BY at_ms, id";

HistoryRow ReadHistoryRow(SQLite::Statement& st) {
  return {st.getColumn(0).getInt64(),  st.getColumn(1).getString(), st.getColumn(2).getDouble(),
          st.getColumn(3).getDouble(), st.getColumn(4).getDouble(), st.getColumn(5).getInt()};
}

}  // namespace

Result<std::unique_ptr<SQLite::Database>> OpenMtmDb(const std::filesystem::path& path) {
  if (auto bad = HeaderProblem(path)) return CorruptJournal(path, *bad);
  using Opened = std::unique_ptr<SQLite::Database>;
  return SqliteCall(kDbName, "opening " + path.string(), [&]() -> Result<Opened> {
    auto db = std::make_unique<SQLite::Database>(path.string(),
                                                 SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db->setBusyTimeout(5000);
    // The day's lock and the square-off journal live here: never rebuilt behind the user's back.
    auto problem = QuickCheck(*db);
    if (!problem.ok()) return IoError(path.string() + ": " + problem.status().message());
    if (problem->has_value()) return CorruptJournal(path, **problem);
    ZM_RETURN_IF_ERROR(EnableWal(*db, path.string()));
    // FULL: a journal row written before an order is sent must survive a power cut too.
    db->exec("PRAGMA synchronous=FULL");
    return db;
  });
}

bool HistoryThrottle::ShouldRecord(const std::string& trading_date, double mtm, int open_positions,
                                   long long now_ms) const {
  if (!any_ || trading_date != date_ || open_positions != open_) return true;
  if (std::fabs(mtm - mtm_) >= 0.01 - 1e-9) return true;
  return now_ms - at_ms_ >= kMaxGapMs;
}

void HistoryThrottle::Recorded(const std::string& trading_date, double mtm, int open_positions,
                               long long now_ms) {
  any_ = true;
  date_ = trading_date;
  mtm_ = mtm;
  open_ = open_positions;
  at_ms_ = now_ms;
}

Status MtmStore::Init() {
  return SqliteCall(kDbName, "creating the schema", [&]() -> Status {
    SQLite::Transaction tx(db_);
    for (const char* sql : kSchemaV1) db_.exec(sql);
    SQLite::Statement st(db_, "SELECT value FROM mtm_meta WHERE key = 'schema_version'");
    if (st.executeStep()) {
      const int found = std::stoi(st.getColumn(0).getString());
      if (found > kMtmSchemaVersion) {
        return IoError("zerodha_mtm.db schema version " + std::to_string(found) +
                       " is newer than this binary's " + std::to_string(kMtmSchemaVersion));
      }
    }
    SQLite::Statement set(db_,
                          "INSERT INTO mtm_meta(key, value) VALUES('schema_version', ?)"
                          " ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    set.bind(1, std::to_string(kMtmSchemaVersion));
    set.exec();
    tx.commit();
    ZM_RETURN_IF_ERROR(EnsureHeartbeatTable(db_));
    return EnsureMonitorSnapshotTable(db_);
  });
}

Result<std::optional<DailyState>> MtmStore::LoadDailyState(const std::string& trading_date) {
  return SqliteCall(kDbName, "reading daily_state", [&]() -> Result<std::optional<DailyState>> {
    SQLite::Statement st(db_, "SELECT state FROM daily_state WHERE trading_date = ?");
    st.bind(1, trading_date);
    if (!st.executeStep()) return std::optional<DailyState>();
    auto json = nlohmann::json::parse(st.getColumn(0).getString(), nullptr,
                                      /*allow_exceptions=*/false);
    if (json.is_discarded()) return ParseError("daily_state " + trading_date + ": not JSON");
    auto state = DailyStateFromJson(json);
    if (!state.ok()) return state.status();
    return std::optional<DailyState>(std::move(state).value());
  });
}

Status MtmStore::SaveDailyState(const DailyState& state, long long now_ms) {
  return SqliteExec(db_, kDbName, "writing daily_state",
                    "INSERT INTO daily_state(trading_date, state, updated_at_ms)"
                    " VALUES(?,?,?) ON CONFLICT(trading_date) DO UPDATE SET"
                    " state = excluded.state, updated_at_ms = excluded.updated_at_ms",
                    state.trading_date, DailyStateToJson(state).dump(),
                    static_cast<int64_t>(now_ms));
}

Status MtmStore::AppendHistory(const HistoryRow& row) {
  return SqliteExec(db_, kDbName, "writing mtm_history", kInsertHistory,
                    static_cast<int64_t>(row.at_ms), row.trading_date, row.mtm, row.realised,
                    row.unrealised, row.open_positions);
}

Result<std::vector<HistoryRow>> MtmStore::ReadHistory(const std::string& trading_date) {
  return SqliteRows(db_, kDbName, "reading mtm_history", kSelectHistory, ReadHistoryRow,
                    trading_date);
}

Status MtmStore::AddEvent(const EventRow& event) {
  return SqliteExec(db_, kDbName, "writing events",
                    "INSERT INTO events(at_ms, trading_date, kind, message, details)"
                    " VALUES(?,?,?,?,?)",
                    static_cast<int64_t>(event.at_ms), event.trading_date, event.kind,
                    event.message, event.details.dump());
}

Result<std::vector<EventRow>> MtmStore::ReadEvents(const std::string& trading_date) {
  auto read_row = [&](SQLite::Statement& st) {
    EventRow row;
    row.id = st.getColumn(0).getInt64();
    row.at_ms = st.getColumn(1).getInt64();
    row.trading_date = trading_date;
    row.kind = st.getColumn(2).getString();
    row.message = st.getColumn(3).getString();
    row.details = nlohmann::json::parse(st.getColumn(4).getString(), nullptr, false);
    return row;
  };
  return SqliteRows(db_, kDbName, "reading events",
                    "SELECT id, at_ms, kind, message, details FROM events"
                    " WHERE trading_date = ? ORDER BY id",
                    read_row, trading_date);
}

}  // namespace zm::monitor
