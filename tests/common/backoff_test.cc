#include "common/backoff.h"

#include <gtest/gtest.h>

#include <chrono>

namespace zm {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(DoublingBackoffTest, DoublesFromTheBaseUpToTheCap) {
  EXPECT_EQ(DoublingBackoff(milliseconds(1000), 0, milliseconds(30000)), milliseconds(1000));
  EXPECT_EQ(DoublingBackoff(milliseconds(1000), 1, milliseconds(30000)), milliseconds(2000));
  EXPECT_EQ(DoublingBackoff(milliseconds(1000), 4, milliseconds(30000)), milliseconds(16000));
  EXPECT_EQ(DoublingBackoff(milliseconds(1000), 5, milliseconds(30000)), milliseconds(30000));
}

TEST(DoublingBackoffTest, NeverOverflowsAndNegativeCountsMeanTheBase) {
  EXPECT_EQ(DoublingBackoff(seconds(2), 1'000'000, seconds(60)), seconds(60));
  EXPECT_EQ(DoublingBackoff(seconds(2), -1, seconds(60)), seconds(2));
  // A base above the cap is capped.
  EXPECT_EQ(DoublingBackoff(seconds(90), 0, seconds(60)), seconds(60));
}

}  // namespace
}  // namespace zm
