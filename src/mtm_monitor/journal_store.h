// JournalStore: the square-off engine's tables in zerodha_mtm.db.
//
//   squareoffs        one row per square-off: date, reason, MTM at trigger, start/finish times,
//                     outcome ("running" until finished, then "flat" | "failed" | "dry_run"),
//                     rounds used, what remained open, a summary line.
//   squareoff_orders  one row per order ATTEMPT, keyed by its tag (tags.h), written before the
//                     order is sent: params, state, broker order_id/status/fills. States:
//                       journaled  written; may or may not have reached the broker
//                       placed     the broker has it (order_id known), not terminal yet
//                       complete | cancelled | rejected   terminal at the broker
//                       not_sent   proven absent at the broker (answered error / not in book)
//                       dry_run    would have been sent (risk_management.dry_run)
//   instruments_cache the day's GET /instruments (lot size, tick size, underlying), with the
//                     IST date of the fetch in instruments_cache_meta.
// Times are epoch ms. Ownership: borrows the connection (opened by main, WAL, busy_timeout).
// Not thread-safe; the monitor's single thread only. Every write is one transaction.
#pragma once

#include <SQLiteCpp/Database.h>

#include <optional>
#include <string>
#include <vector>

#include "common/kite/instruments.h"
#include "common/status.h"
#include "mtm_monitor/planner.h"

namespace zm::monitor {

struct JournaledSquareOff {
  long long id = 0;
  std::string trading_date, reason;
  double mtm_at_trigger = 0;
  long long started_at_ms = 0, finished_at_ms = 0;  // 0 = not finished
  std::string outcome = "running";
  bool dry_run = false;
  int rounds = 0;
  std::vector<std::string> remaining;
  std::string summary;
};

namespace order_state {
inline constexpr const char* kJournaled = "journaled";
inline constexpr const char* kPlaced = "placed";
inline constexpr const char* kComplete = "complete";
inline constexpr const char* kCancelled = "cancelled";
inline constexpr const char* kRejected = "rejected";
inline constexpr const char* kNotSent = "not_sent";
inline constexpr const char* kDryRun = "dry_run";
}  // namespace order_state

struct JournaledOrder {
  std::string tag;
  long long squareoff_id = 0;
  int round = 0, slice = 0, attempt = 0;
  std::string exchange, tradingsymbol, product, transaction_type;
  long long quantity = 0;
  std::string order_type = "MARKET";
  double price = 0, market_protection = 0;
  std::string state = order_state::kJournaled;
  std::string order_id, status;  // broker's
  long long filled_quantity = 0;
  double average_price = 0;
  int modifications = 0;
  std::string error;
  long long created_at_ms = 0, updated_at_ms = 0;
  uint32_t instrument_token = 0;
  double tick_size = 0.05;

  // True while the order may still change at the broker (journaled or placed).
  bool live() const;
};

class JournalStore {
 public:
  explicit JournalStore(SQLite::Database& db) : db_(db) {}

  Status Init();  // CREATE TABLE IF NOT EXISTS ...

  Result<long long> CreateSquareOff(const JournaledSquareOff& squareoff);
  Status UpdateSquareOff(const JournaledSquareOff& squareoff);  // by id
  // The most recent square-off of that date still "running", if any.
  Result<std::optional<JournaledSquareOff>> FindUnfinished(const std::string& trading_date);
  Result<std::vector<JournaledSquareOff>> SquareOffsOn(const std::string& trading_date);

  Status InsertOrders(const std::vector<JournaledOrder>& orders);  // one transaction
  Status UpdateOrder(const JournaledOrder& order);                 // by tag
  Result<std::vector<JournaledOrder>> OrdersOf(long long squareoff_id);

  // Instruments cache.
  Result<std::optional<std::string>> InstrumentsDate();
  Status ReplaceInstruments(const std::string& trading_date,
                            const std::vector<kite::Instrument>& instruments);
  // Only the requested "EX:SYM" keys (the cache may hold 100k rows).
  Result<InstrumentIndex> LookupInstruments(const std::vector<std::string>& keys);

 private:
  SQLite::Database& db_;
};

}  // namespace zm::monitor
