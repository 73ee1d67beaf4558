// SquareOffEngine: the exactly-once square-off of zerodha_mtm_monitor.
//
// Purpose: close every open net position of the account, never placing an order twice, and
// finish flat or raise a critical alert naming what remains. The steps:
//   1. journal first: a `squareoffs` row, then each planned order (tag, params, state) is written
//      to zerodha_mtm.db BEFORE it is sent (journal_store.h);
//   2. re-read positions over REST (the truth); cancel open / TRIGGER PENDING orders first when
//      risk_management.cancel_open_orders;
//   3. plan (planner.h, pure): shorts first, lot-multiple slices within the freeze limit;
//   4. send MARKET with market_protection, paced <= 10 orders/s (order_pacer.h); a MARKET refused
//      for the instrument falls back to a marketable LIMIT (pricing.h) that is re-priced if it
//      rests;
//   5. retries with exponential backoff; an outcome-unknown attempt (timeout, connection lost,
//      5xx) is reconciled against the order book by tag before anything is re-sent;
//   6. every order tracked to a terminal state; partial fills closed; a fresh positions read
//      verifies flat; bounded re-plan rounds (risk_management.max_verify_rounds);
//   7. ResumeUnfinished() continues an unfinished square-off after a restart, reconciling every
//      journaled order by tag before sending anything.
// dry_run: everything is journaled, nothing is sent, the outcome says dry_run.
//
// Ownership: borrows the KiteApi, the zerodha_mtm.db connection, the Config and the Clock; all
// must outlive the engine. It opens zerodha_trading.db (read-only, lazily) itself for quotes
// and stored order updates.
// Threading: one engine per process, used only from the process's single io_context thread.
// Run() and ResumeUnfinished() must not overlap (busy() tells the caller).
#pragma once

#include <SQLiteCpp/Database.h>

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/config.h"
#include "common/kite/kite_api.h"
#include "common/status.h"

namespace zm::monitor {

struct SquareOffRequest {
  std::string reason;  // "loss"|"target"|"trailing"|"time"|"locked"
  std::string trading_date;
  SysTime now;
  double mtm_at_trigger = 0;
};

struct SquareOffOutcome {
  long long squareoff_id = 0;
  bool flat = false;
  bool dry_run = false;
  std::vector<std::string> remaining;  // "NFO:SYM PRODUCT qty" still open after the last round
  std::string summary;
};

class SquareOffRunner;  // squareoff_engine.cc: one square-off's state machine
class JournalStore;     // journal_store.h

class SquareOffEngine {
 public:
  SquareOffEngine(kite::KiteApi& api, SQLite::Database& mtm_db, const Config& config,
                  const Clock& clock);
  ~SquareOffEngine();
  SquareOffEngine(const SquareOffEngine&) = delete;
  SquareOffEngine& operator=(const SquareOffEngine&) = delete;

  // Creates its tables (squareoffs, squareoff_orders, instruments cache).
  Status Init();

  // Fetches GET /instruments once per IST day into the cache (no-op when today's is cached).
  // Call at start / first cycle; Run() never waits for it (lot size 1 when nothing is cached).
  boost::asio::awaitable<Status> RefreshInstruments(std::string trading_date);

  boost::asio::awaitable<Result<SquareOffOutcome>> Run(SquareOffRequest request);

  // At start: finishes any square-off the journal shows unfinished for this trading date.
  boost::asio::awaitable<Result<std::optional<SquareOffOutcome>>> ResumeUnfinished(
      std::string trading_date);

  // For the snapshot: the day's square-offs with orders, as the monitor_snapshot.h schema says.
  Result<nlohmann::json> DaySquareOffsJson(const std::string& trading_date);

  bool busy() const { return busy_; }

 private:
  boost::asio::awaitable<Result<SquareOffOutcome>> Execute(long long squareoff_id,
                                                           std::string trading_date);

  kite::KiteApi& api_;
  SQLite::Database& mtm_db_;
  const Config& config_;
  const Clock& clock_;
  std::unique_ptr<JournalStore> journal_;
  bool busy_ = false;
};

}  // namespace zm::monitor
