#include "mtm_monitor/squareoff/journal_store.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <SQLiteCpp/VariadicBind.h>

#include <nlohmann/json.hpp>

#include "common/sqlite_call.h"

namespace zm::monitor {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS squareoffs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  trading_date TEXT NOT NULL, reason TEXT NOT NULL, mtm_at_trigger REAL NOT NULL,
  started_at_ms INTEGER NOT NULL, finished_at_ms INTEGER,
  outcome TEXT NOT NULL, dry_run INTEGER NOT NULL, rounds INTEGER NOT NULL DEFAULT 0,
  remaining TEXT NOT NULL DEFAULT '[]', summary TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS squareoffs_by_date ON squareoffs(trading_date);
CREATE TABLE IF NOT EXISTS squareoff_orders (
  tag TEXT PRIMARY KEY, squareoff_id INTEGER NOT NULL REFERENCES squareoffs(id),
  round INTEGER NOT NULL, slice INTEGER NOT NULL, attempt INTEGER NOT NULL,
  exchange TEXT NOT NULL, tradingsymbol TEXT NOT NULL, product TEXT NOT NULL,
  transaction_type TEXT NOT NULL, quantity INTEGER NOT NULL, order_type TEXT NOT NULL,
  price REAL NOT NULL, market_protection REAL NOT NULL, state TEXT NOT NULL,
  order_id TEXT NOT NULL, status TEXT NOT NULL, filled_quantity INTEGER NOT NULL,
  average_price REAL NOT NULL, modifications INTEGER NOT NULL, error TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL, updated_at_ms INTEGER NOT NULL,
  instrument_token INTEGER NOT NULL, tick_size REAL NOT NULL);
CREATE INDEX IF NOT EXISTS squareoff_orders_by_squareoff ON squareoff_orders(squareoff_id);
CREATE TABLE IF NOT EXISTS squareoff_ledger (
  trading_date TEXT NOT NULL, key TEXT NOT NULL, base_quantity INTEGER NOT NULL,
  base_fills INTEGER NOT NULL, based_at_ms INTEGER NOT NULL, PRIMARY KEY (trading_date, key));
CREATE TABLE IF NOT EXISTS cancelled_orders (
  trading_date TEXT NOT NULL, order_id TEXT NOT NULL, at_ms INTEGER NOT NULL,
  PRIMARY KEY (trading_date, order_id));
CREATE TABLE IF NOT EXISTS order_request_counts (
  trading_date TEXT PRIMARY KEY, count INTEGER NOT NULL);
)sql";

// Columns of squareoff_orders added after the first release: name and definition.
constexpr std::pair<const char*, const char*> kAddedOrderColumns[] = {
    {"autoslice", "INTEGER NOT NULL DEFAULT 0"},
    {"walk_step", "INTEGER NOT NULL DEFAULT 0"},
    {"child_ids", "TEXT NOT NULL DEFAULT '[]'"},
    {"filled_at_ms", "INTEGER NOT NULL DEFAULT 0"},
};

// Columns of squareoffs added after the first release.
constexpr std::pair<const char*, const char*> kAddedSquareOffColumns[] = {
    {"trigger_data", "TEXT NOT NULL DEFAULT '{}'"},
};

constexpr const char* kSquareOffColumns =
    "id, trading_date, reason, mtm_at_trigger, started_at_ms, COALESCE(finished_at_ms, 0), "
    "outcome, dry_run, rounds, remaining, summary, trigger_data";

constexpr const char* kOrderColumns =
    "tag, squareoff_id, round, slice, attempt, exchange, tradingsymbol, product, "
    "transaction_type, quantity, order_type, price, market_protection, state, order_id, status, "
    "filled_quantity, average_price, modifications, error, created_at_ms, updated_at_ms, "
    "instrument_token, tick_size, autoslice, walk_step, child_ids, filled_at_ms";
constexpr int kOrderColumnCount = 28;

constexpr std::string_view kDbName = "zerodha_mtm.db";

JournaledSquareOff ReadSquareOff(SQLite::Statement& q) {
  JournaledSquareOff s;
  s.id = q.getColumn(0).getInt64();
  s.trading_date = q.getColumn(1).getString();
  s.reason = q.getColumn(2).getString();
  s.mtm_at_trigger = q.getColumn(3).getDouble();
  s.started_at_ms = q.getColumn(4).getInt64();
  s.finished_at_ms = q.getColumn(5).getInt64();
  s.outcome = q.getColumn(6).getString();
  s.dry_run = q.getColumn(7).getInt() != 0;
  s.rounds = q.getColumn(8).getInt();
  s.remaining = JsonStrings(q.getColumn(9).getString());
  s.summary = q.getColumn(10).getString();
  s.trigger_json = q.getColumn(11).getString();
  return s;
}

LedgerEntry ReadLedgerEntry(SQLite::Statement& q) {
  return {q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getInt64(),
          q.getColumn(3).getInt64(), q.getColumn(4).getInt64()};
}

JournaledOrder ReadOrder(SQLite::Statement& q) {
  JournaledOrder o;
  int c = 0;
  auto str = [&] { return q.getColumn(c++).getString(); };
  auto i64 = [&] { return static_cast<long long>(q.getColumn(c++).getInt64()); };
  auto num = [&] { return q.getColumn(c++).getDouble(); };
  o.tag = str();
  o.squareoff_id = i64();
  o.round = static_cast<int>(i64());
  o.slice = static_cast<int>(i64());
  o.attempt = static_cast<int>(i64());
  o.exchange = str();
  o.tradingsymbol = str();
  o.product = str();
  o.transaction_type = str();
  o.quantity = i64();
  o.order_type = str();
  o.price = num();
  o.market_protection = num();
  o.state = str();
  o.order_id = str();
  o.status = str();
  o.filled_quantity = i64();
  o.average_price = num();
  o.modifications = static_cast<int>(i64());
  o.error = str();
  o.created_at_ms = i64();
  o.updated_at_ms = i64();
  o.instrument_token = static_cast<uint32_t>(i64());
  o.tick_size = num();
  o.autoslice = i64() != 0;
  o.walk_step = static_cast<int>(i64());
  o.child_ids = JsonStrings(str());
  o.filled_at_ms = i64();
  return o;
}

void BindOrder(SQLite::Statement& q, const JournaledOrder& o) {
  int c = 1;
  auto i64 = [&](long long v) { q.bind(c++, static_cast<int64_t>(v)); };
  q.bind(c++, o.tag);
  i64(o.squareoff_id);
  i64(o.round);
  i64(o.slice);
  i64(o.attempt);
  q.bind(c++, o.exchange);
  q.bind(c++, o.tradingsymbol);
  q.bind(c++, o.product);
  q.bind(c++, o.transaction_type);
  i64(o.quantity);
  q.bind(c++, o.order_type);
  q.bind(c++, o.price);
  q.bind(c++, o.market_protection);
  q.bind(c++, o.state);
  q.bind(c++, o.order_id);
  q.bind(c++, o.status);
  i64(o.filled_quantity);
  q.bind(c++, o.average_price);
  i64(o.modifications);
  q.bind(c++, o.error);
  i64(o.created_at_ms);
  i64(o.updated_at_ms);
  i64(o.instrument_token);
  q.bind(c++, o.tick_size);
  i64(o.autoslice ? 1 : 0);
  i64(o.walk_step);
  q.bind(c++, nlohmann::json(o.child_ids).dump());
  i64(o.filled_at_ms);
}

std::string Placeholders(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += i == 0 ? "?" : ",?";
  return out;
}

}  // namespace

Status JournalStore::Init() {
  return SqliteCall(kDbName, "create engine tables", [&] {
    db_.exec(kSchema);
    std::set<std::string> have;
    SQLite::Statement info(db_, "PRAGMA table_info(squareoff_orders)");
    while (info.executeStep()) have.insert(info.getColumn(1).getString());
    for (const auto& [name, definition] : kAddedOrderColumns) {
      if (have.count(name)) continue;
      db_.exec(std::string("ALTER TABLE squareoff_orders ADD COLUMN ") + name + " " + definition);
    }
    have.clear();
    SQLite::Statement so_info(db_, "PRAGMA table_info(squareoffs)");
    while (so_info.executeStep()) have.insert(so_info.getColumn(1).getString());
    for (const auto& [name, definition] : kAddedSquareOffColumns) {
      if (have.count(name)) continue;
      db_.exec(std::string("ALTER TABLE squareoffs ADD COLUMN ") + name + " " + definition);
    }
  });
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
    SQLite::Statement q(db_, std::string("SELECT ") + kSquareOffColumns +
                                 " FROM squareoffs WHERE trading_date = ? AND outcome = "
                                 "'running' ORDER BY id DESC LIMIT 1");
    q.bind(1, trading_date);
    if (!q.executeStep()) return std::optional<JournaledSquareOff>();
    return std::optional<JournaledSquareOff>(ReadSquareOff(q));
  });
}

Result<std::vector<JournaledSquareOff>> JournalStore::SquareOffsOn(const std::string& date) {
  return SqliteRows(db_, kDbName, "read squareoffs",
                    std::string("SELECT ") + kSquareOffColumns +
                        " FROM squareoffs WHERE trading_date = ? ORDER BY id",
                    ReadSquareOff, date);
}

Status JournalStore::UpsertOrder(const JournaledOrder& order) {
  return SqliteCall(kDbName, "write squareoff_orders", [&] {
    SQLite::Statement q(db_, std::string("INSERT OR REPLACE INTO squareoff_orders (") +
                                 kOrderColumns + ") VALUES (" + Placeholders(kOrderColumnCount) +
                                 ")");
    BindOrder(q, order);
    q.exec();
  });
}

Result<std::vector<JournaledOrder>> JournalStore::OrdersOf(long long squareoff_id) {
  return SqliteRows(db_, kDbName, "read squareoff_orders",
                    std::string("SELECT ") + kOrderColumns +
                        " FROM squareoff_orders WHERE squareoff_id = ? ORDER BY slice, attempt",
                    ReadOrder, static_cast<int64_t>(squareoff_id));
}

Result<std::vector<JournaledOrder>> JournalStore::OrdersOn(const std::string& trading_date) {
  return SqliteRows(db_, kDbName, "read squareoff_orders",
                    std::string("SELECT ") + kOrderColumns +
                        " FROM squareoff_orders WHERE squareoff_id IN (SELECT id FROM squareoffs"
                        " WHERE trading_date = ?) ORDER BY squareoff_id, slice, attempt",
                    ReadOrder, trading_date);
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
