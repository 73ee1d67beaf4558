#include "mtm_monitor/squareoff/journal_store.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <SQLiteCpp/VariadicBind.h>

#include <nlohmann/json.hpp>

#include "common/journal/journal_tables.h"
#include "common/sqlite_call.h"

namespace zm::monitor {
namespace {

constexpr std::string_view kDbName = "zerodha_mtm.db";

LedgerEntry ReadLedgerEntry(SQLite::Statement& q) {
  return {q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getInt64(),
          q.getColumn(3).getInt64(), q.getColumn(4).getInt64()};
}

}  // namespace

Status JournalStore::Init() {
  return SqliteCall(kDbName, "create engine tables", [&] { journal::CreateJournalTables(db_); });
}

Result<long long> JournalStore::CreateSquareOff(const JournaledSquareOff& s) {
  return SqliteCall(kDbName, "insert squareoff", [&]() -> Result<long long> {
    SQLite::Statement q(db_,
                        "INSERT INTO squareoffs (trading_date, reason, mtm_at_trigger, "
                        "started_at_ms, outcome, dry_run, trigger_data) VALUES (?,?,?,?,?,?,?)");
    SQLite::bind(q, s.trading_date, s.reason, s.mtm_at_trigger,
                 static_cast<int64_t>(s.started_at_ms), s.outcome, s.dry_run ? 1 : 0,
                 s.trigger_json);
    q.exec();
    return static_cast<long long>(db_.getLastInsertRowid());
  });
}

Status JournalStore::UpdateSquareOff(const JournaledSquareOff& s) {
  return SqliteCall(kDbName, "update squareoff", [&]() -> Status {
    SQLite::Statement q(db_,
                        "UPDATE squareoffs SET finished_at_ms = ?, outcome = ?, rounds = ?, "
                        "remaining = ?, summary = ? WHERE id = ?");
    if (s.finished_at_ms > 0) {
      q.bind(1, static_cast<int64_t>(s.finished_at_ms));
    } else {
      q.bind(1);  // NULL
    }
    q.bind(2, s.outcome);
    q.bind(3, s.rounds);
    q.bind(4, nlohmann::json(s.remaining).dump());
    q.bind(5, s.summary);
    q.bind(6, static_cast<int64_t>(s.id));
    if (q.exec() != 1) return NotFound("squareoff " + std::to_string(s.id));
    return Status::Ok();
  });
}

Result<std::optional<JournaledSquareOff>> JournalStore::FindUnfinished(
    const std::string& trading_date) {
  return SqliteCall(kDbName, "read squareoffs", [&] {
    SQLite::Statement q(db_, "SELECT " + journal::SquareOffColumns() +
                                 " FROM squareoffs WHERE trading_date = ? AND outcome = "
                                 "'running' ORDER BY id DESC LIMIT 1");
    q.bind(1, trading_date);
    if (!q.executeStep()) return std::optional<JournaledSquareOff>();
    return std::optional<JournaledSquareOff>(journal::ReadSquareOff(q));
  });
}

Result<std::vector<JournaledSquareOff>> JournalStore::SquareOffsOn(const std::string& date) {
  return SqliteRows(db_, kDbName, "read squareoffs",
                    "SELECT " + journal::SquareOffColumns() +
                        " FROM squareoffs WHERE trading_date = ? ORDER BY id",
                    journal::ReadSquareOff, date);
}

Status JournalStore::UpsertOrder(const JournaledOrder& order) {
  return SqliteCall(kDbName, "write squareoff_orders", [&] {
    SQLite::Statement q(db_, journal::UpsertOrderSql());
    journal::BindOrder(q, order);
    q.exec();
  });
}

Result<std::vector<JournaledOrder>> JournalStore::OrdersOf(long long squareoff_id) {
  return SqliteRows(db_, kDbName, "read squareoff_orders",
                    "SELECT " + journal::OrderColumns() +
                        " FROM squareoff_orders WHERE squareoff_id = ? ORDER BY slice, attempt",
                    journal::ReadOrder, static_cast<int64_t>(squareoff_id));
}

Result<std::vector<JournaledOrder>> JournalStore::OrdersOn(const std::string& trading_date) {
  return SqliteRows(db_, kDbName, "read squareoff_orders",
                    "SELECT " + journal::OrderColumns() +
                        " FROM squareoff_orders WHERE squareoff_id IN (SELECT id FROM squareoffs"
                        " WHERE trading_date = ?) ORDER BY squareoff_id, slice, attempt",
                    journal::ReadOrder, trading_date);
}

Result<std::vector<LedgerEntry>> JournalStore::LedgerOn(const std::string& trading_date) {
  return SqliteRows(db_, kDbName, "read squareoff_ledger",
                    "SELECT trading_date, key, base_quantity, base_fills, based_at_ms"
                    " FROM squareoff_ledger WHERE trading_date = ?",
                    ReadLedgerEntry, trading_date);
}

Status JournalStore::SaveLedger(const LedgerEntry& e) {
  return SqliteExec(db_, kDbName, "write squareoff_ledger",
                    "INSERT OR REPLACE INTO squareoff_ledger VALUES (?,?,?,?,?)", e.trading_date,
                    e.key, static_cast<int64_t>(e.base_quantity),
                    static_cast<int64_t>(e.base_fills), static_cast<int64_t>(e.based_at_ms));
}

Result<std::set<std::string>> JournalStore::CancelledOn(const std::string& trading_date) {
  return SqliteCall(kDbName, "read cancelled_orders", [&] {
    SQLite::Statement q(db_, "SELECT order_id FROM cancelled_orders WHERE trading_date = ?");
    q.bind(1, trading_date);
    std::set<std::string> out;
    while (q.executeStep()) out.insert(q.getColumn(0).getString());
    return out;
  });
}

Status JournalStore::SaveCancelled(const std::string& trading_date, const std::string& order_id,
                                   long long at_ms) {
  return SqliteExec(db_, kDbName, "write cancelled_orders",
                    "INSERT OR IGNORE INTO cancelled_orders VALUES (?,?,?)", trading_date, order_id,
                    static_cast<int64_t>(at_ms));
}

Result<int> JournalStore::RequestsOn(const std::string& trading_date) {
  return SqliteCall(kDbName, "read order_request_counts", [&]() -> Result<int> {
    SQLite::Statement q(db_, "SELECT count FROM order_request_counts WHERE trading_date = ?");
    q.bind(1, trading_date);
    return q.executeStep() ? q.getColumn(0).getInt() : 0;
  });
}

Status JournalStore::SaveRequests(const std::string& trading_date, int count) {
  return SqliteExec(db_, kDbName, "write order_request_counts",
                    "INSERT OR REPLACE INTO order_request_counts VALUES (?,?)", trading_date,
                    count);
}

}  // namespace zm::monitor
