#include "common/report/report_reader.h"

#include <SQLiteCpp/Statement.h>

#include <set>

#include "common/journal/journal_tables.h"
#include "common/sqlite_call.h"

namespace zm::report {
namespace {

constexpr std::string_view kDbName = "zerodha_mtm.db";

using journal::JournaledOrder;
using journal::JournaledSquareOff;

// The journal may be older than this binary (nobody has migrated it yet): the columns a later
// release added are read as their defaults (journal_tables.h).
std::vector<JournaledSquareOff> SquareOffs(SQLite::Database& db, const std::string& where,
                                           const std::string& bind) {
  const std::set<std::string> present = journal::TableColumns(db, "squareoffs");
  SQLite::Statement q(db, "SELECT " + journal::SquareOffColumns(&present) +
                              " FROM squareoffs WHERE " + where + " ORDER BY id");
  q.bind(1, bind);
  std::vector<JournaledSquareOff> out;
  while (q.executeStep()) out.push_back(journal::ReadSquareOff(q));
  return out;
}

// `present`: squareoff_orders' columns (journal::TableColumns), read once per report read.
std::vector<JournaledOrder> Orders(SQLite::Database& db, const std::set<std::string>& present,
                                   long long squareoff_id) {
  SQLite::Statement q(db, "SELECT " + journal::OrderColumns(&present) +
                              " FROM squareoff_orders WHERE squareoff_id = ?"
                              " ORDER BY created_at_ms, slice, attempt");
  q.bind(1, static_cast<int64_t>(squareoff_id));
  std::vector<JournaledOrder> out;
  while (q.executeStep()) out.push_back(journal::ReadOrder(q));
  return out;
}

std::optional<double> MtmAfter(SQLite::Database& db, const JournaledSquareOff& s) {
  if (s.finished_at_ms <= 0 || !db.tableExists("mtm_history")) return std::nullopt;
  SQLite::Statement q(db,
                      "SELECT mtm FROM mtm_history WHERE trading_date = ? AND at_ms >= ? "
                      "ORDER BY at_ms LIMIT 1");
  q.bind(1, s.trading_date);
  q.bind(2, static_cast<int64_t>(s.finished_at_ms));
  if (!q.executeStep()) return std::nullopt;
  return q.getColumn(0).getDouble();
}

Result<std::vector<SquareOffReport>> Build(SQLite::Database& db, const std::string& where,
                                           const std::string& bind) {
  using Reports = std::vector<SquareOffReport>;
  return SqliteCall(kDbName, "reading the square-off journal", [&] {
    Reports out;
    if (!db.tableExists("squareoffs") || !db.tableExists("squareoff_orders")) return out;
    const std::set<std::string> order_columns = journal::TableColumns(db, "squareoff_orders");
    for (JournaledSquareOff& s : SquareOffs(db, where, bind)) {
      ReportInput in;
      in.orders = Orders(db, order_columns, s.id);
      in.mtm_after = MtmAfter(db, s);
      in.squareoff = std::move(s);
      out.push_back(BuildReport(in));
    }
    return out;
  });
}

}  // namespace

Result<std::vector<SquareOffReport>> ReadReports(SQLite::Database& db,
                                                 const std::string& trading_date) {
  return Build(db, "trading_date = ?", trading_date);
}

Result<std::optional<SquareOffReport>> ReadReport(SQLite::Database& db, long long squareoff_id) {
  auto reports = Build(db, "id = CAST(? AS INTEGER)", std::to_string(squareoff_id));
  if (!reports.ok()) return reports.status();
  if (reports->empty()) return std::optional<SquareOffReport>();
  return std::optional<SquareOffReport>(std::move(reports->front()));
}

Result<std::vector<SquareOffReport>> ReadReportsFile(const std::filesystem::path& mtm_db,
                                                     const std::string& trading_date) {
  std::error_code ec;
  if (!std::filesystem::exists(mtm_db, ec)) return std::vector<SquareOffReport>();
  return SqliteCall(mtm_db.string(), "opening", [&]() -> Result<std::vector<SquareOffReport>> {
    SQLite::Database db(mtm_db.string(), SQLite::OPEN_READONLY, 1000);
    return ReadReports(db, trading_date);
  });
}

Result<std::vector<std::pair<long long, double>>> ReadMtmCurve(SQLite::Database& db,
                                                               const std::string& trading_date) {
  using Curve = std::vector<std::pair<long long, double>>;
  return SqliteCall(kDbName, "reading mtm_history", [&] {
    Curve out;
    if (!db.tableExists("mtm_history")) return out;
    SQLite::Statement q(db,
                        "SELECT at_ms, mtm FROM mtm_history WHERE trading_date = ? ORDER BY at_ms");
    q.bind(1, trading_date);
    while (q.executeStep()) out.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getDouble());
    return out;
  });
}

}  // namespace zm::report
