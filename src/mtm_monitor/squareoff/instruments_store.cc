#include "mtm_monitor/squareoff/instruments_store.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <SQLiteCpp/VariadicBind.h>

#include "common/sqlite_call.h"

namespace zm::monitor {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS instruments_cache (
  exchange TEXT NOT NULL, tradingsymbol TEXT NOT NULL, name TEXT NOT NULL,
  instrument_token INTEGER NOT NULL, lot_size INTEGER NOT NULL, tick_size REAL NOT NULL,
  instrument_type TEXT NOT NULL, segment TEXT NOT NULL, expiry TEXT NOT NULL,
  PRIMARY KEY (exchange, tradingsymbol));
CREATE TABLE IF NOT EXISTS instruments_cache_meta (
  id INTEGER PRIMARY KEY CHECK (id = 1), trading_date TEXT NOT NULL, count INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS learnt_facts (
  trading_date TEXT NOT NULL, instrument TEXT NOT NULL, lot_size INTEGER NOT NULL,
  tick_size REAL NOT NULL, freeze_quantity INTEGER NOT NULL, autoslice INTEGER NOT NULL,
  PRIMARY KEY (trading_date, instrument));
)sql";

// Added after the first release.
constexpr const char* kStrikeColumn = "strike";

constexpr std::string_view kDbName = "zerodha_mtm.db";

}  // namespace

Status InstrumentsStore::Init() {
  return SqliteCall(kDbName, "create instruments tables", [&] {
    db_.exec(kSchema);
    bool has_strike = false;
    SQLite::Statement info(db_, "PRAGMA table_info(instruments_cache)");
    while (info.executeStep())
      has_strike = has_strike || info.getColumn(1).getString() == kStrikeColumn;
    if (!has_strike)
      db_.exec("ALTER TABLE instruments_cache ADD COLUMN strike REAL NOT NULL DEFAULT 0");
  });
}

Result<std::optional<std::string>> InstrumentsStore::CachedDate() {
  return SqliteCall(kDbName, "read instruments_cache_meta", [&] {
    SQLite::Statement q(db_, "SELECT trading_date FROM instruments_cache_meta WHERE id = 1");
    if (!q.executeStep()) return std::optional<std::string>();
    return std::optional<std::string>(q.getColumn(0).getString());
  });
}

Status InstrumentsStore::Replace(const std::string& trading_date,
                                 const std::vector<kite::Instrument>& rows) {
  return SqliteCall(kDbName, "replace instruments_cache", [&] {
    SQLite::Transaction tx(db_);
    db_.exec("DELETE FROM instruments_cache");
    SQLite::Statement q(db_,
                        "INSERT OR REPLACE INTO instruments_cache (exchange, tradingsymbol, name, "
                        "instrument_token, lot_size, tick_size, instrument_type, segment, expiry, "
                        "strike) VALUES (?,?,?,?,?,?,?,?,?,?)");
    for (const auto& i : rows) {
      SQLite::bind(q, i.exchange, i.tradingsymbol, i.name, static_cast<int64_t>(i.instrument_token),
                   static_cast<int64_t>(i.lot_size), i.tick_size, i.instrument_type, i.segment,
                   i.expiry, i.strike);
      q.exec();
      q.reset();
    }
    SQLite::Statement meta(db_, "INSERT OR REPLACE INTO instruments_cache_meta VALUES (1, ?, ?)");
    meta.bind(1, trading_date);
    meta.bind(2, static_cast<int64_t>(rows.size()));
    meta.exec();
    tx.commit();
  });
}

Result<std::vector<kite::Instrument>> InstrumentsStore::Lookup(
    const std::vector<std::string>& keys) {
  return SqliteCall(kDbName, "read instruments_cache", [&] {
    SQLite::Statement q(db_,
                        "SELECT exchange, tradingsymbol, name, instrument_token, lot_size, "
                        "tick_size, instrument_type, segment, expiry, strike FROM "
                        "instruments_cache WHERE exchange = ? AND tradingsymbol = ?");
    std::vector<kite::Instrument> out;
    for (const auto& key : keys) {
      const auto colon = key.find(':');
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
        i.strike = q.getColumn(9).getDouble();
        out.push_back(std::move(i));
      }
      q.reset();
    }
    return out;
  });
}

Status InstrumentsStore::RestoreLearnt(const std::string& trading_date, FactsBook& facts) {
  return SqliteCall(kDbName, "read learnt_facts", [&] {
    SQLite::Statement q(db_,
                        "SELECT instrument, lot_size, tick_size, freeze_quantity FROM "
                        "learnt_facts WHERE trading_date = ?");
    q.bind(1, trading_date);
    while (q.executeStep()) {
      facts.RestoreLearnt(q.getColumn(0).getString(), q.getColumn(1).getInt64(),
                          q.getColumn(2).getDouble(), q.getColumn(3).getInt64());
    }
  });
}

Status InstrumentsStore::SaveLearnt(const std::string& trading_date,
                                    const std::string& instrument_key,
                                    const FactsBook::Learnt& learnt) {
  return SqliteExec(db_, kDbName, "write learnt_facts",
                    "INSERT OR REPLACE INTO learnt_facts VALUES (?,?,?,?,?,?)", trading_date,
                    instrument_key, static_cast<int64_t>(learnt.lot_size), learnt.tick_size,
                    static_cast<int64_t>(learnt.freeze_quantity), learnt.autoslice ? 1 : 0);
}

}  // namespace zm::monitor
