// End to end, the optional triggers and the token reload: the real zerodha_mtm_monitor binary
// against the in-process simulator (no subscriber: positions and prices over REST), asserting
// the simulator's order log.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "common/clock.h"
#include "common/ist.h"
#include "cycle_e2e_fixture.h"

namespace zm::testing {
namespace {

// The snapshot's field `key` as a number (NaN when there is no snapshot or it is not a number).
double SnapshotNumber(const std::optional<nlohmann::json>& snap, const char* key) {
  if (!snap || !snap->contains(key) || !(*snap)[key].is_number()) return std::nan("");
  return (*snap)[key].get<double>();
}

bool Near(double a, double b) { return std::fabs(a - b) < 0.005; }

// Every order POST in the simulator's log.
int OrderPosts(const std::vector<nlohmann::json>& log) {
  int n = 0;
  for (const auto& r : log) n += r.value("method", "") == "POST";
  return n;
}

TEST_F(CycleE2eTest, TrailingProfitSquaresOffOnceAtTheFloorAndLocksTheDay) {
  Trade("NFO", kCe, 75, 120);
  StartMonitor(R"(
trading:
  daily_max_profit_target: 100000
  mtm_check_interval: 0.25
  trailing_profit: {enabled: true, activate_at: 1000, lock_at: 500, trail_by: 600}
)");
  ASSERT_TRUE(WaitUntil([&] { return StdoutHas("state=monitoring positions=1"); }, seconds(15)))
      << monitor_->ReadStdout() << monitor_->ReadStderr();

  // Up past activate_at: MTM 2,250 is the peak, floor = max(500, 2,250 - 600) = 1,650.
  ASSERT_TRUE(sim_->SetPrice(std::string("NFO:") + kCe, 150).ok());
  ASSERT_TRUE(WaitUntil(
      [&] {
        auto s = Snapshot();
        return Near(SnapshotNumber(s, "daily_max_mtm"), 2250) &&
               Near(SnapshotNumber(s, "trailing_floor"), 1650);
      },
      seconds(15)))
      << Snapshot().value_or(nullptr).dump() << monitor_->ReadStderr();

  // Down, still above the floor: nothing happens.
  ASSERT_TRUE(sim_->SetPrice(std::string("NFO:") + kCe, 145).ok());  // MTM 1,875
  ASSERT_TRUE(WaitUntil([&] { return Near(SnapshotNumber(Snapshot(), "mtm"), 1875); }, seconds(15)))
      << Snapshot().value_or(nullptr).dump();
  EXPECT_EQ(OrderPosts(sim_->OrderLog()), 0);
  EXPECT_TRUE(Near(SnapshotNumber(Snapshot(), "trailing_floor"), 1650));  // never lowered

  // Down to below the floor: one square-off of the book, the day locked.
  ASSERT_TRUE(sim_->SetPrice(std::string("NFO:") + kCe, 140).ok());  // MTM 1,500 <= 1,650
  ASSERT_TRUE(WaitUntil([&] { return NetQuantity(kCe) == 0; }, seconds(20)))
      << monitor_->ReadStderr();
  ASSERT_TRUE(WaitUntil(
      [&] {
        auto s = Snapshot();
        return s && (*s)["state"] == "locked_after_trailing";
      },
      seconds(10)))
      << Snapshot().value_or(nullptr).dump() << monitor_->ReadStderr();
  EXPECT_EQ(OrdersFor(kCe, "SELL"), 1);
  EXPECT_EQ((*Snapshot())["lock"], "trailing");

  // A manual position later that day is squared off too.
  Trade("NFO", kPe, -75, 95.5);
  ASSERT_TRUE(WaitUntil([&] { return NetQuantity(kPe) == 0; }, seconds(20)))
      << monitor_->ReadStderr();
  ASSERT_TRUE(
      WaitUntil([&] { return StdoutHas("state=locked_after_trailing positions=0"); }, seconds(10)));
  EXPECT_EQ(OrdersFor(kPe, "BUY"), 1);
  EXPECT_EQ(OrdersFor(kCe, "SELL"), 1);  // nothing sent twice
  EXPECT_EQ(OrderPosts(sim_->OrderLog()), 2);
  StopMonitor();
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM events WHERE kind='trigger' AND message LIKE "
                      "'trigger trailing%'"),
            1);
}

// The monitor reads the real clock, so square_off_time is set to the current IST minute less
// one: the policy fires when the IST minute of day >= square_off_time.
TEST_F(CycleE2eTest, SquareOffTimeSquaresOffOnceAndLocksTheDay) {
  const int minute = IstMinuteOfDay(SuiteNow());  // the monitor's clock (suite_clock.h)
  if (minute >= 23 * 60 + 58) GTEST_SKIP() << "too close to 00:00 IST: the day would roll over";
  const int at = minute > 0 ? minute - 1 : 0;
  char hhmm[8];
  std::snprintf(hhmm, sizeof hhmm, "%02d:%02d", at / 60, at % 60);
  Trade("NFO", kCe, 75, 120);
  Trade("NFO", kPe, -75, 95.5);
  StartMonitor(std::string("trading: {mtm_check_interval: 0.25, square_off_time: \"") + hhmm +
               "\"}\n");
  ASSERT_TRUE(
      WaitUntil([&] { return NetQuantity(kCe) == 0 && NetQuantity(kPe) == 0; }, seconds(20)))
      << monitor_->ReadStdout() << monitor_->ReadStderr();
  ASSERT_TRUE(WaitUntil(
      [&] {
        auto s = Snapshot();
        return s && (*s)["state"] == "locked_after_time";
      },
      seconds(10)))
      << Snapshot().value_or(nullptr).dump() << monitor_->ReadStderr();
  ASSERT_TRUE(
      WaitUntil([&] { return StdoutHas("state=locked_after_time positions=0"); }, seconds(10)));
  EXPECT_EQ(OrdersFor(kPe, "BUY"), 1);
  EXPECT_EQ(OrdersFor(kCe, "SELL"), 1);
  EXPECT_EQ(OrderPosts(sim_->OrderLog()), 2);
  StopMonitor();
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM squareoffs"), 1);
}

// The daily login writes a new token: the monitor picks it up from the file without a restart.
TEST_F(CycleE2eTest, NewAccessTokenInTheFileIsUsedWithoutARestart) {
  Trade("NFO", kCe, 75, 120);
  StartMonitor(R"(
trading: {daily_max_profit_target: 1000, mtm_check_interval: 0.25}
)");
  ASSERT_TRUE(WaitUntil(
      [&] {
        auto s = Snapshot();
        return s && (*s)["positions"].size() == 1 && (*s)["positions"][0]["price_source"] == "rest";
      },
      seconds(15)))
      << monitor_->ReadStdout() << monitor_->ReadStderr();

  // The broker now accepts only the new token; the file still holds the old one.
  ASSERT_TRUE(sim_->Control("POST", "/_sim/token", {{"access_token", "sim_token_b"}}).ok());
  ASSERT_TRUE(sim_->SetPrice(std::string("NFO:") + kCe, 125).ok());  // MTM 375 if it is seen
  ASSERT_TRUE(WaitUntil(
      [&] { return monitor_->ReadStderr().find("REST /quote/ltp failed") != std::string::npos; },
      seconds(15)))
      << monitor_->ReadStderr();
  EXPECT_TRUE(Near(SnapshotNumber(Snapshot(), "mtm"), 0));  // the old price, never 125

  // The login rewrites the file (atomically, as a tool would).
  const auto token_file = dir_ / "access_token" / "access_token.txt";
  std::ofstream(token_file.string() + ".tmp") << "sim_token_b\n";
  std::filesystem::rename(token_file.string() + ".tmp", token_file);
  ASSERT_TRUE(WaitUntil([&] { return Near(SnapshotNumber(Snapshot(), "mtm"), 375); }, seconds(15)))
      << Snapshot().value_or(nullptr).dump() << monitor_->ReadStderr();

  // A square-off after the switch goes through with the new token.
  ASSERT_TRUE(sim_->SetPrice(std::string("NFO:") + kCe, 140).ok());  // MTM 1,500 >= 1,000
  ASSERT_TRUE(WaitUntil([&] { return NetQuantity(kCe) == 0; }, seconds(20)))
      << monitor_->ReadStderr();
  const auto log = sim_->OrderLog();
  ASSERT_EQ(OrderPosts(log), 1);
  EXPECT_EQ(log[0].value("http_status", 0), 200);
  const std::string console = monitor_->ReadStdout() + monitor_->ReadStderr();
  EXPECT_EQ(console.find("sim_token_b"), std::string::npos);  // a secret never reaches output
  StopMonitor();
}

}  // namespace
}  // namespace zm::testing
