#include "mtm_monitor/journal_store.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <nlohmann/json.hpp>

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
CREATE TABLE IF NOT EXISTS instruments_cache (
  exchange TEXT NOT NULL, tradingsymbol TEXT NOT NULL, name TEXT NOT NULL,
  instrument_token INTEGER NOT NULL, lot_size INTEGER NOT NULL, tick_size REAL NOT NULL,
  instrument_type TEXT NOT NULL, segment TEXT NOT NULL, expiry TEXT NOT NULL,
  PRIMARY KEY (exchange, tradingsymbol));
CREATE TABLE IF NOT EXISTS instruments_cache_meta (
  id INTEGER PRIMARY KEY CHECK (id = 1), trading_date TEXT NOT NULL, count INTEGER NOT NULL);
)sql";

constexpr const char* kSquareOffColumns =
    "id, trading_date, reason, mtm_at_trigger, started_at_ms, COALESCE(finished_at_ms, 0), "
    "outcome, dry_run, rounds, remaining, summary";

constexpr const char* kOrderColumns =
    "tag, squareoff_id, round, slice, attempt, exchange, tradingsymbol, product, "
    "transaction_type, quantity, order_type, price, market_protection, state, order_id, status, "
    "filled_quantity, average_price, modifications, error, created_at_ms, updated_at_ms, "
    "instrument_token, tick_size";

Status DbError(const std::exception& e, const char* what) {
  return IoError(std::string("zerodha_mtm.db ") + what + ": " + e.what());
}

std::vector<std::string> ParseRemaining(const std::string& text) {
  auto json = nlohmann::json::parse(text, nullptr, false);
  std::vector<std::string> out;
  if (!json.is_array()) return out;
  for (const auto& item : json)
    if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
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
  s.remaining = ParseRemaining(q.getColumn(9).getString());
  s.summary = q.getColumn(10).getString();
  return s;
}

JournaledOrder ReadOrder(SQLite::Statement& q) {
  JournaledOrder o;
  int c = 0;
  o.tag = q.getColumn(c++).getString();
  o.squareoff_id = q.getColumn(c++).getInt64();
  o.round = q.getColumn(c++).getInt();
  o.slice = q.getColumn(c++).getInt();
  o.attempt = q.getColumn(c++).getInt();
  o.exchange = q.getColumn(c++).getString();
  o.tradingsymbol = q.getColumn(c++).getString();
  o.product = q.getColumn(c++).getString();
  o.transaction_type = q.getColumn(c++).getString();
  o.quantity = q.getColumn(c++).getInt64();
  o.order_type = q.getColumn(c++).getString();
  o.price = q.getColumn(c++).getDouble();
  o.market_protection = q.getColumn(c++).getDouble();
  o.state = q.getColumn(c++).getString();
  o.order_id = q.getColumn(c++).getString();
  o.status = q.getColumn(c++).getString();
  o.filled_quantity = q.getColumn(c++).getInt64();
  o.average_price = q.getColumn(c++).getDouble();
  o.modifications = q.getColumn(c++).getInt();
  o.error = q.getColumn(c++).getString();
  o.created_at_ms = q.getColumn(c++).getInt64();
  o.updated_at_ms = q.getColumn(c++).getInt64();
  o.instrument_token = static_cast<uint32_t>(q.getColumn(c++).getInt64());
  o.tick_size = q.getColumn(c++).getDouble();
  return o;
}

// Binds every column of kOrderColumns in order (tag first).
void BindOrder(SQLite::Statement& q, const JournaledOrder& o) {
  int c = 1;
  q.bind(c++, o.tag);
  q.bind(c++, static_cast<int64_t>(o.squareoff_id));
  q.bind(c++, o.round);
  q.bind(c++, o.slice);
  q.bind(c++, o.attempt);
  q.bind(c++, o.exchange);
  q.bind(c++, o.tradingsymbol);
  q.bind(c++, o.product);
  q.bind(c++, o.transaction_type);
  q.bind(c++, static_cast<int64_t>(o.quantity));
  q.bind(c++, o.order_type);
  q.bind(c++, o.price);
  q.bind(c++, o.market_protection);
  q.bind(c++, o.state);
  q.bind(c++, o.order_id);
  q.bind(c++, o.status);
  q.bind(c++, static_cast<int64_t>(o.filled_quantity));
  q.bind(c++, o.average_price);
  q.bind(c++, o.modifications);
  q.bind(c++, o.error);
  q.bind(c++, static_cast<int64_t>(o.created_at_ms));
  q.bind(c++, static_cast<int64_t>(o.updated_at_ms));
  q.bind(c++, static_cast<int64_t>(o.instrument_token));
  q.bind(c++, o.tick_size);
}

constexpr const char* kUpsertOrder =
    "INSERT OR REPLACE INTO squareoff_orders VALUES "
    "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

}  // namespace

bool JournaledOrder::live() const {
  return state == order_state::kJournaled || state == order_state::kPlaced;
}

Status JournalStore::Init() {
  try {
    db_.exec(kSchema);
    return Status::Ok();
  } catch (const std::exception& e) {
    return DbError(e, "create engine tables");
  }
}

Result<long long> JournalStore::CreateSquareOff(const JournaledSquareOff& s) {
  try {
    SQLite::Statement q(db_,
                        "INSERT INTO squareoffs (trading_date, reason, mtm_at_trigger, "
                        "started_at_ms, outcome, dry_run) VALUES (?,?,?,?,?,?)");
    q.bind(1, s.trading_date);
    q.bind(2, s.reason);
    q.bind(3, s.mtm_at_trigger);
    q.bind(4, static_cast<int64_t>(s.started_at_ms));
    q.bind(5, s.outcome);
    q.bind(6, s.dry_run ? 1 : 0);
    q.exec();
    return static_cast<long long>(db_.getLastInsertRowid());
  } catch (const std::exception& e) {
    return DbError(e, "insert squareoff");
  }
}

Status JournalStore::UpdateSquareOff(const JournaledSquareOff& s) {
  try {
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
  } catch (const std::exception& e) {
    return DbError(e, "update squareoff");
  }
}

Result<std::optional<JournaledSquareOff>> JournalStore::FindUnfinished(
    const std::string& trading_date) {
  try {
    SQLite::Statement q(db_, std::string("SELECT ") + kSquareOffColumns +
                                 " FROM squareoffs WHERE trading_date = ? AND outcome = "
                                 "'running' ORDER BY id DESC LIMIT 1");
    q.bind(1, trading_date);
    if (!q.executeStep()) return std::optional<JournaledSquareOff>();
    return std::optional<JournaledSquareOff>(ReadSquareOff(q));
  } catch (const std::exception& e) {
    return DbError(e, "read squareoffs");
  }
}

Result<std::vector<JournaledSquareOff>> JournalStore::SquareOffsOn(const std::string& date) {
  try {
    SQLite::Statement q(db_, std::string("SELECT ") + kSquareOffColumns +
                                 " FROM squareoffs WHERE trading_date = ? ORDER BY id");
    q.bind(1, date);
    std::vector<JournaledSquareOff> out;
    while (q.executeStep()) out.push_back(ReadSquareOff(q));
    return out;
  } catch (const std::exception& e) {
    return DbError(e, "read squareoffs");
  }
}

Status JournalStore::InsertOrders(const std::vector<JournaledOrder>& orders) {
  try {
    SQLite::Transaction tx(db_);
    SQLite::Statement q(db_,
                        "INSERT INTO squareoff_orders VALUES "
                        "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    for (const auto& o : orders) {
      BindOrder(q, o);
      q.exec();
      q.reset();
    }
    tx.commit();
    return Status::Ok();
  } catch (const std::exception& e) {
    return DbError(e, "insert squareoff_orders");
  }
}

Status JournalStore::UpdateOrder(const JournaledOrder& order) {
  try {
    SQLite::Statement q(db_, kUpsertOrder);
    BindOrder(q, order);
    q.exec();
    return Status::Ok();
  } catch (const std::exception& e) {
    return DbError(e, "update squareoff_orders");
  }
}

Result<std::vector<JournaledOrder>> JournalStore::OrdersOf(long long squareoff_id) {
  try {
    SQLite::Statement q(db_, std::string("SELECT ") + kOrderColumns +
                                 " FROM squareoff_orders WHERE squareoff_id = ? "
                                 "ORDER BY slice, attempt");
    q.bind(1, static_cast<int64_t>(squareoff_id));
    std::vector<JournaledOrder> out;
    while (q.executeStep()) out.push_back(ReadOrder(q));
    return out;
  } catch (const std::exception& e) {
    return DbError(e, "read squareoff_orders");
  }
}

Result<std::optional<std::string>> JournalStore::InstrumentsDate() {
  try {
    SQLite::Statement q(db_, "SELECT trading_date FROM instruments_cache_meta WHERE id = 1");
    if (!q.executeStep()) return std::optional<std::string>();
    return std::optional<std::string>(q.getColumn(0).getString());
  } catch (const std::exception& e) {
    return DbError(e, "read instruments_cache_meta");
  }
}

Status JournalStore::ReplaceInstruments(const std::string& trading_date,
                                        const std::vector<kite::Instrument>& instruments) {
  try {
    SQLite::Transaction tx(db_);
    db_.exec("DELETE FROM instruments_cache");
    SQLite::Statement q(db_, "INSERT OR REPLACE INTO instruments_cache VALUES (?,?,?,?,?,?,?,?,?)");
    for (const auto& i : instruments) {
      q.bind(1, i.exchange);
      q.bind(2, i.tradingsymbol);
      q.bind(3, i.name);
      q.bind(4, static_cast<int64_t>(i.instrument_token));
      q.bind(5, static_cast<int64_t>(i.lot_size));
      q.bind(6, i.tick_size);
      q.bind(7, i.instrument_type);
      q.bind(8, i.segment);
      q.bind(9, i.expiry);
      q.exec();
      q.reset();
    }
    SQLite::Statement meta(db_, "INSERT OR REPLACE INTO instruments_cache_meta VALUES (1, ?, ?)");
    meta.bind(1, trading_date);
    meta.bind(2, static_cast<int64_t>(instruments.size()));
    meta.exec();
    tx.commit();
    return Status::Ok();
  } catch (const std::exception& e) {
    return DbError(e, "replace instruments_cache");
  }
}

Result<InstrumentIndex> JournalStore::LookupInstruments(const std::vector<std::string>& keys) {
  try {
    SQLite::Statement q(db_,
                        "SELECT exchange, tradingsymbol, name, instrument_token, lot_size, "
                        "tick_size, instrument_type, segment, expiry FROM instruments_cache "
                        "WHERE exchange = ? AND tradingsymbol = ?");
    InstrumentIndex index;
    for (const auto& key : keys) {
      auto colon = key.find(':');
      if (colon == std::string::npos) continue;
      q.bind(1, key.substr(0, colon));
      q.bind(2, key.substr(colon + 1));
      if (q.executeStep()) {
        kite::Instrument i;
        i.exchange = q.getColumn(0).getString();
        i.tradingsymbol = q.getColumn(1).getString();
        i.name = q.getColumn(2).getString();
        i.instrument_token = static_cast<uint32_t>(q.getColumn(3).getInt64());
        i.lot_size = q.getColumn(4).getInt64();
        i.tick_size = q.getColumn(5).getDouble();
        i.instrument_type = q.getColumn(6).getString();
        i.segment = q.getColumn(7).getString();
        i.expiry = q.getColumn(8).getString();
        index[key] = std::move(i);
      }
      q.reset();
    }
    return index;
  } catch (const std::exception& e) {
    return DbError(e, "read instruments_cache");
  }
}

}  // namespace zm::monitor
