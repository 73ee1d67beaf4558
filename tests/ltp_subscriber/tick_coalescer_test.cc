#include "ltp_subscriber/tick_coalescer.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace zm::ltp {
namespace {

LtpRow Row(uint32_t token, double price, long long at_ms, long long volume = 0) {
  LtpRow r;
  r.instrument_token = token;
  r.last_price = price;
  r.volume = volume;
  r.received_at_ms = at_ms;
  return r;
}

std::vector<uint32_t> Tokens(std::vector<LtpRow> rows) {
  std::vector<uint32_t> tokens;
  for (const auto& r : rows) tokens.push_back(r.instrument_token);
  std::sort(tokens.begin(), tokens.end());
  return tokens;
}

TEST(TickCoalescerTest, LatestTickPerTokenWins) {
  TickCoalescer c;
  c.Add(Row(1, 10, 0));
  c.Add(Row(1, 11, 1));
  c.Add(Row(2, 20, 2));
  c.Add(Row(1, 12, 3));
  auto batch = c.TakeBatch();
  ASSERT_EQ(batch.size(), 2u);
  for (const auto& r : batch) {
    if (r.instrument_token == 1) {
      EXPECT_EQ(r.last_price, 12);
    }
  }
  EXPECT_EQ(c.pending(), 0u);
  EXPECT_TRUE(c.TakeBatch().empty());
}

TEST(TickCoalescerTest, UnchangedRowsAreNotRewritten) {
  TickCoalescer c(std::chrono::milliseconds(1000));
  c.Add(Row(1, 10, 0));
  c.Add(Row(2, 20, 0));
  c.Committed(c.TakeBatch());
  c.Add(Row(1, 10, 100));  // same data
  c.Add(Row(2, 21, 100));  // changed
  EXPECT_EQ(Tokens(c.TakeBatch()), (std::vector<uint32_t>{2}));
  c.Add(Row(1, 10, 200, 5));  // volume changed: a change
  EXPECT_EQ(Tokens(c.TakeBatch()), (std::vector<uint32_t>{1}));
}

TEST(TickCoalescerTest, UnchangedRowIsRefreshedAfterTheRefreshPeriod) {
  TickCoalescer c(std::chrono::milliseconds(1000));
  c.Add(Row(1, 10, 0));
  c.Committed(c.TakeBatch());
  c.Add(Row(1, 10, 999));
  EXPECT_TRUE(c.TakeBatch().empty());
  EXPECT_EQ(c.pending(), 1u);  // kept: it may become due
  c.Add(Row(1, 10, 1000));
  auto batch = c.TakeBatch();
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(batch[0].received_at_ms, 1000);
}

TEST(TickCoalescerTest, FailedWriteIsRequeuedButNewerTickWins) {
  TickCoalescer c;
  c.Add(Row(1, 10, 0));
  c.Add(Row(2, 20, 0));
  auto batch = c.TakeBatch();
  c.Add(Row(1, 11, 5));  // arrives while the write fails
  c.Requeue(batch);
  auto retry = c.TakeBatch();
  ASSERT_EQ(retry.size(), 2u);
  for (const auto& r : retry) {
    EXPECT_EQ(r.last_price, r.instrument_token == 1 ? 11 : 20);
  }
}

TEST(TickCoalescerTest, WriterCostFollowsInstrumentsNotTickRate) {
  TickCoalescer c;
  for (int tick = 0; tick < 100000; ++tick) c.Add(Row(1 + tick % 50, tick, tick / 1000));
  EXPECT_EQ(c.TakeBatch().size(), 50u);
}

TEST(SameMarketDataTest, IgnoresReceivedTime) {
  EXPECT_TRUE(SameMarketData(Row(1, 10, 0), Row(1, 10, 99)));
  EXPECT_FALSE(SameMarketData(Row(1, 10, 0), Row(2, 10, 0)));
  LtpRow a = Row(1, 10, 0), b = a;
  b.best_ask = 10.5;
  EXPECT_FALSE(SameMarketData(a, b));
}

}  // namespace
}  // namespace zm::ltp
