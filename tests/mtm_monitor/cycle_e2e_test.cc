// End to end: the real zerodha_mtm_monitor binary against the in-process simulator, asserting
// the simulator's order log. No subscriber runs, so zerodha_trading.db is absent: positions come
// over REST and every open position is priced from REST quotes (never from a tick).
#include <iostream>

#include "common/clock.h"
#include "cycle_e2e_fixture.h"

namespace zm::testing {
namespace {

constexpr const char* kFastTarget = R"(
trading: {daily_max_profit_target: 1000, mtm_loss_threshold: -5000, mtm_check_interval: 0.25}
)";

TEST_F(CycleE2eTest, TargetSquaresOffLocksTheDayAndTheLockSurvivesARestart) {
  Trade("NFO", kCe, 75, 120);
  StartMonitor(kFastTarget);
  ASSERT_TRUE(WaitUntil([&] { return StdoutHas("state=monitoring positions=1"); }, seconds(15)))
      << monitor_->ReadStdout() << monitor_->ReadStderr();
  // Never a tick (no subscriber): the position is priced from a REST quote.
  ASSERT_TRUE(WaitUntil(
      [&] {
        auto s = Snapshot();
        return s && (*s)["positions"].size() == 1 && (*s)["positions"][0]["price_source"] == "rest";
      },
      seconds(10)));
  EXPECT_EQ(OrdersFor(kCe, "SELL"), 0);

  ASSERT_TRUE(sim_->SetPrice(std::string("NFO:") + kCe, 140).ok());  // MTM 1,500 >= 1,000
  ASSERT_TRUE(WaitUntil([&] { return NetQuantity(kCe) == 0; }, seconds(20)))
      << monitor_->ReadStderr();
  EXPECT_EQ(OrdersFor(kCe, "SELL"), 1);
  ASSERT_TRUE(WaitUntil([&] { return StdoutHas("state=locked_after_target"); }, seconds(10)))
      << monitor_->ReadStdout().substr(0, 3000) << monitor_->ReadStderr();

  // A manual trade after the target: squared off at the next cycle.
  Trade("NFO", kPe, -75, 95.5);
  ASSERT_TRUE(WaitUntil([&] { return NetQuantity(kPe) == 0; }, seconds(20)))
      << monitor_->ReadStderr();
  EXPECT_EQ(OrdersFor(kPe, "BUY"), 1);
  StopMonitor();

  // A restart the same day keeps the lock.
  StartMonitor(kFastTarget);
  ASSERT_TRUE(WaitUntil([&] { return StdoutHas("state=locked_after_target"); }, seconds(15)))
      << monitor_->ReadStdout() << monitor_->ReadStderr();
  Trade("NFO", kBank, 35, 310);
  ASSERT_TRUE(WaitUntil([&] { return NetQuantity(kBank) == 0; }, seconds(20)))
      << monitor_->ReadStderr();
  EXPECT_EQ(OrdersFor(kBank, "SELL"), 1);
  EXPECT_EQ(OrdersFor(kCe, "SELL"), 1);  // nothing sent twice
  EXPECT_EQ(OrdersFor(kPe, "BUY"), 1);
  StopMonitor();

  EXPECT_GT(CountRows("SELECT COUNT(*) FROM mtm_history"), 2);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM events WHERE kind='trigger' AND message LIKE "
                      "'trigger target%'"),
            1);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM daily_state WHERE state LIKE '%\"lock\":\"target\"%'"),
            1);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM process_heartbeat WHERE component='mtm_monitor'"), 1);
}

TEST_F(CycleE2eTest, AlertOnlySendsNothing) {
  Trade("NFO", kCe, 75, 120);
  StartMonitor(R"(
trading: {mtm_check_interval: 0.25}
risk_management: {auto_square_off_enabled: false}
)");
  ASSERT_TRUE(WaitUntil([&] { return StdoutHas("state=alert_only positions=1"); }, seconds(15)))
      << monitor_->ReadStdout() << monitor_->ReadStderr();
  ASSERT_TRUE(sim_->SetPrice(std::string("NFO:") + kCe, 50).ok());  // MTM -5,250 <= -5,000
  ASSERT_TRUE(
      WaitUntil([&] { return CountRows("SELECT COUNT(*) FROM events WHERE kind='alert'") == 1; },
                seconds(15)))
      << monitor_->ReadStderr();
  ASSERT_TRUE(WaitUntil([&] { return StdoutHas("state=locked_after_loss"); }, seconds(5)));
  std::this_thread::sleep_for(milliseconds(1500));  // more cycles in breach: still one alert
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM events WHERE kind='alert'"), 1);
  EXPECT_TRUE(sim_->OrderLog().empty());
  EXPECT_EQ(NetQuantity(kCe), 75);
  EXPECT_NE(monitor_->ReadStderr().find("ALERT"), std::string::npos);
}

// With the real subscriber writing zerodha_trading.db: positions from the snapshot, prices from
// ticks; a loss breach closes the whole book, shorts first.
TEST_F(CycleE2eTest, LossWithTheSubscriberClosesTheBookShortsFirst) {
  Trade("NFO", kCe, 75, 120);
  Trade("NFO", kPe, -75, 95.5);
  StartMonitor(R"(
trading: {mtm_check_interval: 0.25}
)");
  auto subscriber =
      ChildProcess::Start(BinaryPath("zerodha_ltp_subscriber"), {"--config", config_.string()},
                          {{"ZM_SUPERVISED", "1"}}, dir_ / "subscriber");
  ASSERT_TRUE(subscriber.ok()) << subscriber.status().ToString();
  ASSERT_TRUE(WaitUntil(
      [&] {
        auto s = Snapshot();
        if (!s || (*s)["positions"].size() != 2) return false;
        for (const auto& p : (*s)["positions"]) {
          if (p["price_source"] != "tick") return false;
        }
        return true;
      },
      seconds(20)))
      << (*subscriber)->ReadStderr() << monitor_->ReadStderr();
  const long long breach_ms = zm::ToEpochMs(std::chrono::system_clock::now());
  ASSERT_TRUE(sim_->SetPrice(std::string("NFO:") + kCe, 50).ok());  // MTM <= -5,000
  ASSERT_TRUE(
      WaitUntil([&] { return NetQuantity(kCe) == 0 && NetQuantity(kPe) == 0; }, seconds(20)))
      << monitor_->ReadStderr();
  const long long flat_ms = zm::ToEpochMs(std::chrono::system_clock::now());
  std::vector<std::string> sides;
  long long first_order_ms = 0;
  for (const auto& r : sim_->OrderLog()) {
    if (r.value("method", "") != "POST") continue;
    sides.push_back(r["params"].value("tradingsymbol", ""));
    if (first_order_ms == 0) first_order_ms = r.value("at_ms", 0LL);
  }
  // A figure for the report, not an assertion (tests never assert on speed).
  std::cout << "breach -> first order " << first_order_ms - breach_ms << " ms, breach -> flat "
            << flat_ms - breach_ms << " ms (0.25 s cycle)\n";
  ASSERT_EQ(sides.size(), 2u);
  EXPECT_EQ(sides[0], kPe);  // the short is covered first
  EXPECT_EQ(sides[1], kCe);
  ASSERT_TRUE(WaitUntil([&] { return StdoutHas("state=locked_after_loss"); }, seconds(10)));
  EXPECT_TRUE((*subscriber)->Signal(SIGTERM));
  EXPECT_TRUE((*subscriber)->WaitExit(seconds(10)).has_value());
}

}  // namespace
}  // namespace zm::testing
