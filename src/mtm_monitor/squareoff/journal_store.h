// JournalStore: the square-off journal in zerodha_mtm.db (journal_types.h, ledger.h).
//
//   squareoffs            one row per square-off
//   squareoff_orders      one row per order attempt, keyed by its tag; written BEFORE the order
//                         is sent, updated with every answer, book row and fill
//   squareoff_ledger      the day's base of each position key (ledger.h)
//   cancelled_orders      the trader's orders cancelled today (never cancelled a second time)
//   order_request_counts  order requests sent per trading day (Kite allows 5000)
// Columns added after a release are added to an existing database at Init() (ALTER TABLE).
// Times are epoch ms. Ownership: borrows the connection (opened by main: WAL, busy_timeout).
// Not thread-safe; the monitor's single thread only. Every write is one statement/transaction;
// every error is a Status naming the table (library exceptions never escape).
#pragma once

#include <SQLiteCpp/Database.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "mtm_monitor/squareoff/journal_types.h"
#include "mtm_monitor/squareoff/ledger.h"

namespace zm::monitor {

class JournalStore {
 public:
  explicit JournalStore(SQLite::Database& db) : db_(db) {}

  Status Init();

  Result<long long> CreateSquareOff(const JournaledSquareOff& squareoff);
  Status UpdateSquareOff(const JournaledSquareOff& squareoff);  // by id
  // The most recent square-off of that date still "running", if any.
  Result<std::optional<JournaledSquareOff>> FindUnfinished(const std::string& trading_date);
  Result<std::vector<JournaledSquareOff>> SquareOffsOn(const std::string& trading_date);

  Status UpsertOrder(const JournaledOrder& order);  // by tag
  Result<std::vector<JournaledOrder>> OrdersOf(long long squareoff_id);
  Result<std::vector<JournaledOrder>> OrdersOn(const std::string& trading_date);

  Result<std::vector<LedgerEntry>> LedgerOn(const std::string& trading_date);
  Status SaveLedger(const LedgerEntry& entry);

  Result<std::set<std::string>> CancelledOn(const std::string& trading_date);
  Status SaveCancelled(const std::string& trading_date, const std::string& order_id,
                       long long at_ms);

  Result<int> RequestsOn(const std::string& trading_date);
  Status SaveRequests(const std::string& trading_date, int count);

 private:
  SQLite::Database& db_;
};

}  // namespace zm::monitor
