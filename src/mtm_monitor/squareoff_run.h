// SquareOffRun: one square-off's state machine (internal to SquareOffEngine).
//
// Drives the journal rows of one square-off to a verified-flat book: reconcile what the journal
// says may be at the broker (by tag, before anything else), cancel the account's open orders,
// read positions, plan, journal, send paced, track to terminal states (re-price / cancel orders
// that rest, LIMIT fallback where MARKET is refused, retries with backoff, outcome-unknown
// attempts resolved only from the order book), then verify with a fresh positions read and
// loop (bounded by risk_management.max_verify_rounds).
// Ownership: borrows everything in Deps for its lifetime. Single-threaded (io_context thread).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/config.h"
#include "common/kite/kite_api.h"
#include "common/trading_db.h"
#include "mtm_monitor/journal_store.h"
#include "mtm_monitor/order_pacer.h"
#include "mtm_monitor/planner.h"
#include "mtm_monitor/pricing.h"
#include "mtm_monitor/squareoff_engine.h"

namespace zm::monitor {

struct RunDeps {
  kite::KiteApi& api;
  JournalStore& journal;
  const Config& config;
  const Clock& clock;
  const EngineTuning& tuning;
  // Quotes for LIMIT pricing and the stored WebSocket order updates; may be null.
  TradingDb* trading_db = nullptr;
};

class SquareOffRun {
 public:
  SquareOffRun(RunDeps deps, JournaledSquareOff squareoff, std::vector<JournaledOrder> rows);
  boost::asio::awaitable<Result<SquareOffOutcome>> Execute();

 private:
  using Steady = std::chrono::steady_clock;

  // One planned slice and the attempts that carry it.
  struct Slice {
    PlannedSlice plan;
    int number = 0;             // the tag's slice number
    long long remaining = 0;    // quantity still to be filled by a new attempt
    int next_attempt = 0;
    int failures = 0, rate_limits = 0;
    bool use_limit = false;     // MARKET refused for this instrument
    std::optional<CircuitBand> band;
    int row = -1;               // index in rows_ of the live attempt, -1 none
    int prejournaled = -1;      // index in rows_ of attempt 0, journaled with the plan
    int replaces = 0;           // cancel + re-place of resting orders
    bool resend = false;        // a new attempt is due at resend_at
    Steady::time_point resend_at{};
    Steady::time_point live_since{}, last_touch{};
    bool cancel_requested = false;
    bool resume_only = false;   // journal rows from before a restart: never re-sent
    bool given_up = false;
    std::string last_error;
  };

  boost::asio::awaitable<Status> TrackAll();
  boost::asio::awaitable<void> PlaceAttempt(Slice& slice);
  boost::asio::awaitable<Status> PollOnce(std::map<std::string, Steady::time_point>& absent_since);
  // Waits until `until`, ending early when a stored WebSocket order update (zerodha_trading.db)
  // shows one of our live orders terminal; such an update is applied like a book read.
  boost::asio::awaitable<void> WaitForUpdates(Steady::time_point until);
  // Applies the COMPLETE updates stored since the last call; true when one ended a live order or
  // another terminal update asks for an early order book read (poll_now_).
  boost::asio::awaitable<bool> ApplyStoredUpdates();
  boost::asio::awaitable<void> HandleBookOrder(Slice& slice, const kite::Order& order);
  boost::asio::awaitable<void> HandleResting(Slice& slice);
  void HandleAbsent(Slice& slice, Steady::time_point& since);
  void ScheduleRetry(Slice& slice, const std::string& error, bool counts_as_failure);
  boost::asio::awaitable<Status> CancelOpenOrders();
  struct OpenBook {
    std::vector<kite::Position> open;      // what the broker shows open (the truth)
    std::vector<kite::Position> to_close;  // what this round may close without overshooting
  };
  boost::asio::awaitable<Result<OpenBook>> ReadOpenBook();
  boost::asio::awaitable<Result<kite::Positions>> ReadPositionsWithRetry();
  boost::asio::awaitable<Result<std::vector<kite::Order>>> ReadOrdersWithRetry();
  // One read (`call` on the KiteApi) with up to tuning.max_read_retries attempts and backoff.
  template <typename T>
  boost::asio::awaitable<Result<T>> ReadWithRetry(const char* what,
                                                  kite::Async<T> (kite::KiteApi::*call)());
  boost::asio::awaitable<Result<double>> LimitPrice(const Slice& slice);
  boost::asio::awaitable<void> Paced();
  Status JournalRound(const Plan& plan);
  bool Save(JournaledOrder& row);  // false (logged) when the journal write failed
  Result<SquareOffOutcome> Finish(std::string outcome, std::vector<std::string> remaining,
                                  std::string summary);
  bool AllSettled() const;
  std::map<std::string, long long> FilledDeltaThisRound() const;

  RunDeps deps_;
  JournaledSquareOff so_;
  std::vector<JournaledOrder> rows_;
  std::vector<Slice> slices_;  // of the current round (or the resumed rows)
  OrderPacer pacer_;
  int next_slice_number_ = 0;
  std::map<std::string, long long> planned_quantity_;  // key -> net qty the round planned from
  std::set<std::string> limit_keys_;
  int sends_ = 0;
  bool crashed_ = false;  // EngineTuning::simulate_crash_after_sends fired
  long long update_cursor_ = 0;  // last order_updates id read from zerodha_trading.db
  // Terminal order updates seen on the WebSocket, by tag and by order_id (terminal is final).
  std::map<std::string, kite::Order> terminal_by_tag_, terminal_by_id_;
  std::set<std::string> early_poll_for_;  // order_ids whose update already brought a read forward
  bool poll_now_ = false;                 // read the order book without waiting for next_poll
};

// "EX:SYM:PRODUCT": one net position.
std::string PositionKey(const std::string& exchange, const std::string& tradingsymbol,
                        const std::string& product);
// True when a broker answer means MARKET is not accepted for this instrument.
bool IsMarketRefusal(const std::string& message);
// The circuit band named by a "price is higher/lower than the current ... circuit limit of X"
// rejection, merged into `band`.
void MergeCircuitFromMessage(const std::string& message, std::optional<CircuitBand>& band);

}  // namespace zm::monitor
