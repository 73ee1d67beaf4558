// Exit LIMIT prices from depth with a walk toward the band, and the order pacer's three windows.
#include <gtest/gtest.h>

#include "mtm_monitor/squareoff/pacer.h"
#include "mtm_monitor/squareoff/pricing.h"

namespace zm::monitor {
namespace {

using std::chrono::milliseconds;
using TimePoint = OrderPacer::TimePoint;

QuoteBook Depth() {
  QuoteBook b;
  b.last_price = 100;
  b.bids = {{99.95, 75}, {99.9, 150}, {99.5, 300}, {99, 600}, {98, 900}};
  b.offers = {{100.05, 75}, {100.1, 150}, {100.5, 300}, {101, 600}, {102, 900}};
  return b;
}

TEST(PricingTest, TicksRoundWithoutResidue) {
  EXPECT_DOUBLE_EQ(RoundUpToTick(101.15, 0.05), 101.15);
  EXPECT_DOUBLE_EQ(RoundDownToTick(101.149, 0.05), 101.1);
  EXPECT_DOUBLE_EQ(RoundUpToTick(84.2501, 0.0025), 84.2525);
  EXPECT_DOUBLE_EQ(RoundToTick(7.3, 0), 7.3);
}

TEST(PricingTest, DepthLevelCoveringTheQuantityIsTheReference) {
  const QuoteBook b = Depth();
  EXPECT_DOUBLE_EQ(DepthReference("SELL", 75, b), 99.95);
  EXPECT_DOUBLE_EQ(DepthReference("SELL", 200, b), 99.9);
  EXPECT_DOUBLE_EQ(DepthReference("BUY", 600, b), 101);
  EXPECT_DOUBLE_EQ(DepthReference("BUY", 100000, b), 102) << "thinner than the order: deepest";
  QuoteBook no_depth;
  no_depth.last_price = 50;
  EXPECT_DOUBLE_EQ(DepthReference("BUY", 10, no_depth), 50);
}

TEST(PricingTest, WalkGoesThroughTheTouchStepByStepUpToTheCapAndTheBand) {
  const QuoteBook b = Depth();
  const PriceWalk walk{0.5, 0.5, 10};
  EXPECT_DOUBLE_EQ(*ExitLimitPrice("SELL", 75, b, 0, 0.05, walk), 99.45);   // 99.95 * 0.995
  EXPECT_DOUBLE_EQ(*ExitLimitPrice("SELL", 75, b, 1, 0.05, walk), 98.95);   // * 0.99
  EXPECT_DOUBLE_EQ(*ExitLimitPrice("BUY", 75, b, 0, 0.05, walk), 100.6);    // 100.05 * 1.005, up
  EXPECT_DOUBLE_EQ(*ExitLimitPrice("BUY", 75, b, 100, 0.05, walk), 110.1);  // capped at 10 %
  EXPECT_TRUE(WalkAtCap(19, walk));
  EXPECT_FALSE(WalkAtCap(18, walk));
  QuoteBook banded = b;
  banded.circuit_upper = 104.03;
  banded.circuit_lower = 96.02;
  EXPECT_DOUBLE_EQ(*ExitLimitPrice("BUY", 75, banded, 100, 0.05, walk), 104.0);
  EXPECT_DOUBLE_EQ(*ExitLimitPrice("SELL", 75, banded, 100, 0.05, walk), 96.05);
  EXPECT_FALSE(ExitLimitPrice("BUY", 75, QuoteBook{}, 0, 0.05, walk).ok());
  EXPECT_FALSE(ExitLimitPrice("HOLD", 75, b, 0, 0.05, walk).ok());
  QuoteBook penny;
  penny.last_price = 0.05;
  EXPECT_DOUBLE_EQ(*ExitLimitPrice("SELL", 75, penny, 5, 0.05, walk), 0.05) << "never below a tick";
}

TimePoint T(long long ms) { return TimePoint(milliseconds(ms)); }

TEST(PacerTest, TenPerSecond) {
  OrderPacer pacer;
  pacer.StartDay("2026-11-26", 0);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(pacer.NextSendTime(T(i)), T(i));
    pacer.OnSent(T(i));
  }
  EXPECT_EQ(pacer.NextSendTime(T(10)), T(1050));
}

TEST(PacerTest, FourHundredPerMinute) {
  OrderPacer::Options options;
  options.per_second = 0;  // only the minute window
  OrderPacer pacer(options);
  for (int i = 0; i < 400; ++i) pacer.OnSent(T(i * 10));
  EXPECT_EQ(pacer.NextSendTime(T(4000)), T(61000));
}

TEST(PacerTest, DayBudgetPersistsAcrossARestartAndStopsAtFiveThousand) {
  OrderPacer pacer;
  pacer.StartDay("2026-11-26", 4999);
  EXPECT_FALSE(pacer.day_exhausted());
  pacer.OnSent(T(0));
  EXPECT_TRUE(pacer.day_exhausted());
  EXPECT_EQ(pacer.NextSendTime(T(10)), TimePoint::max());
  pacer.StartDay("2026-11-26", 0);  // the same day again: kept
  EXPECT_TRUE(pacer.day_exhausted());
  pacer.StartDay("2026-11-27", 0);
  EXPECT_FALSE(pacer.day_exhausted());
  EXPECT_EQ(pacer.sent_today(), 0);
}

TEST(PacerTest, RateLimitedBacksOffDoublingAndResetsOnAnAnswer) {
  OrderPacer pacer;
  pacer.OnRateLimited(T(0));
  EXPECT_EQ(pacer.NextSendTime(T(0)), T(500));
  pacer.OnRateLimited(T(500));
  EXPECT_EQ(pacer.NextSendTime(T(500)), T(1500));
  pacer.OnAnswered();
  pacer.OnRateLimited(T(2000));
  EXPECT_EQ(pacer.NextSendTime(T(2000)), T(2500));
}

TEST(RateGateTest, OnePassPerInterval) {
  RateGate gate(milliseconds(1000));
  EXPECT_TRUE(gate.TryAcquire(5000));
  EXPECT_FALSE(gate.TryAcquire(5999));
  EXPECT_TRUE(gate.TryAcquire(6000));
}

}  // namespace
}  // namespace zm::monitor
