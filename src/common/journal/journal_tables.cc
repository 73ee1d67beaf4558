#include "common/journal/journal_tables.h"

#include <nlohmann/json.hpp>
#include <span>

#include "common/sqlite_call.h"

namespace zm::journal {
namespace {

// The first release's tables. Columns added since are in kAddedColumns, never here: a journal
// written by that release gets them from CreateJournalTables (ALTER TABLE).
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

// Columns added after the first release: the table, the name, the definition ALTER TABLE adds
// and the value a reader of an unmigrated journal takes instead.
struct AddedColumn {
  const char* table;
  const char* name;
  const char* definition;
  const char* value_when_absent;
};
constexpr AddedColumn kAddedColumns[] = {
    {"squareoff_orders", "autoslice", "INTEGER NOT NULL DEFAULT 0", "0"},
    {"squareoff_orders", "walk_step", "INTEGER NOT NULL DEFAULT 0", "0"},
    {"squareoff_orders", "child_ids", "TEXT NOT NULL DEFAULT '[]'", "'[]'"},
    {"squareoff_orders", "filled_at_ms", "INTEGER NOT NULL DEFAULT 0", "0"},
    {"squareoffs", "trigger_data", "TEXT NOT NULL DEFAULT '{}'", "'{}'"},
};

// In the order ReadSquareOff and ReadOrder read them.
// clang-format off
constexpr const char* kSquareOffSelect[] = {
    "id", "trading_date", "reason", "mtm_at_trigger", "started_at_ms",
    "COALESCE(finished_at_ms, 0)", "outcome", "dry_run", "rounds", "remaining", "summary",
    "trigger_data"};
constexpr const char* kOrderSelect[] = {
    "tag", "squareoff_id", "round", "slice", "attempt", "exchange", "tradingsymbol", "product",
    "transaction_type", "quantity", "order_type", "price", "market_protection", "state",
    "order_id", "status", "filled_quantity", "average_price", "modifications", "error",
    "created_at_ms", "updated_at_ms", "instrument_token", "tick_size", "autoslice", "walk_step",
    "child_ids", "filled_at_ms"};
// clang-format on

std::string SelectList(std::span<const char* const> columns, std::string_view table,
                       const std::set<std::string>* present) {
  std::string out;
  for (const char* column : columns) {
    std::string selected = column;
    for (const AddedColumn& added : kAddedColumns) {
      if (present && table == added.table && selected == added.name && !present->count(column)) {
        selected = added.value_when_absent;
      }
    }
    out += (out.empty() ? "" : ", ") + selected;
  }
  return out;
}

}  // namespace

void CreateJournalTables(SQLite::Database& db) {
  db.exec(kSchema);
  for (const char* table : {"squareoffs", "squareoff_orders"}) {
    const std::set<std::string> have = TableColumns(db, table);
    for (const AddedColumn& added : kAddedColumns) {
      if (added.table != std::string_view(table) || have.count(added.name)) continue;
      db.exec(std::string("ALTER TABLE ") + table + " ADD COLUMN " + added.name + " " +
              added.definition);
    }
  }
}

std::set<std::string> TableColumns(SQLite::Database& db, const std::string& table) {
  std::set<std::string> out;
  SQLite::Statement info(db, "PRAGMA table_info(" + table + ")");
  while (info.executeStep()) out.insert(info.getColumn(1).getString());
  return out;
}

std::string SquareOffColumns(const std::set<std::string>* present) {
  // The full list (the journal store's, on every read) is built once.
  static const std::string kAll = SelectList(kSquareOffSelect, "squareoffs", nullptr);
  return present ? SelectList(kSquareOffSelect, "squareoffs", present) : kAll;
}

std::string OrderColumns(const std::set<std::string>* present) {
  static const std::string kAll = SelectList(kOrderSelect, "squareoff_orders", nullptr);
  return present ? SelectList(kOrderSelect, "squareoff_orders", present) : kAll;
}

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

const std::string& UpsertOrderSql() {
  static const std::string kSql = [] {
    std::string placeholders;
    for (size_t i = 0; i < std::size(kOrderSelect); ++i) placeholders += i == 0 ? "?" : ",?";
    return "INSERT OR REPLACE INTO squareoff_orders (" + OrderColumns() + ") VALUES (" +
           placeholders + ")";
  }();
  return kSql;
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

}  // namespace zm::journal
