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
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/config.h"
#include "common/kite/kite_api.h"
#include "common/status.h"
#include "common/trading_db.h"
#include "mtm_monitor/order_pacer.h"

namespace zm::monitor {

// Timings of the engine that are not in the config (tests shorten them).
struct EngineTuning {
  std::chrono::milliseconds poll_interval{400};      // order book polling while tracking
  std::chrono::milliseconds update_check{50};        // stored WebSocket updates, between polls
  std::chrono::milliseconds rest_timeout{2000};      // an OPEN order this old is re-priced
  std::chrono::milliseconds reprice_interval{1000};  // between two re-prices of one order
  // A tag missing from every book read this long = not placed. Generous on purpose: re-sending
  // an order the broker was still creating would close the position twice.
  std::chrono::milliseconds absent_confirm{5000};
  std::chrono::milliseconds round_timeout{120000};   // tracking of one round, at most
  std::chrono::milliseconds positions_settle{3000};  // wait for positions to show our fills
  std::chrono::milliseconds cancel_wait{5000};       // wait for cancelled orders to be terminal
  int max_rate_limit_retries = 20;  // 429s per slice before giving up on it
  int max_replaces = 10;            // cancel + re-place of a resting order, per slice
  int max_read_retries = 5;         // GET /orders, /portfolio/positions per need
  // Tests only: after this many order POSTs the run stops dead right after the broker's answer,
  // before journaling it, and returns kCancelled: exactly what a monitor killed at that instant
  // leaves behind. 0 = off (always in production).
  int simulate_crash_after_sends = 0;
  OrderPacer::Options pacer;
};

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

class JournalStore;         // journal_store.h
struct JournaledSquareOff;  // journal_store.h

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

  void set_tuning(const EngineTuning& tuning) { tuning_ = tuning; }
  // Where LIMIT prices take their quotes (best bid/ask) and tracking reads the stored WebSocket
  // order updates; opened lazily from config.trading_db_path() when not set. Not owned.
  void set_trading_db(TradingDb* trading_db) { trading_db_ = trading_db; }

 private:
  boost::asio::awaitable<Result<SquareOffOutcome>> Execute(JournaledSquareOff squareoff);
  TradingDb* QuotesDb();

  kite::KiteApi& api_;
  SQLite::Database& mtm_db_;
  const Config& config_;
  const Clock& clock_;
  std::unique_ptr<JournalStore> journal_;
  EngineTuning tuning_;
  TradingDb* trading_db_ = nullptr;
  std::unique_ptr<TradingDb> owned_trading_db_;
  bool busy_ = false;
};

}  // namespace zm::monitor
