#include "ltp_subscriber/backoff.h"

#include <gtest/gtest.h>

#include <vector>

namespace zm::ltp {
namespace {

using std::chrono::milliseconds;

TEST(BackoffTest, DoublesFromOneSecondToThirtyWithoutJitter) {
  ReconnectBackoff backoff;
  std::vector<long long> got;
  for (int i = 0; i < 8; ++i) got.push_back(backoff.NextDelay(FailureKind::kTransient, 0).count());
  EXPECT_EQ(got, (std::vector<long long>{1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000}));
}

TEST(BackoffTest, JitterOnlyShortensWithinAQuarter) {
  for (double j : {0.0, 0.1, 0.5, 0.9, 0.999999, 1.0, 7.0, -3.0}) {
    ReconnectBackoff backoff;
    for (int i = 0; i < 10; ++i) backoff.NextDelay(FailureKind::kTransient, 0);
    const auto d = backoff.NextDelay(FailureKind::kTransient, j);
    EXPECT_LE(d, milliseconds(30000)) << j;
    EXPECT_GE(d, milliseconds(22500)) << j;
  }
  ReconnectBackoff first;
  EXPECT_EQ(first.NextDelay(FailureKind::kTransient, 0.5), milliseconds(875));
}

TEST(BackoffTest, ResetStartsOver) {
  ReconnectBackoff backoff;
  for (int i = 0; i < 4; ++i) backoff.NextDelay(FailureKind::kTransient, 0);
  backoff.Reset();
  EXPECT_EQ(backoff.NextDelay(FailureKind::kTransient, 0), milliseconds(1000));
}

TEST(BackoffTest, TokenRejectionWaitsAtLeastAMinute) {
  ReconnectBackoff backoff;
  for (double j : {0.0, 0.5, 0.99}) {
    const auto d = backoff.NextDelay(FailureKind::kTokenRejected, j);
    EXPECT_GE(d, milliseconds(60000));
    EXPECT_LE(d, milliseconds(65000));
  }
  // Token failures do not advance the ordinary doubling.
  EXPECT_EQ(backoff.NextDelay(FailureKind::kTransient, 0), milliseconds(1000));
}

TEST(BackoffTest, ManyFailuresDoNotOverflow) {
  ReconnectBackoff backoff;
  for (int i = 0; i < 1000; ++i) {
    EXPECT_LE(backoff.NextDelay(FailureKind::kTransient, 0), milliseconds(30000));
  }
}

}  // namespace
}  // namespace zm::ltp
