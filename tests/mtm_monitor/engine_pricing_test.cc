// Pure helpers of the engine: LIMIT pricing, order pacing, tags.
#include <gtest/gtest.h>

#include <set>

#include "mtm_monitor/order_pacer.h"
#include "mtm_monitor/pricing.h"
#include "mtm_monitor/tags.h"

namespace zm::monitor {
namespace {

using std::chrono::milliseconds;

TEST(Pricing, TickRounding) {
  EXPECT_DOUBLE_EQ(RoundToTick(101.13, 0.05), 101.15);
  EXPECT_DOUBLE_EQ(RoundUpToTick(101.11, 0.05), 101.15);
  EXPECT_DOUBLE_EQ(RoundUpToTick(101.15, 0.05), 101.15);  // no spurious extra tick
  EXPECT_DOUBLE_EQ(RoundDownToTick(101.19, 0.05), 101.15);
  EXPECT_DOUBLE_EQ(RoundDownToTick(101.15, 0.05), 101.15);
  EXPECT_DOUBLE_EQ(RoundUpToTick(82.5001, 0.0025), 82.5025);
  EXPECT_DOUBLE_EQ(RoundToTick(10.0, 0), 10.0);  // 0 tick treated as 0.05
}

TEST(Pricing, BuyThroughAskRoundedUp) {
  auto price = MarketableLimitPrice("BUY", {100, 99.9, 100.1}, 0.5, 0.05);
  ASSERT_TRUE(price.ok());
  EXPECT_DOUBLE_EQ(*price, 100.65);  // 100.1 * 1.005 = 100.6005 -> up to the tick
}

TEST(Pricing, SellThroughBidRoundedDown) {
  auto price = MarketableLimitPrice("SELL", {100, 99.9, 100.1}, 0.5, 0.05);
  ASSERT_TRUE(price.ok());
  EXPECT_DOUBLE_EQ(*price, 99.4);  // 99.9 * 0.995 = 99.4005 -> 99.40
}

TEST(Pricing, FallsBackToLastPrice) {
  auto buy = MarketableLimitPrice("BUY", {200, 0, 0}, 1, 0.05);
  auto sell = MarketableLimitPrice("SELL", {200, 0, 0}, 1, 0.05);
  ASSERT_TRUE(buy.ok() && sell.ok());
  EXPECT_DOUBLE_EQ(*buy, 202);
  EXPECT_DOUBLE_EQ(*sell, 198);
}

TEST(Pricing, NoReferenceIsAnError) {
  EXPECT_FALSE(MarketableLimitPrice("BUY", {0, 10, 0}, 1, 0.05).ok());  // a bid does not price a buy
  EXPECT_FALSE(MarketableLimitPrice("SELL", {}, 1, 0.05).ok());
  EXPECT_FALSE(MarketableLimitPrice("HOLD", {100, 100, 100}, 1, 0.05).ok());
}

TEST(Pricing, ClampedInsideCircuitBand) {
  auto buy = MarketableLimitPrice("BUY", {100, 0, 0}, 5, 0.05, CircuitBand{90, 102.02});
  auto sell = MarketableLimitPrice("SELL", {100, 0, 0}, 5, 0.05, CircuitBand{97.01, 110});
  ASSERT_TRUE(buy.ok() && sell.ok());
  EXPECT_DOUBLE_EQ(*buy, 102.0);   // band rounded inward
  EXPECT_DOUBLE_EQ(*sell, 97.05);
}

TEST(Pricing, NeverBelowOneTick) {
  auto sell = MarketableLimitPrice("SELL", {0.05, 0, 0}, 20, 0.05);
  ASSERT_TRUE(sell.ok());
  EXPECT_DOUBLE_EQ(*sell, 0.05);
}

TEST(OrderPacer, TenPerWindowThenWaits) {
  OrderPacer pacer;
  const auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  for (int i = 0; i < 10; ++i) {
    auto at = pacer.NextSendTime(t0);
    EXPECT_EQ(at, t0);
    pacer.OnSent(at);
  }
  EXPECT_EQ(pacer.NextSendTime(t0), t0 + milliseconds(1050));
}

TEST(OrderPacer, NeverMoreThanTenInAnyWindow) {
  OrderPacer pacer;
  auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  std::vector<std::chrono::steady_clock::time_point> sent;
  for (int i = 0; i < 95; ++i) {
    now = pacer.NextSendTime(now + milliseconds(i % 3 == 0 ? 7 : 0));
    pacer.OnSent(now);
    sent.push_back(now);
  }
  for (size_t i = 10; i < sent.size(); ++i) {
    EXPECT_GE(sent[i] - sent[i - 10], milliseconds(1050)) << i;
  }
}

TEST(OrderPacer, RateLimitBacksOffAndDoubles) {
  OrderPacer pacer;
  const auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  pacer.OnSent(t0);
  pacer.OnRateLimited(t0);
  EXPECT_EQ(pacer.NextSendTime(t0), t0 + milliseconds(500));
  pacer.OnRateLimited(t0 + milliseconds(500));
  EXPECT_EQ(pacer.NextSendTime(t0), t0 + milliseconds(1500));
  EXPECT_EQ(pacer.consecutive_rate_limits(), 2);
  pacer.OnAnswered();
  pacer.OnRateLimited(t0 + milliseconds(2000));
  EXPECT_EQ(pacer.NextSendTime(t0 + milliseconds(2000)), t0 + milliseconds(2500));
}

TEST(OrderPacer, BackoffIsCapped) {
  OrderPacer pacer;
  auto t = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  for (int i = 0; i < 20; ++i) pacer.OnRateLimited(t);
  EXPECT_EQ(pacer.NextSendTime(t), t + std::chrono::seconds(8));
}

TEST(Tags, FormatAndRoundTrip) {
  EXPECT_EQ(MakeTag(1, 2, 0), "ZM0000100200");
  EXPECT_EQ(MakeTag(36, 37, 1), "ZM0001001101");
  for (auto parts : {TagParts{1, 0, 0}, TagParts{kMaxTagSquareOffId, kMaxTagSlice, kMaxTagAttempt},
                     TagParts{123456, 789, 12}}) {
    std::string tag = MakeTag(parts);
    ASSERT_FALSE(tag.empty());
    EXPECT_LE(tag.size(), 20u);
    for (char c : tag) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << tag;
    EXPECT_EQ(ParseTag(tag), parts);
  }
}

TEST(Tags, OutOfRangeIsEmpty) {
  EXPECT_EQ(MakeTag(0, 0, 0), "");
  EXPECT_EQ(MakeTag(kMaxTagSquareOffId + 1, 0, 0), "");
  EXPECT_EQ(MakeTag(1, kMaxTagSlice + 1, 0), "");
  EXPECT_EQ(MakeTag(1, 0, kMaxTagAttempt + 1), "");
  EXPECT_EQ(MakeTag(1, -1, 0), "");
}

TEST(Tags, UniqueAcrossPartsAndForeignTagsRejected) {
  std::set<std::string> seen;
  for (int id = 1; id < 4; ++id)
    for (int slice = 0; slice < 50; ++slice)
      for (int attempt = 0; attempt < 5; ++attempt)
        EXPECT_TRUE(seen.insert(MakeTag(id, slice, attempt)).second);
  EXPECT_FALSE(ParseTag(""));
  EXPECT_FALSE(ParseTag("ZM000010020"));      // short
  EXPECT_FALSE(ParseTag("XX0000100200"));     // foreign prefix
  EXPECT_FALSE(ParseTag("ZM00001002a0"));     // lower case
  EXPECT_FALSE(ParseTag("ZM0000000200"));     // id 0 is never issued
  EXPECT_FALSE(ParseTag("my_strategy_tag"));
}

}  // namespace
}  // namespace zm::monitor
