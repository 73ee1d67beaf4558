// Read-only views of one IST day in zerodha_mtm.db for `report`, `summary`, the dashboard and
// the demo: the square-off reports, the MTM curve and the events. Each call opens the file
// read-only (busy_timeout `busy_ms`) and closes it, so nothing holds the monitor's database.
// A missing file or table is an empty result; other failures are an error Status.
// Single-threaded use.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace zm::runner {

// ReportJson of every square-off of `date`, oldest first.
Result<nlohmann::json> DayReports(const std::filesystem::path& mtm_db, const std::string& date,
                                  int busy_ms = 1000);
// (at_ms, mtm), oldest first, at most `max_points` (evenly thinned, the last point kept).
Result<std::vector<std::pair<long long, double>>> DayCurve(const std::filesystem::path& mtm_db,
                                                           const std::string& date,
                                                           size_t max_points = 2000,
                                                           int busy_ms = 1000);
// The newest `limit` events of `date`, newest first: [{at_ms, kind, message}].
Result<nlohmann::json> DayEvents(const std::filesystem::path& mtm_db, const std::string& date,
                                 int limit = 40, int busy_ms = 1000);

}  // namespace zm::runner
