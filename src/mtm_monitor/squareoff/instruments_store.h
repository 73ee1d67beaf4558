// InstrumentsStore: the day's instruments dump and what the broker taught about instruments,
// in zerodha_mtm.db.
//
//   instruments_cache       GET /instruments of one IST trading date (lot size, tick size,
//                           underlying name, expiry, strike), keyed by exchange + tradingsymbol
//   instruments_cache_meta  that date and the row count
//   learnt_facts            lot size / tick size / freeze limit named by a broker refusal today
//                           (facts.h), so that a restart or the next square-off starts from them
// Ownership: borrows the connection. Not thread-safe (the monitor's thread). Errors are Status.
#pragma once

#include <SQLiteCpp/Database.h>

#include <optional>
#include <string>
#include <vector>

#include "common/kite/instruments.h"
#include "common/status.h"
#include "mtm_monitor/squareoff/facts.h"

namespace zm::monitor {

class InstrumentsStore {
 public:
  explicit InstrumentsStore(SQLite::Database& db) : db_(db) {}

  Status Init();

  Result<std::optional<std::string>> CachedDate();
  Status Replace(const std::string& trading_date, const std::vector<kite::Instrument>& rows);
  // The rows of these "EX:SYM" keys that the cache has (the cache may hold 100k rows).
  Result<std::vector<kite::Instrument>> Lookup(const std::vector<std::string>& keys);

  // Facts learnt today, restored into / saved from a FactsBook.
  Status RestoreLearnt(const std::string& trading_date, FactsBook& facts);
  Status SaveLearnt(const std::string& trading_date, const std::string& instrument_key,
                    const FactsBook::Learnt& learnt);

 private:
  SQLite::Database& db_;
};

}  // namespace zm::monitor
