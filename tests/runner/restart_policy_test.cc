#include "runner/restart_policy.h"

#include <gtest/gtest.h>

namespace zm::runner {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

MonoTime T(double s) { return MonoTime(milliseconds(static_cast<long long>(s * 1000))); }

TEST(RestartPolicyTest, BackoffDoublesFromOneSecondUpToSixty) {
  RestartPolicy policy;
  std::vector<long long> delays;
  double now = 0;
  for (int i = 0; i < 9; ++i) {
    policy.OnStarted(T(now));
    now += 0.5;  // fails quickly every time
    auto d = policy.OnFailure(T(now));
    delays.push_back(d.delay.count());
    now += d.delay.count() / 1000.0;
  }
  EXPECT_EQ(delays,
            (std::vector<long long>{1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000}));
  EXPECT_EQ(policy.total_restarts(), 9);
}

TEST(RestartPolicyTest, StableRunResetsBackoff) {
  RestartPolicy policy;
  policy.OnStarted(T(0));
  EXPECT_EQ(policy.OnFailure(T(1)).delay, seconds(1));
  policy.OnStarted(T(2));
  EXPECT_EQ(policy.OnFailure(T(3)).delay, seconds(2));
  policy.OnStarted(T(5));
  EXPECT_EQ(policy.OnFailure(T(5 + 59.9)).delay, seconds(4));  // not stable yet
  policy.OnStarted(T(70));
  EXPECT_EQ(policy.OnFailure(T(130)).delay, seconds(1));  // ran 60 s: stable
  policy.OnStarted(T(131));
  EXPECT_EQ(policy.OnFailure(T(132)).delay, seconds(2));
}

TEST(RestartPolicyTest, MoreThanFiveRestartsInFiveMinutesIsCrashLoop) {
  RestartPolicy policy;
  for (int i = 0; i < 5; ++i) {
    policy.OnStarted(T(i * 10));
    auto d = policy.OnFailure(T(i * 10 + 1));
    EXPECT_FALSE(d.crash_loop) << i;
    EXPECT_EQ(d.restarts_in_window, i + 1);
  }
  policy.OnStarted(T(50));
  auto sixth = policy.OnFailure(T(51));
  EXPECT_TRUE(sixth.crash_loop);
  EXPECT_EQ(sixth.restarts_in_window, 6);
  // Keeps counting, keeps answering with a delay (it never gives up).
  policy.OnStarted(T(120));
  auto seventh = policy.OnFailure(T(121));
  EXPECT_TRUE(seventh.crash_loop);
  EXPECT_GT(seventh.delay.count(), 0);
}

TEST(RestartPolicyTest, OldRestartsLeaveTheWindow) {
  RestartPolicy policy;
  for (int i = 0; i < 6; ++i) {
    policy.OnStarted(T(i * 70));
    (void)policy.OnFailure(T(i * 70 + 1));
  }
  // Six restarts spread over 351 s: the first one is outside the 300 s window.
  policy.OnStarted(T(400));
  auto d = policy.OnFailure(T(401));
  EXPECT_EQ(d.restarts_in_window, 5);  // 141, 211, 281, 351, 401
  EXPECT_FALSE(d.crash_loop);
}

TEST(RestartPolicyTest, CustomOptions) {
  RestartPolicyOptions options;
  options.initial_backoff = milliseconds(50);
  options.max_backoff = milliseconds(120);
  options.crash_loop_restarts = 1;
  RestartPolicy policy(options);
  policy.OnStarted(T(0));
  EXPECT_EQ(policy.OnFailure(T(0.1)).delay, milliseconds(50));
  policy.OnStarted(T(0.2));
  auto d = policy.OnFailure(T(0.3));
  EXPECT_EQ(d.delay, milliseconds(100));
  EXPECT_TRUE(d.crash_loop);
  policy.OnStarted(T(0.4));
  EXPECT_EQ(policy.OnFailure(T(0.5)).delay, milliseconds(120));
}

}  // namespace
}  // namespace zm::runner
