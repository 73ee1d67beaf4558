// Driver: runs one RunMachine (run_machine.h) against the broker. It is the only part of the
// square-off that does I/O, and it decides nothing: it carries out the machine's actions and
// feeds back what happened, with the time.
//
//   reads      positions, the order book and GTT triggers run as their own coroutines, so that
//              a slow or failing read never holds up an exit; their results come back as events
//   sends      place / modify / cancel requests go through one FIFO queue, paced by the
//              process's OrderPacer (10/s, 400/min, 5000/day, 429 backoff) with at most
//              `max_sends_in_flight` at once; a place is journaled right before it is sent
//              (LIMIT: priced first, from depth, at the machine's walk step)
//   journal    every row change is written to zerodha_mtm.db at once; when the database cannot
//              be written the exit still goes out: the rows are kept in memory, retried on
//              every event, and a critical line says so (an exit matters more than its record)
//   updates    the subscriber's stored WebSocket order updates are polled every
//              `update_check` and fed in (they end a wait sooner than the next book read)
// Ownership: borrows everything in DriverDeps; the machine must outlive Run(). Run() returns
// only once every request it started has been answered (or timed out), so no task outlives it;
// results that arrive after the machine finished are dropped.
// Threading: the process's io_context thread only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/kite/kite_api.h"
#include "mtm_monitor/squareoff/facts.h"
#include "mtm_monitor/squareoff/journal_store.h"
#include "mtm_monitor/squareoff/pacer.h"
#include "mtm_monitor/squareoff/pricing.h"
#include "mtm_monitor/squareoff/run_machine.h"

namespace zm::monitor {

class InstrumentsStore;

// Where a LIMIT exit gets the depth it is priced from (engine.h implements it over the
// subscriber's ticks and GET /quote, sharing the process's 1/s quote budget).
class DepthSource {
 public:
  virtual ~DepthSource() = default;
  virtual boost::asio::awaitable<Result<QuoteBook>> Book(std::string exchange,
                                                         std::string tradingsymbol,
                                                         uint32_t instrument_token,
                                                         long long quantity) = 0;
};

// The stored WebSocket order updates that arrived since the previous call.
class OrderUpdateFeed {
 public:
  virtual ~OrderUpdateFeed() = default;
  virtual std::vector<kite::Order> Poll() = 0;
};

struct DriverTuning {
  MonoDuration update_check = std::chrono::milliseconds(50);
  int max_sends_in_flight = 4;
};

struct DriverDeps {
  kite::KiteApi& api;
  JournalStore& journal;
  InstrumentsStore& instruments;
  FactsBook& facts;
  OrderPacer& pacer;
  DepthSource& prices;
  OrderUpdateFeed* updates;  // may be null
  const Clock& wall;
  const MonoClock& mono;
  PriceWalk walk;
  DriverTuning tuning;
};

class Driver {
 public:
  Driver(DriverDeps deps, RunMachine& machine);
  ~Driver();
  Driver(const Driver&) = delete;
  Driver& operator=(const Driver&) = delete;

  // Until the machine finishes. Never throws.
  boost::asio::awaitable<void> Run();

 private:
  struct Shared;  // the event queue shared with spawned tasks
  using Event = std::function<RunActions(RunMachine&, Instant)>;

  Instant Now() const;
  void Execute(RunActions actions);
  void ExecuteOne(RunAction& action);
  void Spawn(boost::asio::awaitable<void> task);
  void PumpSends();
  void Journal(const JournaledOrder& row);
  void RetryJournal();
  void EnsureFacts(const kite::Positions& positions);
  boost::asio::awaitable<void> SendPlace(RunAction action);
  boost::asio::awaitable<void> SendModify(RunAction action);
  boost::asio::awaitable<void> SendCancel(RunAction action);
  boost::asio::awaitable<Result<double>> PriceFor(const JournaledOrder& row, int walk_step);

  DriverDeps deps_;
  RunMachine& machine_;
  std::shared_ptr<Shared> shared_;
  std::deque<RunAction> sends_;
  int sends_in_flight_ = 0;
  int tasks_in_flight_ = 0;
  std::map<std::string, JournaledOrder> unwritten_;  // journal rows the database refused
  bool journal_failing_ = false;
  bool budget_noted_ = false;
  std::set<std::string> facts_loaded_;
};

}  // namespace zm::monitor
