// TriggerPolicy: every trigger, the lock and its episodes, alert-only, dry-run, engine busy.
#include <gtest/gtest.h>

#include "common/ist.h"
#include "mtm_monitor/trigger_policy.h"

namespace zm::monitor {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

// 2026-11-26 05:30:00 IST = 00:00:00 UTC; At(h, m, s) is that day's IST wall clock.
SysTime At(int hour, int minute, int second = 0) {
  return FromEpochMs(1795651200000LL) + std::chrono::hours(hour - 5) + minutes(minute - 30) +
         seconds(second);
}

class PolicyTest : public ::testing::Test {
 protected:
  PolicyTest() {
    trading_.mtm_loss_threshold = -1000;
    trading_.daily_max_profit_target = 2000;
    state_ = FreshDay(IstDate(At(10, 0)));
  }
  PolicyDecision Step(double mtm, int open, SysTime now, bool busy = false) {
    PolicyResult r = EvaluateTriggers(state_, {mtm, open, now, busy, {}}, trading_, risk_);
    state_ = r.state;
    return r.decision;
  }
  TradingConfig trading_;
  RiskConfig risk_;
  DailyState state_;
};

TEST_F(PolicyTest, DateIsTenOClockIst) {
  EXPECT_EQ(IstDate(At(10, 0)), "2026-11-26");
  EXPECT_EQ(IstMinuteOfDay(At(10, 0)), 600);
}

TEST_F(PolicyTest, InsideBandDoesNothingAndTracksMax) {
  EXPECT_EQ(Step(100, 2, At(10, 0)).action, Action::kNone);
  EXPECT_EQ(Step(500, 2, At(10, 1)).action, Action::kNone);
  EXPECT_EQ(Step(-999.99, 2, At(10, 2)).action, Action::kNone);
  EXPECT_DOUBLE_EQ(state_.max_mtm, 500);
  EXPECT_DOUBLE_EQ(state_.last_mtm, -999.99);
  EXPECT_EQ(state_.lock, DayLock::kNone);
  EXPECT_TRUE(state_.triggers.empty());
  EXPECT_EQ(MonitorStateName(state_, false, risk_), "monitoring");
}

TEST_F(PolicyTest, MaxStartsAtFirstMtmEvenIfNegative) {
  Step(-300, 1, At(10, 0));
  EXPECT_DOUBLE_EQ(state_.max_mtm, -300);
  EXPECT_TRUE(state_.has_mtm);
}

TEST_F(PolicyTest, LossAtThresholdSquaresOffAndLocks) {
  auto d = Step(-1000, 3, At(10, 0));
  EXPECT_EQ(d.action, Action::kSquareOff);
  EXPECT_EQ(d.reason, "loss");
  EXPECT_TRUE(d.new_trigger);
  EXPECT_EQ(state_.lock, DayLock::kLoss);
  ASSERT_EQ(state_.triggers.size(), 1u);
  EXPECT_EQ(state_.triggers[0].action, "square_off");
  EXPECT_EQ(MonitorStateName(state_, false, risk_), "locked_after_loss");
}

TEST_F(PolicyTest, TargetAtThresholdSquaresOffAndLocks) {
  auto d = Step(2000, 1, At(10, 0));
  EXPECT_EQ(d.action, Action::kSquareOff);
  EXPECT_EQ(d.reason, "target");
  EXPECT_EQ(state_.lock, DayLock::kTarget);
  EXPECT_EQ(MonitorStateName(state_, false, risk_), "locked_after_target");
}

TEST_F(PolicyTest, JustBelowTargetDoesNothing) {
  EXPECT_EQ(Step(1999.99, 1, At(10, 0)).action, Action::kNone);
}

TEST_F(PolicyTest, LockedDaySquaresOffNewPositionsAfterGap) {
  Step(2100, 1, At(10, 0));
  state_.last_squareoff_finished_ms = ToEpochMs(At(10, 0, 5));
  EXPECT_EQ(Step(2100, 0, At(10, 0, 6)).action, Action::kNone);  // flat: nothing to do
  // A manual trade 1 s after the square-off finished: waits for the gap.
  EXPECT_EQ(Step(2100, 1, At(10, 0, 6)).action, Action::kNone);
  auto d = Step(1500, 1, At(10, 0, 8));  // MTM back under target: still locked
  EXPECT_EQ(d.action, Action::kSquareOff);
  EXPECT_EQ(d.reason, "locked");
  EXPECT_FALSE(d.new_trigger);
}

TEST_F(PolicyTest, RealisedLossWithNothingOpenLocksWithoutAction) {
  auto d = Step(-1500, 0, At(10, 0));
  EXPECT_EQ(d.action, Action::kNone);
  EXPECT_TRUE(d.new_trigger);
  EXPECT_EQ(state_.lock, DayLock::kLoss);
  ASSERT_EQ(state_.triggers.size(), 1u);
  EXPECT_EQ(state_.triggers[0].action, "none");
  auto next = Step(-1500, 1, At(10, 5));  // a new position later: squared off
  EXPECT_EQ(next.action, Action::kSquareOff);
  EXPECT_EQ(next.reason, "locked");
}

TEST_F(PolicyTest, LossWinsOverTimeWhenBothHold) {
  trading_.square_off_times["default"] = 9 * 60 + 30;
  EXPECT_EQ(Step(-2000, 1, At(10, 0)).reason, "loss");
}

TEST_F(PolicyTest, EngineBusyStartsNothingButStillLocks) {
  auto d = Step(-5000, 2, At(10, 0), /*busy=*/true);
  EXPECT_EQ(d.action, Action::kNone);
  EXPECT_TRUE(d.new_trigger);
  EXPECT_EQ(state_.lock, DayLock::kLoss);
  ASSERT_EQ(state_.triggers.size(), 1u);
  EXPECT_EQ(state_.triggers[0].action, "none");
  EXPECT_EQ(MonitorStateName(state_, true, risk_), "squaring_off");
  EXPECT_EQ(Step(-5000, 2, At(10, 0, 1)).action, Action::kSquareOff);  // engine free again
}

TEST_F(PolicyTest, TrailingArmsRaisesNeverLowersAndFires) {
  trading_.trailing_profit = {true, 1000, 500, 300};
  trading_.daily_max_profit_target = 100000;
  Step(900, 1, At(10, 0));
  EXPECT_FALSE(state_.trailing_armed);
  EXPECT_FALSE(state_.trailing_floor.has_value());
  Step(1000, 1, At(10, 1));
  EXPECT_TRUE(state_.trailing_armed);
  EXPECT_DOUBLE_EQ(*state_.trailing_floor, 700);  // max(lock_at 500, 1000 - 300)
  Step(1600, 1, At(10, 2));
  EXPECT_DOUBLE_EQ(*state_.trailing_floor, 1300);
  EXPECT_EQ(Step(1400, 1, At(10, 3)).action, Action::kNone);
  EXPECT_DOUBLE_EQ(*state_.trailing_floor, 1300);  // never lowered
  auto d = Step(1300, 1, At(10, 4));
  EXPECT_EQ(d.action, Action::kSquareOff);
  EXPECT_EQ(d.reason, "trailing");
  EXPECT_EQ(state_.lock, DayLock::kTrailing);
  EXPECT_EQ(MonitorStateName(state_, false, risk_), "locked_after_trailing");
}

TEST_F(PolicyTest, TrailingFloorStartsAtLockAtWhenTrailIsWide) {
  trading_.trailing_profit = {true, 1000, 800, 900};
  trading_.daily_max_profit_target = 100000;
  Step(1200, 1, At(10, 0));
  EXPECT_DOUBLE_EQ(*state_.trailing_floor, 800);
  EXPECT_EQ(Step(800.01, 1, At(10, 1)).action, Action::kNone);
  EXPECT_EQ(Step(799, 1, At(10, 2)).reason, "trailing");
}

TEST_F(PolicyTest, TrailingDisabledNeverArms) {
  Step(1900, 1, At(10, 0));
  EXPECT_FALSE(state_.trailing_armed);
  EXPECT_EQ(Step(0, 1, At(10, 1)).action, Action::kNone);
}

TEST_F(PolicyTest, SquareOffTimeFiresAtTheMinute) {
  trading_.square_off_times["default"] = 15 * 60 + 15;
  EXPECT_EQ(Step(10, 1, At(15, 14, 59)).action, Action::kNone);
  auto d = Step(10, 1, At(15, 15, 0));
  EXPECT_EQ(d.reason, "time");
  EXPECT_EQ(state_.lock, DayLock::kTime);
  EXPECT_EQ(MonitorStateName(state_, false, risk_), "locked_after_time");
}

TEST_F(PolicyTest, AlertOnlyAlertsOncePerEpisode) {
  risk_.auto_square_off_enabled = false;
  EXPECT_EQ(MonitorStateName(state_, false, risk_), "alert_only");
  auto d = Step(-1200, 2, At(10, 0));
  EXPECT_EQ(d.action, Action::kAlert);
  EXPECT_EQ(d.reason, "loss");
  for (int i = 1; i <= 5; ++i) EXPECT_EQ(Step(-1200, 2, At(10, 0, i)).action, Action::kNone);
  EXPECT_EQ(Step(-1200, 0, At(10, 1)).action, Action::kNone);  // closed by hand
  auto again = Step(-1200, 1, At(10, 2));                      // a new position
  EXPECT_EQ(again.action, Action::kAlert);
  EXPECT_EQ(again.reason, "locked");
}

TEST_F(PolicyTest, AlertOnlyIgnoresEngineBusy) {
  risk_.auto_square_off_enabled = false;
  EXPECT_EQ(Step(2500, 1, At(10, 0), true).action, Action::kAlert);
}

TEST_F(PolicyTest, DryRunSquaresOffOncePerEpisode) {
  risk_.dry_run = true;
  EXPECT_EQ(MonitorStateName(state_, false, risk_), "dry_run");
  EXPECT_EQ(Step(-1200, 2, At(10, 0)).action, Action::kSquareOff);
  state_.last_squareoff_finished_ms = ToEpochMs(At(10, 0, 1));
  EXPECT_EQ(Step(-1200, 2, At(10, 0, 30)).action, Action::kNone);  // positions still open
}

TEST_F(PolicyTest, RetriggerGapOnlyDelaysLockedReruns) {
  state_.last_squareoff_finished_ms = ToEpochMs(At(10, 0));
  EXPECT_EQ(Step(-1500, 1, At(10, 0, 1)).action, Action::kSquareOff);
}

TEST_F(PolicyTest, MessagesNameTheReasonAndMtm) {
  auto d = Step(-1234.5, 2, At(10, 0));
  EXPECT_NE(d.message.find("loss"), std::string::npos);
  EXPECT_NE(d.message.find("-1234.50"), std::string::npos);
}

}  // namespace
}  // namespace zm::monitor
