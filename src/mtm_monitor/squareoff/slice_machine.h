// SliceMachine: one exit slice (a quantity of one position, closed by one order at a time)
// from its first attempt to filled, given up or handed back to planning. Pure: every input is
// an event with the time it happened; every output is a list of actions for the driver
// (driver.h) to carry out. No I/O, no clock, no logging of its own.
//
// States:
//   pending     no order of the slice at the broker; the next attempt is due at due_at()
//   sending     the POST of the current attempt is in flight
//   sent        the broker has the order (an order id is known), not terminal yet
//   unknown     the POST's outcome is unknown (timeout, connection lost, 5xx): the order may or
//               may not exist. Never re-sent on absence alone: only once the order book,
//               read successfully again and again for `absence_window` (a failed read restarts
//               the count), never shows the tag, is the slice handed back to planning, which
//               re-reads positions (ledger.h) before anything is sent again
//   resting     OPEN and nothing left to try on it: the price walk reached its cap or stalled
//               (kStalledModifications re-prices without a fill), and the re-placements of
//               fresh orders are used up; it stays at the broker as it is
//   repricing   a modify (LIMIT one step further through the touch) is in flight
//   cancelling  a cancel (to re-place the rest as a marketable LIMIT) was sent
//   filled      done
//   returned    the rest goes back to planning: proven absent, a broker refusal that taught a
//               lot size / freeze limit (the slice must be cut differently), or a resumed order
//               that ended unfilled
//   given_up    failures beyond `max_failures`, or the market is closed
// Attempts are journal rows (journal_types.h): the machine owns them and asks for them to be
// written (kJournal) whenever one changes; a kPlace row must be journaled before it is sent.
// Not thread-safe; one owner.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/kite/models.h"
#include "common/status.h"
#include "mtm_monitor/squareoff/journal_types.h"
#include "mtm_monitor/squareoff/planner.h"
#include "mtm_monitor/squareoff/pricing.h"
#include "mtm_monitor/squareoff/refusals.h"

namespace zm::monitor {

// An instant as both clocks tell it: the monotonic one for timings, the wall one (epoch ms) for
// what is persisted.
struct Instant {
  MonoTime mono{};
  long long wall_ms = 0;
};

struct SliceTuning {
  MonoDuration rest_timeout = std::chrono::milliseconds(2000);      // OPEN this long = resting
  MonoDuration reprice_interval = std::chrono::milliseconds(1000);  // between two re-prices
  MonoDuration absence_window = std::chrono::seconds(10);  // unknown + absent this long = absent
  int min_absent_reads = 2;  // successful book reads without the tag, at least
  MonoDuration cancel_wait = std::chrono::seconds(5);  // a cancel not final by then is re-sent
  int max_failures = 3;                                // risk_management.max_order_retries
  MonoDuration retry_delay = std::chrono::seconds(2);  // risk_management.order_retry_delay
  int max_rate_limits = 20;    // 429s per slice before they count as one failure
  int max_replaces = 10;       // cancel + re-place of a resting order
  int max_modifications = 25;  // Kite's limit per order
  PriceWalk walk;
  double market_protection = -1;  // risk_management.market_protection
};

// Names: kSliceStateNames in slice_machine.cc, in this order (common/enum_names.h).
enum class SliceState {
  kPending,
  kSending,
  kSent,
  kUnknown,
  kResting,
  kRepricing,
  kCancelling,
  kFilled,
  kReturned,
  kGivenUp,
  kMaxValue = kGivenUp,
};
const char* SliceStateName(SliceState state);

enum class ReturnReason { kNone, kAbsent, kLearnt, kResumed, kReplanned };

struct SliceAction {
  enum class Kind {
    kPlace,     // journal `row` (state journaled), then send it (LIMIT: price it first)
    kModify,    // re-price order `order_id` of `row` at `walk_step`
    kCancel,    // cancel order `order_id` of `row`
    kJournal,   // `row` changed: persist it
    kReadBook,  // an order book read is wanted soon
    kLearn,     // the broker named a fact: fold `refusal` into the instrument facts
    kNote,      // a line worth logging (`text`); `warn` for the ones that matter
  };
  Kind kind = Kind::kNote;
  JournaledOrder row;
  std::string order_id;
  int walk_step = 0;
  Refusal refusal;
  std::string text;
  bool warn = false;
};
using SliceActions = std::vector<SliceAction>;

// What the driver got for a kPlace. `sent` false: nothing reached the broker (no price to send
// a LIMIT with, the pacer's day budget spent): the status says why.
struct PlaceAnswer {
  Status status;
  std::vector<std::string> order_ids;  // accepted: the order id (autoslice: every child's)
  double price = 0;                    // the LIMIT price sent
  bool sent = true;
};

struct ModifyAnswer {
  Status status;
  double price = 0;      // the price sent
  bool skipped = false;  // the new price equalled the old one: nothing was sent
};

struct SliceSetup {
  long long squareoff_id = 0;
  int round = 1;
  int slice_number = 0;
  PlannedSlice plan;
  bool use_limit = false;  // MARKET already refused for this instrument
  int walk_step = 0;       // where the price walk of this instrument stands
};

// The order is the one journaled in `row` (its tag in `tag` or `tags[]`, or its order id).
bool OrderMatchesRow(const kite::Order& order, const JournaledOrder& row);
// Folds a broker row of that order into a journal row that no live slice tracks any more (an
// order that showed up late, or one of an earlier square-off): state, status and fills
// (autoslice children add up by order id). True when the row changed.
bool ApplyLateOrder(const kite::Order& order, long long now_ms, JournaledOrder& row);

class SliceMachine {
 public:
  SliceMachine(SliceSetup setup, const SliceTuning& tuning, Instant now);
  // A live journal row found after a restart: tracked to its end, never re-sent (the rest goes
  // back to planning, which re-reads positions first).
  static SliceMachine Resume(const JournaledOrder& row, const SliceTuning& tuning, Instant now);

  SliceActions OnTimer(Instant now);
  SliceActions OnPlaceAnswer(const PlaceAnswer& answer, Instant now);
  // A row of the order book or a WebSocket order update carrying this slice's current tag or
  // one of its order ids.
  SliceActions OnOrderSeen(const kite::Order& order, Instant now);
  // Called once per order book read, after OnOrderSeen() for the rows of that read.
  SliceActions OnBookRead(bool success, Instant now);
  SliceActions OnModifyAnswer(const ModifyAnswer& answer, Instant now);
  SliceActions OnCancelAnswer(const std::string& order_id, const Status& status, Instant now);
  // A final slice's attempt showed up after all (e.g. a POST that timed out created its order
  // later than the absence window): its row takes the broker's state and fills, so that the
  // ledger accounts them. True in *live when the order is still open (the caller cancels it).
  SliceActions OnLateOrder(const kite::Order& order, Instant now, bool* live);
  bool OwnsAnyAttempt(const kite::Order& order) const;

  SliceState state() const { return state_; }
  bool final() const {
    return state_ == SliceState::kFilled || state_ == SliceState::kReturned ||
           state_ == SliceState::kGivenUp;
  }
  // Orders of the slice may still change at the broker.
  bool in_flight() const { return !final() && state_ != SliceState::kPending; }
  ReturnReason return_reason() const { return return_reason_; }
  // The planner took over the rest of a kLearnt return (so it is re-planned only once).
  void ConsumeReturn() { return_reason_ = ReturnReason::kReplanned; }
  bool market_closed() const { return market_closed_; }
  MonoTime next_wakeup() const;
  long long remaining() const;  // of the slice's quantity, not filled by any attempt
  int slice_number() const { return setup_.slice_number; }
  const SliceSetup& setup() const { return setup_; }
  const std::vector<JournaledOrder>& attempts() const { return attempts_; }
  const JournaledOrder* current() const { return attempts_.empty() ? nullptr : &attempts_.back(); }
  bool OwnsOrder(const kite::Order& order) const;
  const std::string& last_error() const { return last_error_; }
  bool use_limit() const { return use_limit_; }
  int walk_step() const { return walk_step_; }

 private:
  SliceActions Place(Instant now);
  SliceActions AttemptEnded(Instant now);
  SliceActions Refused(const Refusal& refusal, const std::string& message, Instant now);
  SliceActions Failed(const std::string& why, Instant now);
  SliceActions Return(ReturnReason reason, const std::string& why, Instant now);
  SliceActions Resting(Instant now);
  SliceAction Journal(Instant now);
  JournaledOrder& row() { return attempts_.back(); }
  std::vector<std::string> LiveOrderIds() const;

  SliceSetup setup_;
  SliceTuning tuning_;
  SliceState state_ = SliceState::kPending;
  ReturnReason return_reason_ = ReturnReason::kNone;
  std::vector<JournaledOrder> attempts_;
  std::vector<kite::Order> children_;  // the broker's rows of the current attempt, by order id
  long long filled_before_ = 0;        // by attempts that ended
  int next_attempt_ = 0;
  bool use_limit_ = false;
  bool resume_only_ = false;
  int walk_step_ = 0;
  int failures_ = 0, rate_limits_ = 0, replaces_ = 0, cancels_sent_ = 0;
  bool cancel_requested_ = false;
  bool seen_in_read_ = false;
  bool noted_cap_ = false;
  int modifications_at_last_fill_ = 0;
  static constexpr int kStalledModifications = 5;
  bool market_closed_ = false;
  MonoTime due_at_{};
  MonoTime live_since_{}, last_touch_{}, cancel_sent_at_{};
  std::optional<MonoTime> absent_since_;
  int absent_reads_ = 0;
  std::string last_error_;
};

}  // namespace zm::monitor
