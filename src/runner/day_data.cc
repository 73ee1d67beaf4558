#include "runner/day_data.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "common/report/report_reader.h"

namespace zm::runner {
namespace {

namespace fs = std::filesystem;

bool Exists(const fs::path& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

Status ReadError(const fs::path& path, const std::exception& e) {
  return IoError("cannot read " + path.string() + ": " + e.what());
}

}  // namespace

Result<nlohmann::json> DayReports(const fs::path& mtm_db, const std::string& date, int busy_ms) {
  nlohmann::json out = nlohmann::json::array();
  if (!Exists(mtm_db)) return out;
  try {
    SQLite::Database db(mtm_db.string(), SQLite::OPEN_READONLY, busy_ms);
    auto reports = report::ReadReports(db, date);
    if (!reports.ok()) return reports.status();
    for (const auto& r : *reports) out.push_back(report::ReportJson(r));
    return out;
  } catch (const std::exception& e) {
    return ReadError(mtm_db, e);
  }
}

Result<std::vector<std::pair<long long, double>>> DayCurve(const fs::path& mtm_db,
                                                           const std::string& date,
                                                           size_t max_points, int busy_ms) {
  std::vector<std::pair<long long, double>> curve;
  if (!Exists(mtm_db)) return curve;
  try {
    SQLite::Database db(mtm_db.string(), SQLite::OPEN_READONLY, busy_ms);
    auto read = report::ReadMtmCurve(db, date);
    if (!read.ok()) return read.status();
    curve = std::move(*read);
  } catch (const std::exception& e) {
    return ReadError(mtm_db, e);
  }
  if (max_points < 2 || curve.size() <= max_points) return curve;
  std::vector<std::pair<long long, double>> thinned;
  const double step = static_cast<double>(curve.size() - 1) / static_cast<double>(max_points - 1);
  for (size_t i = 0; i < max_points; ++i) {
    thinned.push_back(curve[static_cast<size_t>(static_cast<double>(i) * step)]);
  }
  thinned.back() = curve.back();
  return thinned;
}

Result<nlohmann::json> DayEvents(const fs::path& mtm_db, const std::string& date, int limit,
                                 int busy_ms) {
  nlohmann::json out = nlohmann::json::array();
  if (!Exists(mtm_db)) return out;
  try {
    SQLite::Database db(mtm_db.string(), SQLite::OPEN_READONLY, busy_ms);
    if (!db.tableExists("events")) return out;
    SQLite::Statement q(db,
                        "SELECT at_ms, kind, message FROM events WHERE trading_date = ? "
                        "ORDER BY id DESC LIMIT ?");
    q.bind(1, date);
    q.bind(2, limit);
    while (q.executeStep()) {
      out.push_back({{"at_ms", q.getColumn(0).getInt64()},
                     {"kind", q.getColumn(1).getString()},
                     {"message", q.getColumn(2).getString()}});
    }
    return out;
  } catch (const std::exception& e) {
    return ReadError(mtm_db, e);
  }
}

}  // namespace zm::runner
