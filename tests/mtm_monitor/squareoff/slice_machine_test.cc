// SliceMachine: every transition from a table of cases (broker answers of every class, book
// rows of every status, timers), plus the unknown-outcome rules that keep an exit exactly-once.
#include "mtm_monitor/squareoff/slice_machine.h"

#include <gtest/gtest.h>

#include <functional>

namespace zm::monitor {
namespace {

using std::chrono::milliseconds;

Instant At(long long ms) { return {MonoTime(milliseconds(ms)), 1'800'000'000'000 + ms}; }

SliceTuning Tuning() {
  SliceTuning t;
  t.rest_timeout = milliseconds(2000);
  t.reprice_interval = milliseconds(1000);
  t.absence_window = milliseconds(10000);
  t.min_absent_reads = 2;
  t.cancel_wait = milliseconds(5000);
  t.max_failures = 3;
  t.retry_delay = milliseconds(100);
  t.max_rate_limits = 5;
  t.max_replaces = 2;
  t.walk = {0.5, 0.5, 10};
  return t;
}

SliceSetup SliceSetupFor(long long quantity = 900, const std::string& side = "BUY") {
  SliceSetup s;
  s.squareoff_id = 7;
  s.round = 1;
  s.slice_number = 3;
  s.plan.exchange = "NFO";
  s.plan.tradingsymbol = "BANKNIFTY26DEC52000CE";
  s.plan.product = "NRML";
  s.plan.transaction_type = side;
  s.plan.quantity = quantity;
  s.plan.lot_size = 35;
  s.plan.tick_size = 0.05;
  return s;
}

bool Has(const SliceActions& actions, SliceAction::Kind kind) {
  for (const auto& a : actions) {
    if (a.kind == kind) return true;
  }
  return false;
}

const SliceAction* Find(const SliceActions& actions, SliceAction::Kind kind) {
  for (const auto& a : actions) {
    if (a.kind == kind) return &a;
  }
  return nullptr;
}

Status Answer(StatusCode code, int http, const std::string& type, const std::string& message) {
  Status s(code, message);
  if (http) s.WithHttp(http, type);
  return s;
}

kite::Order BookRow(const std::string& tag, const std::string& status, long long filled,
                    long long quantity = 900, const std::string& message = "") {
  kite::Order o;
  o.order_id = "250000000000001";
  o.tag = tag;
  o.status = status;
  o.quantity = quantity;
  o.filled_quantity = filled;
  o.pending_quantity = quantity - filled;
  o.status_message = message;
  o.average_price = filled > 0 ? 310 : 0;
  return o;
}

// A machine that has sent its first attempt (state sending).
struct Sending {
  SliceMachine machine{SliceSetupFor(), Tuning(), At(0)};
  SliceActions first;
  std::string tag;
  Sending() {
    first = machine.OnTimer(At(0));
    tag = machine.current()->tag;
  }
};

TEST(SliceMachineTest, FirstTimerPlacesAMarketAttemptWithItsTag) {
  Sending s;
  ASSERT_EQ(s.first.size(), 1u);
  EXPECT_EQ(s.first[0].kind, SliceAction::Kind::kPlace);
  const JournaledOrder& row = s.first[0].row;
  EXPECT_EQ(row.tag,
            "ZM00007003"
            "00");
  EXPECT_EQ(row.order_type, "MARKET");
  EXPECT_EQ(row.market_protection, -1);
  EXPECT_EQ(row.quantity, 900);
  EXPECT_EQ(row.state, order_state::kJournaled);
  EXPECT_EQ(s.machine.state(), SliceState::kSending);
  EXPECT_TRUE(s.machine.in_flight());
}

struct AnswerCase {
  const char* name;
  Status status;
  bool sent;
  SliceState state;
  const char* row_state;
  bool learns;
  bool reads_book;
  bool due_now;  // kPending and an attempt due at once (no backoff)
};

TEST(SliceMachineTest, PlaceAnswersOfEveryClass) {
  const AnswerCase cases[] = {
      {"accepted", Status::Ok(), true, SliceState::kSent, order_state::kPlaced, false, false,
       false},
      {"timeout", Answer(StatusCode::kTimeout, 0, "", "read timed out"), true, SliceState::kUnknown,
       order_state::kJournaled, false, true, false},
      {"connection lost", Answer(StatusCode::kConnectionLost, 0, "", "eof"), true,
       SliceState::kUnknown, order_state::kJournaled, false, true, false},
      {"503", Answer(StatusCode::kBroker, 503, "NetworkException", "Service unavailable"), true,
       SliceState::kUnknown, order_state::kJournaled, false, true, false},
      {"500", Answer(StatusCode::kBroker, 500, "GeneralException", "oops"), true,
       SliceState::kUnknown, order_state::kJournaled, false, true, false},
      {"429", Answer(StatusCode::kRateLimited, 429, "NetworkException", "Too many requests"), true,
       SliceState::kPending, order_state::kNotSent, false, false, true},
      {"market refused",
       Answer(StatusCode::kBroker, 400, "InputException",
              "RMS:Rule: Market orders are blocked for stock option contracts."),
       true, SliceState::kPending, order_state::kNotSent, false, false, true},
      {"lot size",
       Answer(StatusCode::kBroker, 400, "InputException",
              "Quantity should be a multiple of lot size. Lot size for this instrument is 35."),
       true, SliceState::kReturned, order_state::kNotSent, true, false, false},
      {"freeze with numbers",
       Answer(StatusCode::kBroker, 400, "InputException",
              "The order quantity 1050 (30 lots) is higher than the maximum quantity of 875 (25 "
              "lots) allowed by the exchanges."),
       true, SliceState::kReturned, order_state::kNotSent, true, false, false},
      {"freeze without numbers",
       Answer(StatusCode::kBroker, 400, "InputException", "Quantity freeze limit exceeded."), true,
       SliceState::kReturned, order_state::kNotSent, true, false, false},
      {"tick size",
       Answer(StatusCode::kBroker, 400, "InputException", "Tick size for this script is 0.10."),
       true, SliceState::kPending, order_state::kNotSent, true, false, true},
      {"circuit",
       Answer(StatusCode::kBroker, 400, "InputException",
              "Your order price is lower than the current lower circuit limit of 248.00."),
       true, SliceState::kPending, order_state::kNotSent, true, false, false},
      {"market closed",
       Answer(StatusCode::kBroker, 400, "InputException",
              "Markets are closed right now. Use GTT for placing long standing orders instead."),
       true, SliceState::kGivenUp, order_state::kNotSent, false, false, false},
      {"token", Answer(StatusCode::kToken, 403, "TokenException", "Incorrect access_token"), true,
       SliceState::kPending, order_state::kNotSent, false, false, false},
      {"margin", Answer(StatusCode::kBroker, 400, "MarginException", "Insufficient funds."), true,
       SliceState::kPending, order_state::kNotSent, false, false, false},
      {"connect failed", Answer(StatusCode::kConnectFailed, 0, "", "connection refused"), true,
       SliceState::kPending, order_state::kNotSent, false, false, false},
      {"not sent (no price)", InvalidArgument("no depth or last price"), false,
       SliceState::kPending, order_state::kNotSent, false, false, false},
  };
  for (const AnswerCase& c : cases) {
    SCOPED_TRACE(c.name);
    Sending s;
    PlaceAnswer answer;
    answer.status = c.status;
    answer.sent = c.sent;
    if (c.status.ok()) answer.order_ids = {"250000000000001"};
    SliceActions out = s.machine.OnPlaceAnswer(answer, At(100));
    EXPECT_EQ(s.machine.state(), c.state) << SliceStateName(s.machine.state());
    EXPECT_EQ(s.machine.current()->state, c.row_state);
    EXPECT_TRUE(Has(out, SliceAction::Kind::kJournal)) << "every answer is journaled";
    EXPECT_EQ(Has(out, SliceAction::Kind::kLearn), c.learns);
    EXPECT_EQ(Has(out, SliceAction::Kind::kReadBook), c.reads_book);
    if (c.state == SliceState::kPending) {
      EXPECT_EQ(s.machine.next_wakeup() == At(100).mono, c.due_now);
      EXPECT_FALSE(s.machine.in_flight());
    }
  }
}

TEST(SliceMachineTest, MarketRefusalSwitchesTheNextAttemptToLimit) {
  Sending s;
  PlaceAnswer refused;
  refused.status = Answer(StatusCode::kBroker, 400, "InputException",
                          "Market orders are not allowed for this contract. Place a limit order.");
  s.machine.OnPlaceAnswer(refused, At(50));
  SliceActions next = s.machine.OnTimer(At(50));
  const SliceAction* place = Find(next, SliceAction::Kind::kPlace);
  ASSERT_NE(place, nullptr);
  EXPECT_EQ(place->row.order_type, "LIMIT");
  EXPECT_EQ(place->row.market_protection, 0);
  EXPECT_EQ(place->row.attempt, 1);
  EXPECT_NE(place->row.tag, s.tag);
}

TEST(SliceMachineTest, FailuresBackOffThenGiveUp) {
  Sending s;
  PlaceAnswer margin;
  margin.status = Answer(StatusCode::kBroker, 400, "MarginException", "Insufficient funds.");
  long long t = 0;
  for (int failure = 1; failure <= 3; ++failure) {
    s.machine.OnPlaceAnswer(margin, At(t));
    ASSERT_EQ(s.machine.state(), SliceState::kPending) << failure;
    const auto delay = s.machine.next_wakeup() - At(t).mono;
    EXPECT_EQ(delay, milliseconds(100 << (failure - 1))) << "retry_delay * 2^(n-1)";
    EXPECT_TRUE(s.machine.OnTimer({s.machine.next_wakeup() - milliseconds(1), 0}).empty());
    t = std::chrono::duration_cast<milliseconds>(s.machine.next_wakeup().time_since_epoch())
            .count();
    ASSERT_TRUE(Has(s.machine.OnTimer(At(t)), SliceAction::Kind::kPlace));
  }
  SliceActions out = s.machine.OnPlaceAnswer(margin, At(t));
  EXPECT_EQ(s.machine.state(), SliceState::kGivenUp);
  EXPECT_TRUE(s.machine.final());
  EXPECT_TRUE(Has(out, SliceAction::Kind::kNote));
}

TEST(SliceMachineTest, RateLimitsAreNotFailuresUntilTheirCap) {
  Sending s;
  PlaceAnswer limited;
  limited.status = Answer(StatusCode::kRateLimited, 429, "NetworkException", "Too many requests");
  for (int i = 0; i < 5; ++i) {
    s.machine.OnPlaceAnswer(limited, At(i * 10));
    ASSERT_EQ(s.machine.next_wakeup(), At(i * 10).mono);
    s.machine.OnTimer(At(i * 10));
  }
  s.machine.OnPlaceAnswer(limited, At(60));  // the 6th: now one failure, with its backoff
  EXPECT_EQ(s.machine.state(), SliceState::kPending);
  EXPECT_EQ(s.machine.next_wakeup(), At(160).mono);
}

TEST(SliceMachineTest, OrderStatusesFromTheBook) {
  struct Case {
    const char* name;
    const char* status;
    long long filled;
    const char* message;
    SliceState state;
  };
  const Case cases[] = {
      {"put order req received", "PUT ORDER REQ RECEIVED", 0, "", SliceState::kSent},
      {"validation pending", "VALIDATION PENDING", 0, "", SliceState::kSent},
      {"open pending", "OPEN PENDING", 0, "", SliceState::kSent},
      {"open", "OPEN", 0, "", SliceState::kSent},
      {"open partly filled", "OPEN", 350, "", SliceState::kSent},
      {"unknown status string", "SOMETHING NEW", 0, "", SliceState::kSent},
      {"complete", "COMPLETE", 900, "", SliceState::kFilled},
      {"rejected, lot size", "REJECTED", 0,
       "Quantity should be a multiple of lot size. Lot size for this instrument is 30.",
       SliceState::kReturned},
      {"rejected, market blocked", "REJECTED", 0,
       "RMS:Rule: Market orders are blocked for stock option contracts. Place a limit order.",
       SliceState::kPending},
      {"rejected, other", "REJECTED", 0, "RMS:Margin Exceeds", SliceState::kPending},
      {"cancelled by someone else", "CANCELLED", 0, "", SliceState::kPending},
      {"cancelled partly filled", "CANCELLED", 350, "", SliceState::kPending},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Sending s;
    PlaceAnswer ok;
    ok.order_ids = {"250000000000001"};
    s.machine.OnPlaceAnswer(ok, At(50));
    s.machine.OnOrderSeen(BookRow(s.tag, c.status, c.filled, 900, c.message), At(100));
    EXPECT_EQ(s.machine.state(), c.state) << SliceStateName(s.machine.state());
    EXPECT_EQ(s.machine.remaining(), 900 - c.filled);
  }
}

TEST(SliceMachineTest, TagOnlyInTagsArrayStillMatches) {
  Sending s;
  kite::Order row = BookRow("", "COMPLETE", 900);
  row.order_id = "999";
  row.tags = {"mktp", "mktp:2.00", s.tag};
  EXPECT_TRUE(s.machine.OwnsOrder(row));
  s.machine.OnOrderSeen(row, At(100));
  EXPECT_EQ(s.machine.state(), SliceState::kFilled);
  EXPECT_EQ(s.machine.current()->order_id, "999");
}

TEST(SliceMachineTest, AnOrderSeenBeforeItsAnswerIsKeptAndTheAnswerOnlyAddsIds) {
  Sending s;
  s.machine.OnOrderSeen(BookRow(s.tag, "COMPLETE", 900), At(30));
  EXPECT_EQ(s.machine.state(), SliceState::kFilled);
  PlaceAnswer late_timeout;
  late_timeout.status = Answer(StatusCode::kTimeout, 0, "", "timed out");
  SliceActions out = s.machine.OnPlaceAnswer(late_timeout, At(80));
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(s.machine.state(), SliceState::kFilled);
}

TEST(SliceMachineTest, UnknownOutcomeIsNeverResentOnAbsenceAlone) {
  Sending s;
  PlaceAnswer timeout;
  timeout.status = Answer(StatusCode::kTimeout, 0, "", "timed out");
  s.machine.OnPlaceAnswer(timeout, At(100));
  ASSERT_EQ(s.machine.state(), SliceState::kUnknown);
  // Absent from successful reads for 9 s: still unknown, and nothing is sent on timers.
  for (long long t = 1000; t <= 9000; t += 1000) {
    EXPECT_TRUE(s.machine.OnBookRead(true, At(t)).empty());
    EXPECT_TRUE(s.machine.OnTimer(At(t)).empty());
  }
  EXPECT_EQ(s.machine.state(), SliceState::kUnknown);
  // A failed read restarts the window: 10 s after the first absent read is not enough now.
  s.machine.OnBookRead(false, At(9500));
  s.machine.OnBookRead(true, At(10000));
  s.machine.OnBookRead(true, At(12000));
  EXPECT_EQ(s.machine.state(), SliceState::kUnknown);
  s.machine.OnBookRead(true, At(19999));
  EXPECT_EQ(s.machine.state(), SliceState::kUnknown);
  SliceActions out = s.machine.OnBookRead(true, At(20000));
  EXPECT_EQ(s.machine.state(), SliceState::kReturned);
  EXPECT_EQ(s.machine.return_reason(), ReturnReason::kAbsent);
  EXPECT_EQ(s.machine.current()->state, order_state::kNotSent);
  EXPECT_FALSE(Has(out, SliceAction::Kind::kPlace)) << "never re-sent by the slice itself";
  EXPECT_EQ(s.machine.remaining(), 900);
}

TEST(SliceMachineTest, UnknownOutcomeFoundInTheBookIsTrackedNotResent) {
  Sending s;
  PlaceAnswer timeout;
  timeout.status = Answer(StatusCode::kConnectionLost, 0, "", "eof");
  s.machine.OnPlaceAnswer(timeout, At(100));
  s.machine.OnBookRead(true, At(500));
  s.machine.OnOrderSeen(BookRow(s.tag, "OPEN PENDING", 0), At(900));
  EXPECT_TRUE(s.machine.OnBookRead(true, At(900)).empty());
  EXPECT_EQ(s.machine.state(), SliceState::kSent);
  EXPECT_EQ(s.machine.current()->state, order_state::kPlaced);
  s.machine.OnOrderSeen(BookRow(s.tag, "COMPLETE", 900), At(1200));
  EXPECT_EQ(s.machine.state(), SliceState::kFilled);
}

TEST(SliceMachineTest, RestingMarketIsCancelledThenReplacedAsLimitFurtherThrough) {
  Sending s;
  PlaceAnswer ok;
  ok.order_ids = {"250000000000001"};
  s.machine.OnPlaceAnswer(ok, At(0));
  s.machine.OnOrderSeen(BookRow(s.tag, "OPEN", 0), At(100));
  EXPECT_TRUE(s.machine.OnTimer(At(1999)).empty());
  SliceActions cancel = s.machine.OnTimer(At(2000));
  const SliceAction* c = Find(cancel, SliceAction::Kind::kCancel);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->order_id, "250000000000001");
  EXPECT_EQ(s.machine.state(), SliceState::kCancelling);
  s.machine.OnCancelAnswer("250000000000001", Status::Ok(), At(2100));
  s.machine.OnOrderSeen(BookRow(s.tag, "CANCELLED", 0), At(2200));
  ASSERT_EQ(s.machine.state(), SliceState::kPending);
  SliceActions next = s.machine.OnTimer(At(2200));
  const SliceAction* place = Find(next, SliceAction::Kind::kPlace);
  ASSERT_NE(place, nullptr);
  EXPECT_EQ(place->row.order_type, "LIMIT");
  EXPECT_EQ(place->walk_step, 1);
  EXPECT_EQ(place->row.attempt, 1);
}

TEST(SliceMachineTest, RestingLimitWalksOnAcrossFreshOrdersUntilItIsUsedUp) {
  SliceSetup setup = SliceSetupFor();
  setup.use_limit = true;
  SliceMachine m(setup, Tuning(), At(0));  // max_replaces 2
  m.OnTimer(At(0));
  std::string tag = m.current()->tag;
  PlaceAnswer ok;
  ok.order_ids = {"250000000000001"};
  m.OnPlaceAnswer(ok, At(0));
  m.OnOrderSeen(BookRow(tag, "OPEN", 0), At(10));
  int modifies = 0, replaces = 0, last_walk = 0;
  for (int i = 0; i < 100; ++i) {
    const MonoTime wake = m.next_wakeup();
    if (wake == MonoTime::max()) break;
    EXPECT_TRUE(m.OnTimer({wake - milliseconds(1), 0}).empty()) << "not before its time";
    SliceActions out = m.OnTimer({wake, 0});
    const Instant later{wake + milliseconds(10), 0};
    if (const SliceAction* modify = Find(out, SliceAction::Kind::kModify)) {
      EXPECT_EQ(modify->walk_step, last_walk + 1);
      last_walk = modify->walk_step;
      ++modifies;
      m.OnModifyAnswer({Status::Ok(), 310.0 + modifies, false}, later);
    } else if (Find(out, SliceAction::Kind::kCancel) != nullptr) {
      m.OnOrderSeen(BookRow(tag, "CANCELLED", 0), later);
      SliceActions placed = m.OnTimer(later);
      const SliceAction* place = Find(placed, SliceAction::Kind::kPlace);
      ASSERT_NE(place, nullptr);
      EXPECT_EQ(place->walk_step, last_walk + 1) << "a fresh order goes further, not back";
      last_walk = place->walk_step;
      ++replaces;
      tag = m.current()->tag;
      m.OnPlaceAnswer(ok, later);
      m.OnOrderSeen(BookRow(tag, "OPEN", 0), later);
    } else {
      break;
    }
  }
  // 5 re-prices without a fill make a fresh order; 2 fresh orders, then it rests as it is.
  EXPECT_EQ(replaces, 2);
  EXPECT_EQ(modifies, 15);
  EXPECT_EQ(m.state(), SliceState::kResting);
  EXPECT_FALSE(m.final());
  EXPECT_EQ(m.attempts().size(), 3u);
}

TEST(SliceMachineTest, KiteModificationLimitEndsTheOrderNotTheWalk) {
  SliceSetup setup = SliceSetupFor();
  setup.use_limit = true;
  SliceTuning tuning = Tuning();
  tuning.max_modifications = 2;
  SliceMachine m(setup, tuning, At(0));
  m.OnTimer(At(0));
  const std::string tag = m.current()->tag;
  PlaceAnswer ok;
  ok.order_ids = {"250000000000001"};
  m.OnPlaceAnswer(ok, At(0));
  m.OnOrderSeen(BookRow(tag, "OPEN", 0), At(10));
  for (int i = 0; i < 2; ++i) {
    const MonoTime wake = m.next_wakeup();
    ASSERT_TRUE(Has(m.OnTimer({wake, 0}), SliceAction::Kind::kModify));
    m.OnModifyAnswer({Status::Ok(), 311, false}, {wake + milliseconds(1), 0});
  }
  SliceActions out = m.OnTimer({m.next_wakeup(), 0});
  EXPECT_TRUE(Has(out, SliceAction::Kind::kCancel));
  m.OnOrderSeen(BookRow(tag, "CANCELLED", 0), At(9100));
  SliceActions next = m.OnTimer(At(9100));
  const SliceAction* place = Find(next, SliceAction::Kind::kPlace);
  ASSERT_NE(place, nullptr);
  EXPECT_EQ(place->walk_step, 3) << "the walk goes on across re-placements";
}

TEST(SliceMachineTest, ResumedUnknownRowEndsInPlanningWhenItEndsUnfilled) {
  JournaledOrder row;
  row.tag = "ZM0000700300";
  row.squareoff_id = 7;
  row.slice = 3;
  row.exchange = "NFO";
  row.tradingsymbol = "X";
  row.product = "NRML";
  row.transaction_type = "SELL";
  row.quantity = 75;
  row.state = order_state::kJournaled;
  SliceMachine m = SliceMachine::Resume(row, Tuning(), At(0));
  EXPECT_EQ(m.state(), SliceState::kUnknown);
  EXPECT_TRUE(m.OnTimer(At(5000)).empty());
  m.OnOrderSeen(BookRow(row.tag, "CANCELLED", 25, 75), At(6000));
  EXPECT_EQ(m.state(), SliceState::kReturned);
  EXPECT_EQ(m.return_reason(), ReturnReason::kResumed);
  EXPECT_EQ(m.remaining(), 50);
  row.state = order_state::kPlaced;
  SliceMachine placed = SliceMachine::Resume(row, Tuning(), At(0));
  EXPECT_EQ(placed.state(), SliceState::kSent);
}

TEST(SliceMachineTest, LateOrderOfAFinishedSliceUpdatesItsRow) {
  Sending s;
  PlaceAnswer timeout;
  timeout.status = Answer(StatusCode::kTimeout, 0, "", "timed out");
  s.machine.OnPlaceAnswer(timeout, At(0));
  for (long long t = 1000; t <= 12000; t += 1000) s.machine.OnBookRead(true, At(t));
  ASSERT_EQ(s.machine.state(), SliceState::kReturned);
  bool live = false;
  SliceActions out = s.machine.OnLateOrder(BookRow(s.tag, "COMPLETE", 900), At(13000), &live);
  EXPECT_FALSE(live);
  ASSERT_TRUE(Has(out, SliceAction::Kind::kJournal));
  EXPECT_EQ(s.machine.attempts()[0].state, order_state::kComplete);
  EXPECT_EQ(s.machine.attempts()[0].filled_quantity, 900);
  EXPECT_EQ(s.machine.attempts()[0].filled_at_ms, At(13000).wall_ms);
}

TEST(SliceMachineTest, AutoslicedAttemptEndsWhenEveryChildEnded) {
  SliceSetup setup = SliceSetupFor(1800);
  setup.plan.autoslice = true;
  SliceMachine m(setup, Tuning(), At(0));
  SliceActions placed = m.OnTimer(At(0));
  ASSERT_TRUE(Find(placed, SliceAction::Kind::kPlace)->row.autoslice);
  const std::string tag = m.current()->tag;
  PlaceAnswer ok;
  ok.order_ids = {"A"};
  m.OnPlaceAnswer(ok, At(10));
  kite::Order a = BookRow(tag, "COMPLETE", 875, 875);
  a.order_id = "A";
  kite::Order b = BookRow(tag, "OPEN", 0, 875);
  b.order_id = "B";
  kite::Order c = BookRow(tag, "COMPLETE", 50, 50);
  c.order_id = "C";
  m.OnOrderSeen(a, At(20));
  m.OnOrderSeen(b, At(20));
  m.OnOrderSeen(c, At(20));
  EXPECT_EQ(m.state(), SliceState::kSent);
  EXPECT_EQ(m.remaining(), 875);
  b.status = "COMPLETE";
  b.filled_quantity = 875;
  m.OnOrderSeen(b, At(30));
  EXPECT_EQ(m.state(), SliceState::kFilled);
  EXPECT_EQ(m.current()->child_ids.size(), 3u);
}

}  // namespace
}  // namespace zm::monitor
