#include "common/report/report_reader.h"

#include <SQLiteCpp/Statement.h>

#include <set>

#include "common/sqlite_call.h"

namespace zm::report {
namespace {

using nlohmann::json;

constexpr std::string_view kDbName = "zerodha_mtm.db";

std::set<std::string> Columns(SQLite::Database& db, const std::string& table) {
  std::set<std::string> out;
  SQLite::Statement q(db, "PRAGMA table_info(" + table + ")");
  while (q.executeStep()) out.insert(q.getColumn(1).getString());
  return out;
}

std::vector<SquareOffRow> SquareOffs(SQLite::Database& db, const std::string& where,
                                     const std::string& bind) {
  const bool has_trigger = Columns(db, "squareoffs").count("trigger_data") > 0;
  SQLite::Statement q(db, std::string("SELECT id, trading_date, reason, outcome, dry_run, "
                                      "mtm_at_trigger, started_at_ms, COALESCE(finished_at_ms, 0), "
                                      "rounds, remaining, ") +
                              (has_trigger ? "trigger_data" : "'{}'") + " FROM squareoffs WHERE " +
                              where + " ORDER BY id");
  q.bind(1, bind);
  std::vector<SquareOffRow> out;
  while (q.executeStep()) {
    SquareOffRow s;
    s.id = q.getColumn(0).getInt64();
    s.trading_date = q.getColumn(1).getString();
    s.reason = q.getColumn(2).getString();
    s.outcome = q.getColumn(3).getString();
    s.dry_run = q.getColumn(4).getInt() != 0;
    s.mtm_at_trigger = q.getColumn(5).getDouble();
    s.started_at_ms = q.getColumn(6).getInt64();
    s.finished_at_ms = q.getColumn(7).getInt64();
    s.rounds = q.getColumn(8).getInt();
    s.remaining = JsonStrings(q.getColumn(9).getString());
    s.trigger = ParseTrigger(json::parse(q.getColumn(10).getString(), nullptr, false));
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<OrderRow> Orders(SQLite::Database& db, long long squareoff_id) {
  const auto cols = Columns(db, "squareoff_orders");
  auto opt = [&](const char* name, const char* fallback) {
    return cols.count(name) ? std::string(name) : std::string(fallback);
  };
  SQLite::Statement q(db,
                      "SELECT tag, exchange, tradingsymbol, product, transaction_type, "
                      "order_type, state, status, order_id, error, quantity, "
                      "filled_quantity, price, average_price, round, slice, attempt, "
                      "modifications, " +
                          opt("walk_step", "0") + ", created_at_ms, " + opt("filled_at_ms", "0") +
                          " FROM squareoff_orders WHERE squareoff_id = ? "
                          "ORDER BY created_at_ms, slice, attempt");
  q.bind(1, static_cast<int64_t>(squareoff_id));
  std::vector<OrderRow> out;
  while (q.executeStep()) {
    OrderRow o;
    int c = 0;
    auto str = [&] { return q.getColumn(c++).getString(); };
    auto i64 = [&] { return static_cast<long long>(q.getColumn(c++).getInt64()); };
    o.tag = str();
    o.exchange = str();
    o.tradingsymbol = str();
    o.product = str();
    o.transaction_type = str();
    o.order_type = str();
    o.state = str();
    o.status = str();
    o.order_id = str();
    o.error = str();
    o.quantity = i64();
    o.filled_quantity = i64();
    o.price = q.getColumn(c++).getDouble();
    o.average_price = q.getColumn(c++).getDouble();
    o.round = static_cast<int>(i64());
    o.slice = static_cast<int>(i64());
    o.attempt = static_cast<int>(i64());
    o.modifications = static_cast<int>(i64());
    o.walk_step = static_cast<int>(i64());
    o.created_at_ms = i64();
    o.filled_at_ms = i64();
    out.push_back(std::move(o));
  }
  return out;
}

std::optional<double> MtmAfter(SQLite::Database& db, const SquareOffRow& s) {
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
    for (SquareOffRow& s : SquareOffs(db, where, bind)) {
      ReportInput in;
      in.orders = Orders(db, s.id);
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
