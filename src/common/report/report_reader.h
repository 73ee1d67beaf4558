// Reads the square-off report's inputs from zerodha_mtm.db: the journal tables squareoffs and
// squareoff_orders (schema owned by mtm_monitor/squareoff/journal_store.h; read here by SQL so
// that the runner and the dashboard need nothing of the engine) and mtm_history. Read-only;
// a database without those tables (the monitor never ran) gives an empty list. Columns added
// later (the trigger data) are optional. Every SQLite error is a kIoError naming the file.
// Not thread-safe; open one connection per thread.
#pragma once

#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/report/squareoff_report.h"
#include "common/status.h"

namespace zm::report {

// The reports of the square-offs of `trading_date` ("YYYY-MM-DD"), oldest first.
Result<std::vector<SquareOffReport>> ReadReports(SQLite::Database& db,
                                                 const std::string& trading_date);
// One square-off's report; nullopt when there is no such id.
Result<std::optional<SquareOffReport>> ReadReport(SQLite::Database& db, long long squareoff_id);
// Opens `mtm_db` read-only first; a missing file is an empty list.
Result<std::vector<SquareOffReport>> ReadReportsFile(const std::filesystem::path& mtm_db,
                                                     const std::string& trading_date);

// The day's mtm_history as (at_ms, mtm) pairs, oldest first (empty without the table).
Result<std::vector<std::pair<long long, double>>> ReadMtmCurve(SQLite::Database& db,
                                                               const std::string& trading_date);

}  // namespace zm::report
