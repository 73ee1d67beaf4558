// End to end, the trading day and market hours (issue #10.3-4): the real zerodha_mtm_monitor
// binary and the in-process simulator on one settable clock (SimHarness::SetTime moves the
// suite's clock and the simulator's), so nothing depends on the machine's time of day.
#include <string>

#include "common/ist.h"
#include "cycle_e2e_fixture.h"

namespace zm::testing {
namespace {

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

int OrderPosts(const std::vector<nlohmann::json>& log) {
  int n = 0;
  for (const auto& r : log) n += r.value("method", "") == "POST";
  return n;
}

class SessionsE2eTest : public CycleE2eTest {
 protected:
  // A position 6,000 under the loss threshold of -5,000 on the day basis.
  void LosingBook() {
    Trade("NFO", kCe, 75, 120);
    ASSERT_TRUE(sim_->SetPrice(std::string("NFO:") + kCe, 40).ok());
  }
  // Waits until the monitor has printed `n` more cycle lines.
  void WaitCycles(int n) {
    const int seen = Count(monitor_->ReadStdout(), " MTM ");
    ASSERT_TRUE(
        WaitUntil([&] { return Count(monitor_->ReadStdout(), " MTM ") >= seen + n; }, seconds(20)))
        << monitor_->ReadStdout();
  }
  int OutsideHoursAlerts() {
    return CountRows(
        "SELECT COUNT(*) FROM events WHERE kind='alert' AND details LIKE "
        "'%outside_market_hours%'");
  }
};

// 02:00 IST belongs to the previous trading day: shown, never acted on. From 08:00 the breach
// belongs to the new day but no session is open: one critical alert, nothing sent. At 09:15 it
// is evaluated again on that day's figures and squares off at once.
TEST_F(SessionsE2eTest, ATriggerAtTwoAmSendsNothingAndSquaresOffAtTheSessionOpen) {
  const std::string day = IstDate(sim_->Now());
  ASSERT_TRUE(sim_->SetTime(IstTime(day, 2, 0)).ok());
  LosingBook();
  StartMonitor("{}");
  ASSERT_TRUE(WaitUntil([&] { return StdoutHas("state=previous_day"); }, seconds(20)))
      << monitor_->ReadStdout() << monitor_->ReadStderr();
  WaitCycles(4);
  EXPECT_EQ(OrderPosts(sim_->OrderLog()), 0);
  EXPECT_EQ(OutsideHoursAlerts(), 0);

  ASSERT_TRUE(sim_->SetTime(IstTime(day, 8, 30)).ok());
  ASSERT_TRUE(WaitUntil([&] { return OutsideHoursAlerts() == 1; }, seconds(20)))
      << monitor_->ReadStdout() << monitor_->ReadStderr();
  WaitCycles(6);
  EXPECT_EQ(OutsideHoursAlerts(), 1);  // once, not every cycle
  EXPECT_EQ(OrderPosts(sim_->OrderLog()), 0);
  auto snap = Snapshot();
  ASSERT_TRUE(snap.has_value());
  EXPECT_EQ((*snap)["trading_date"], day);
  EXPECT_EQ((*snap)["state"], "outside_market_hours");  // not locked: nothing could be done

  ASSERT_TRUE(sim_->SetTime(IstTime(day, 9, 15, 2)).ok());
  ASSERT_TRUE(WaitUntil([&] { return NetQuantity(kCe) == 0; }, seconds(30)))
      << monitor_->ReadStderr();
  EXPECT_EQ(OrdersFor(kCe, "SELL"), 1);
  ASSERT_TRUE(WaitUntil(
      [&] {
        auto s = Snapshot();
        return s && (*s)["state"] == "locked_after_loss";
      },
      seconds(10)))
      << Snapshot().value_or(nullptr).dump();
}

// A day locked by its target stays locked until the next trading day starts (08:00 IST), not
// past it: a position opened the next morning is left alone.
TEST_F(SessionsE2eTest, ADayLockedByYesterdaysTargetDoesNotLockToday) {
  ASSERT_TRUE(sim_->SetTime(IstTime("2026-11-26", 14, 0)).ok());  // a Thursday
  Trade("NFO", kCe, 75, 120);
  StartMonitor("trading: {daily_max_profit_target: 2000}\n");
  ASSERT_TRUE(WaitUntil([&] { return StdoutHas("state=monitoring positions=1"); }, seconds(20)))
      << monitor_->ReadStdout() << monitor_->ReadStderr();
  ASSERT_TRUE(sim_->SetPrice(std::string("NFO:") + kCe, 160).ok());  // MTM 3,000 >= 2,000
  ASSERT_TRUE(WaitUntil([&] { return NetQuantity(kCe) == 0; }, seconds(30)))
      << monitor_->ReadStderr();
  ASSERT_TRUE(
      WaitUntil([&] { return StdoutHas("state=locked_after_target positions=0"); }, seconds(10)));

  // 02:00 the next morning: still the 26th's trading day, shown as the previous day.
  ASSERT_TRUE(sim_->SetTime(IstTime("2026-11-27", 2, 0)).ok());
  ASSERT_TRUE(sim_->Control("POST", "/_sim/start_of_day", nlohmann::json::object()).ok());
  ASSERT_TRUE(WaitUntil([&] { return StdoutHas("state=previous_day"); }, seconds(20)))
      << monitor_->ReadStdout();
  EXPECT_EQ((*Snapshot())["trading_date"], "2026-11-26");

  // 09:20: a new trading day, not locked; a new position is not squared off.
  ASSERT_TRUE(sim_->SetTime(IstTime("2026-11-27", 9, 20)).ok());
  ASSERT_TRUE(WaitUntil(
      [&] {
        auto s = Snapshot();
        return s && (*s)["trading_date"] == "2026-11-27" && (*s)["state"] == "monitoring";
      },
      seconds(20)))
      << Snapshot().value_or(nullptr).dump();
  const int posts = OrderPosts(sim_->OrderLog());
  Trade("NFO", kPe, -75, 95.5);
  ASSERT_TRUE(WaitUntil([&] { return StdoutHas("state=monitoring positions=1"); }, seconds(20)))
      << monitor_->ReadStdout();
  WaitCycles(6);
  EXPECT_EQ(OrderPosts(sim_->OrderLog()), posts);
  EXPECT_EQ(NetQuantity(kPe), -75);
  EXPECT_FALSE((*Snapshot())["target_locked"].get<bool>());
}

// A holiday: the suite's table says the session is open (here: not enforced), the broker
// refuses with "Markets are closed". The refusal is alerted once and not retried in a loop.
TEST_F(SessionsE2eTest, AMarketClosedRefusalIsAlertedOnceAndNotRetriedInALoop) {
  const std::string day = IstDate(sim_->Now());
  ASSERT_TRUE(sim_->SetTime(IstTime(day, 20, 0)).ok());  // the simulator's NFO is closed
  LosingBook();
  StartMonitor("market_hours: {enforce: false}\n");
  const std::string alert = "refused the square-off's orders as market closed";
  ASSERT_TRUE(WaitUntil([&] { return monitor_->ReadStderr().find(alert) != std::string::npos; },
                        seconds(30)))
      << monitor_->ReadStdout() << monitor_->ReadStderr();
  const int posts = OrderPosts(sim_->OrderLog());
  EXPECT_GE(posts, 1);
  EXPECT_LE(posts, 3);
  WaitCycles(10);
  EXPECT_EQ(OrderPosts(sim_->OrderLog()), posts);  // no new attempt
  EXPECT_EQ(Count(monitor_->ReadStderr(), alert), 1);
  EXPECT_EQ(NetQuantity(kCe), 75);
}

}  // namespace
}  // namespace zm::testing
