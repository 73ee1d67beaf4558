// MtmStore: the monitor's own tables in zerodha_mtm.db (the engine's journal tables live in
// journal_store.h, same database). The schema is created here, in one place, and versioned in
// table mtm_meta (key "schema_version"):
//   mtm_history  one row per recorded cycle: at_ms, trading_date, mtm, realised, unrealised,
//                open_positions. Compact: a row when MTM moved by >= 0.01 or at least every
//                60 s (HistoryThrottle), so the day's curve is recoverable at paise precision.
//   daily_state  one row per IST date: the DailyState JSON.
//   events       append-only: trigger, alert, fallback, critical, squareoff, info.
//   process_heartbeat, monitor_snapshot (common/heartbeat.h, common/monitor_snapshot.h).
// OpenMtmDb() opens the shared connection (checked, WAL, busy_timeout) that main passes to the
// store and the engine. Ownership: MtmStore borrows the connection. Threading: the process's io
// thread only. Every SQLite exception is caught here and returned as kIoError.
#pragma once

#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "mtm_monitor/daily_state.h"

namespace zm::monitor {

inline constexpr int kMtmSchemaVersion = 1;

// Opens (creating) zerodha_mtm.db after an integrity check (PRAGMA quick_check): a corrupt file
// is an error naming it, never rebuilt. WAL journal (verified), synchronous FULL, busy_timeout 5 s.
Result<std::unique_ptr<SQLite::Database>> OpenMtmDb(const std::filesystem::path& path);

struct HistoryRow {
  long long at_ms = 0;
  std::string trading_date;
  double mtm = 0, realised = 0, unrealised = 0;
  int open_positions = 0;
};

struct EventRow {
  long long id = 0;
  long long at_ms = 0;
  std::string trading_date;
  std::string kind;  // "trigger" | "alert" | "fallback" | "critical" | "squareoff" | "info"
  std::string message;
  nlohmann::json details = nlohmann::json::object();
};

// Pure: whether this cycle's MTM deserves a history row.
class HistoryThrottle {
 public:
  static constexpr long long kMaxGapMs = 60000;
  bool ShouldRecord(const std::string& trading_date, double mtm, int open_positions,
                    long long now_ms) const;
  void Recorded(const std::string& trading_date, double mtm, int open_positions, long long now_ms);

 private:
  bool any_ = false;
  std::string date_;
  double mtm_ = 0;
  int open_ = 0;
  long long at_ms_ = 0;
};

class MtmStore {
 public:
  explicit MtmStore(SQLite::Database& db) : db_(db) {}

  // Creates or migrates the monitor's tables, the heartbeat and the snapshot tables.
  Status Init();

  Result<std::optional<DailyState>> LoadDailyState(const std::string& trading_date);
  Status SaveDailyState(const DailyState& state, long long now_ms);

  Status AppendHistory(const HistoryRow& row);
  Result<std::vector<HistoryRow>> ReadHistory(const std::string& trading_date);

  Status AddEvent(const EventRow& event);  // id is assigned
  Result<std::vector<EventRow>> ReadEvents(const std::string& trading_date);

  SQLite::Database& db() { return db_; }

 private:
  SQLite::Database& db_;
};

}  // namespace zm::monitor
