// TriggerPolicy with market hours, square-off times by exchange and broker "market closed"
// refusals: no order outside a session, one alert, evaluated again at the session open.
#include <gtest/gtest.h>

#include "common/ist.h"
#include "mtm_monitor/trigger_policy.h"

namespace zm::monitor {
namespace {

// 2026-11-26 (a Thursday; US DST off, so MCX trades until 23:55) at an IST wall-clock time.
SysTime At(int hour, int minute, int second = 0) {
  return *IstDayStart("2026-11-26") + std::chrono::hours(hour) + std::chrono::minutes(minute) +
         std::chrono::seconds(second);
}

class SessionPolicyTest : public ::testing::Test {
 protected:
  SessionPolicyTest() {
    trading_.mtm_loss_threshold = -1000;
    trading_.daily_max_profit_target = 2000;
    state_ = FreshDay("2026-11-26");
  }
  PolicyDecision Step(double mtm, std::map<std::string, int> open, SysTime now) {
    int total = 0;
    for (const auto& [ex, n] : open) total += n;
    PolicyInput in{mtm, total, now, false, open};
    PolicyResult r = EvaluateTriggers(state_, in, trading_, risk_, hours_);
    state_ = r.state;
    return r.decision;
  }
  TradingConfig trading_;
  RiskConfig risk_;
  MarketHoursConfig hours_;  // the built-in table, enforced
  DailyState state_;
};

TEST_F(SessionPolicyTest, LossOutsideTheSessionSendsNothingAndActsAtTheOpen) {
  auto night = Step(-1500, {{"NFO", 2}}, At(8, 30));
  EXPECT_EQ(night.action, Action::kNone);
  EXPECT_FALSE(night.new_trigger);
  EXPECT_EQ(state_.lock, DayLock::kNone);  // nothing locked on figures no one can act on
  EXPECT_NE(night.deferred_message.find("outside market hours"), std::string::npos);
  EXPECT_NE(night.deferred_message.find("NFO opens 09:15 IST"), std::string::npos);
  EXPECT_EQ(MonitorStateName(state_, false, risk_), "outside_market_hours");
  ASSERT_EQ(state_.triggers.size(), 1u);
  EXPECT_EQ(state_.triggers[0].action, "deferred");
  // Alerted once, not every cycle.
  EXPECT_EQ(Step(-1600, {{"NFO", 2}}, At(9, 0)).deferred_message, "");
  EXPECT_EQ(Step(-1600, {{"NFO", 2}}, At(9, 14, 59)).action, Action::kNone);
  // The session opens: the day's figures decide, still breached -> at once.
  auto open = Step(-1400, {{"NFO", 2}}, At(9, 15));
  EXPECT_EQ(open.action, Action::kSquareOff);
  EXPECT_EQ(open.reason, "loss");
  EXPECT_EQ(open.exchanges, (std::set<std::string>{"NFO"}));
  EXPECT_EQ(state_.lock, DayLock::kLoss);
}

TEST_F(SessionPolicyTest, RecoveredBeforeTheOpenDoesNothing) {
  Step(-1500, {{"NFO", 1}}, At(8, 30));
  EXPECT_EQ(Step(-200, {{"NFO", 1}}, At(9, 15)).action, Action::kNone);
  EXPECT_EQ(state_.lock, DayLock::kNone);
  EXPECT_EQ(state_.deferred_key, "");
  EXPECT_EQ(MonitorStateName(state_, false, risk_), "monitoring");
}

TEST_F(SessionPolicyTest, MixedBookClosesWhatTradesAndAlertsOnceForTheRest) {
  auto d = Step(-1500, {{"NFO", 1}, {"MCX", 2}}, At(16, 0));
  EXPECT_EQ(d.action, Action::kSquareOff);
  EXPECT_EQ(d.exchanges, (std::set<std::string>{"MCX"}));
  EXPECT_NE(d.deferred_message.find("1 position(s)"), std::string::npos);
  EXPECT_NE(d.deferred_message.find("NFO opens 2026-11-27 09:15 IST"), std::string::npos);
  state_.last_squareoff_finished_ms = ToEpochMs(At(16, 0, 5));
  auto later = Step(-1500, {{"NFO", 1}}, At(16, 1));
  EXPECT_EQ(later.action, Action::kNone);  // NFO waits; no loop of runs, no second alert
  EXPECT_EQ(later.deferred_message, "");
}

TEST_F(SessionPolicyTest, SquareOffTimeByExchange) {
  trading_.square_off_times = {{"NSE", 15 * 60 + 15}, {"MCX", 23 * 60}};
  EXPECT_EQ(Step(0, {{"NFO", 1}, {"MCX", 1}}, At(15, 14)).action, Action::kNone);
  auto nse = Step(0, {{"NFO", 1}, {"MCX", 1}}, At(15, 15));
  EXPECT_TRUE(nse.new_trigger);
  EXPECT_EQ(nse.reason, "time");
  EXPECT_EQ(nse.exchanges, (std::set<std::string>{"NFO"}));  // NSE's time covers NFO
  state_.last_squareoff_finished_ms = ToEpochMs(At(15, 15, 5));
  // MCX keeps trading under the time lock, and a loss still protects it.
  EXPECT_EQ(Step(0, {{"MCX", 1}}, At(20, 0)).action, Action::kNone);
  auto loss = Step(-1200, {{"MCX", 1}}, At(20, 1));
  EXPECT_EQ(loss.reason, "loss");
  EXPECT_EQ(loss.exchanges, (std::set<std::string>{"MCX"}));
  EXPECT_EQ(state_.lock, DayLock::kLoss);
}

TEST_F(SessionPolicyTest, McxTimeComesLaterInTheSameTradingDay) {
  trading_.square_off_times = {{"MCX", 23 * 60}};
  EXPECT_EQ(Step(0, {{"MCX", 1}}, At(22, 59)).action, Action::kNone);
  auto d = Step(0, {{"MCX", 1}}, At(23, 0));
  EXPECT_EQ(d.reason, "time");
  EXPECT_EQ(d.exchanges, (std::set<std::string>{"MCX"}));
}

TEST_F(SessionPolicyTest, BrokerMarketClosedWaitsUntilItsRetryTime) {
  state_.closed_until_ms["NFO"] = ToEpochMs(At(10, 30));
  auto d = Step(-1500, {{"NFO", 1}}, At(10, 0));
  EXPECT_EQ(d.action, Action::kNone);
  EXPECT_NE(d.deferred_message.find("refused orders as market closed"), std::string::npos);
  EXPECT_EQ(Step(-1500, {{"NFO", 1}}, At(10, 29)).deferred_message, "");
  EXPECT_EQ(Step(-1500, {{"NFO", 1}}, At(10, 30)).action, Action::kSquareOff);
}

TEST_F(SessionPolicyTest, LockedDayWaitsForTheSessionWithoutRerunning) {
  EXPECT_EQ(Step(2500, {{"NFO", 1}}, At(15, 29)).action, Action::kSquareOff);
  state_.last_squareoff_finished_ms = ToEpochMs(At(15, 29, 30));
  state_.failed_runs = 1;
  for (int m = 31; m < 40; ++m) {
    EXPECT_EQ(Step(2500, {{"NFO", 1}}, At(15, m)).action, Action::kNone);
  }
  EXPECT_EQ(state_.failed_runs, 1);
}

}  // namespace
}  // namespace zm::monitor
