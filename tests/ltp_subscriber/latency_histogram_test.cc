#include "ltp_subscriber/latency_histogram.h"

#include <gtest/gtest.h>

namespace zm::ltp {
namespace {

TEST(LatencyHistogramTest, EmptyIsZero) {
  LatencyHistogram h;
  EXPECT_EQ(h.total(), 0);
  EXPECT_EQ(h.Percentile(0.5), 0);
}

TEST(LatencyHistogramTest, PercentilesOfKnownSamples) {
  LatencyHistogram h;
  for (int ms = 1; ms <= 100; ++ms) h.Add(ms);
  EXPECT_EQ(h.total(), 100);
  EXPECT_EQ(h.Percentile(0.50), 50);
  EXPECT_EQ(h.Percentile(0.99), 99);
  EXPECT_EQ(h.Percentile(1.0), 100);
}

TEST(LatencyHistogramTest, OutOfRangeSamplesAreClamped) {
  LatencyHistogram h;
  h.Add(-5);
  h.Add(LatencyHistogram::kMaxMs + 500, 3);
  EXPECT_EQ(h.total(), 4);
  EXPECT_EQ(h.Percentile(0.25), 0);
  EXPECT_EQ(h.Percentile(0.99), LatencyHistogram::kMaxMs);
}

}  // namespace
}  // namespace zm::ltp
