// RunMachine: one square-off, from the trigger to a verified-flat book, as a pure state machine.
// Inputs are events (a positions read, an order book read, an order update from the WebSocket,
// the broker's answer to a request, a timer) with the time; outputs are actions for the driver
// (driver.h): reads, order requests, journal writes, log lines, the finish. No I/O, no clock.
//
// What it does, in the order that matters for money:
//   1. Exits first. A positions read is asked for at once and every position that may be
//      closed (ledger.h) is planned (planner.h) and sent, shorts first, without waiting for the
//      order book. Two exceptions: an instrument on which the trader has open orders (known from
//      the stored WebSocket updates or a book read) has them cancelled first, so that a resting
//      stop cannot fill beside the exit and flip the position (the exit waits for the
//      cancellations, at most `cancel_hold`, then re-reads positions); and an instrument with an
//      order of ours whose outcome is unknown waits at most `unknown_hold` for a book read, then
//      plans with that order counted as filled.
//   2. Cancels follow: the trader's other open orders are cancelled once each (never a second
//      time the same day, also across square-offs: `cancelled_before`), a failed cancel is
//      retried and reported; GTT triggers on the instruments being closed are deleted.
//   3. Every slice is driven by its SliceMachine; a refusal that names a lot size or freeze
//      limit re-plans the rest of that slice at once; what comes back from an absent or resumed
//      order is re-planned only from a fresh positions read.
//   4. A position is done when a trusted read (consistent with the ledger, or re-based after it
//      was quiet) shows it flat; each position is planned at most `max_rounds` times.
//   5. An order of ours that no slice owns (it appeared late, or belongs to an earlier
//      square-off) is cancelled if open and its fills are accounted in its journal row.
// Not thread-safe; one owner (the driver).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/kite/models.h"
#include "common/status.h"
#include "mtm_monitor/squareoff/facts.h"
#include "mtm_monitor/squareoff/journal_types.h"
#include "mtm_monitor/squareoff/ledger.h"
#include "mtm_monitor/squareoff/slice_machine.h"

namespace zm::monitor {

struct RunPolicy {
  SliceTuning slice;
  bool dry_run = false;
  bool cancel_open_orders = true;
  bool delete_gtt = true;
  int max_rounds = 5;                                                // plans per position
  MonoDuration unknown_hold = std::chrono::seconds(1);               // see 1. above
  MonoDuration cancel_hold = std::chrono::seconds(3);                // see 1. above
  MonoDuration poll_interval = std::chrono::milliseconds(400);       // book reads while live
  MonoDuration positions_interval = std::chrono::milliseconds(400);  // re-reads while settling
  MonoDuration run_timeout = std::chrono::seconds(120);
  long long lag_max_ms = 10000;    // positions may lag our fills this long (ledger.h)
  int max_cancel_attempts = 3;     // per trader order
  std::set<std::string> products;  // empty = every product is guarded
  // "EX:SYM:PRODUCT" position keys never to touch (sales from holdings, exchanges outside their
  // session): not planned, not verified, whatever their quantity.
  std::set<std::string> excluded_keys;
};

struct RunSetup {
  JournaledSquareOff squareoff;
  std::vector<JournaledOrder> day_rows;     // every journal row of the trading day
  std::vector<LedgerEntry> ledger;          // the day's ledger
  std::set<std::string> cancelled_before;   // trader order ids cancelled earlier today
  std::vector<kite::Order> known_orders;    // latest stored WebSocket update per order
  std::set<std::string> limit_instruments;  // "EX:SYM" where MARKET was refused today
};

struct RunAction {
  enum class Kind {
    kReadPositions,
    kReadBook,
    kListGtts,
    kDeleteGtt,
    kPlace,          // journal `row` first, then send it (LIMIT: priced at `walk_step`)
    kModify,         // re-price `order_id` (`row`) at `walk_step`
    kCancel,         // cancel `order_id` (`variety`); `own` = one of ours
    kJournal,        // persist `row`
    kSaveLedger,     // persist `ledger`
    kSaveCancelled,  // `order_id` of the trader was cancelled (never again today)
    kSaveLearnt,     // persist what `row`'s instrument taught (the facts book has it)
    kSaveSquareOff,  // persist the square-off row
    kLog,            // `text` at `level` (0 info, 1 warn, 2 error, 3 critical)
    kFinish,         // the run is over: outcome in squareoff()
  };
  Kind kind = Kind::kLog;
  JournaledOrder row;
  std::string order_id, variety = "regular";
  int walk_step = 0;
  bool own = false;
  long long gtt_id = 0;
  LedgerEntry ledger;
  std::string text;
  int level = 0;
};
using RunActions = std::vector<RunAction>;

class RunMachine {
 public:
  static constexpr int kMaxLearntReplans = 5;  // per position and plan
  RunMachine(RunSetup setup, RunPolicy policy, FactsBook* facts, Instant now);

  RunActions Start(Instant now);
  RunActions OnPositions(const Result<kite::Positions>& read, Instant read_started, Instant now);
  RunActions OnBook(const Result<std::vector<kite::Order>>& read, Instant now);
  RunActions OnOrderUpdate(const kite::Order& order, Instant now);
  RunActions OnPlaceAnswer(const std::string& tag, const PlaceAnswer& answer, Instant now);
  RunActions OnModifyAnswer(const std::string& tag, const ModifyAnswer& answer, Instant now);
  RunActions OnCancelAnswer(const std::string& order_id, bool own, const Status& status,
                            Instant now);
  RunActions OnGtts(const Result<std::vector<kite::Gtt>>& read, Instant now);
  RunActions OnGttDeleted(long long id, const Status& status, Instant now);
  RunActions OnTimer(Instant now);

  MonoTime NextWakeup() const;
  bool finished() const { return finished_; }
  const JournaledSquareOff& squareoff() const { return so_; }
  // Every journal row of the day as the machine sees it (slices' attempts included).
  std::vector<JournaledOrder> Rows() const;
  // Milestones for the report: first order sent / flat (monotonic), 0 = not yet.
  std::optional<MonoTime> first_place_at() const { return first_place_at_; }

 private:
  struct KeyState {
    std::string key, exchange, tradingsymbol, product;
    enum class Phase { kWaitRead, kActive, kFlat, kGivenUp } phase = Phase::kWaitRead;
    MonoTime need_read_after{};  // a positions read started at or after this is needed
    int rounds = 0;
    int learnt_replans = 0;      // re-plans after a refusal named a lot size / freeze limit
    std::vector<size_t> slices;  // indices into slices_ of the current plan
    long long last_read = 0;
    std::string why_given_up;
  };
  struct TraderOrder {
    kite::Order order;
    enum class State { kOpen, kCancelSent, kDone, kFailed } state = State::kOpen;
    int attempts = 0;
    MonoTime retry_at{};
    MonoTime sent_at{};
    bool wait_over = false;  // cancel_wait passed without the order showing it cancelled
  };
  struct Hold {
    MonoTime until{};
    bool cancel = false, unknown = false;
  };

  // run_machine.cc
  RunActions Plan(KeyState& key, long long closable, Instant now);
  RunActions Dispatch(size_t slice_index, SliceActions actions, Instant now);
  // A new slice of `key` (this round, the next slice number); returns its index in slices_.
  size_t AddSlice(KeyState& key, const PlannedSlice& planned, bool use_limit, int walk_step,
                  Instant now);
  RunActions AfterEvent(Instant now);
  RunActions WithAfterEvent(RunActions out, Instant now);  // `out`, then AfterEvent(now)
  RunActions Schedule(Instant now);
  void SettleKeys(Instant now, RunActions& out);
  RunActions Finish(Instant now);
  KeyState& KeyFor(const std::string& key);
  bool Held(const std::string& instrument, MonoTime now) const;
  bool InScope(const kite::Position& p) const;
  void Log(RunActions& out, int level, std::string text) const;
  // run_machine_orders.cc
  // The slice whose current order carries `tag` (an answer for an older attempt finds none).
  std::optional<size_t> SliceWithTag(const std::string& tag) const;
  RunActions SeeOrder(const kite::Order& order, Instant now);
  RunActions SeeTraderOrder(const kite::Order& order, Instant now);
  RunActions SeeOrphan(const kite::Order& order, const std::string& tag, Instant now);
  RunActions CancelTraderOrders(Instant now, bool only_held);
  RunActions DeleteGtts(Instant now);
  void ReleaseHolds(Instant now);
  bool CancelsSettled() const;
  bool WantBook() const;
  bool WantPositions() const;

  JournaledSquareOff so_;
  RunPolicy policy_;
  FactsBook* facts_;
  Ledger ledger_;
  std::vector<JournaledOrder> foreign_rows_;  // day rows no slice of this run owns
  std::vector<SliceMachine> slices_;
  std::map<std::string, KeyState> keys_;
  std::map<std::string, TraderOrder> trader_orders_;
  std::set<std::string> cancelled_before_;
  std::map<std::string, Hold> holds_;  // by instrument "EX:SYM"
  std::set<std::string> limit_instruments_;
  std::map<std::string, int> walk_by_instrument_;
  std::vector<kite::Gtt> gtts_;
  std::set<long long> gtt_deleted_;
  bool gtts_listed_ = false;
  int next_slice_number_ = 0;
  MonoTime started_{};
  // Reads.
  bool positions_in_flight_ = false, book_in_flight_ = false;
  MonoTime positions_due_{}, book_due_{};
  int positions_failures_ = 0;
  bool read_once_ = false;
  bool book_read_once_ = false;
  std::set<std::string> orphan_cancelled_;  // late orders of ours already cancelled
  std::set<std::string> not_again_noted_;
  MonoTime last_read_started_{};
  std::optional<MonoTime> first_place_at_;
  bool finished_ = false;
  bool dry_run_done_ = false;
};

}  // namespace zm::monitor
