#include "runner/health.h"

#include <gtest/gtest.h>

namespace zm::runner {
namespace {

HealthInput Base() {
  HealthInput in;
  in.child_pid = 42;
  in.started_at_ms = 1'000'000;
  in.now_ms = 1'005'000;
  in.stale_seconds = 15;
  return in;
}

TEST(HealthTest, ExitedWins) {
  auto in = Base();
  in.exited = true;
  in.heartbeat = HeartbeatSeen{42, in.now_ms};
  EXPECT_EQ(DecideHealth(in), Health::kExited);
}

TEST(HealthTest, FreshHeartbeatIsOk) {
  auto in = Base();
  in.heartbeat = HeartbeatSeen{42, in.now_ms - 14'000};
  EXPECT_EQ(DecideHealth(in), Health::kOk);
  in.heartbeat->updated_at_ms = in.now_ms - 15'000;  // exactly at the limit: still ok
  EXPECT_EQ(DecideHealth(in), Health::kOk);
}

TEST(HealthTest, StaleHeartbeatIsHung) {
  auto in = Base();
  in.heartbeat = HeartbeatSeen{42, in.now_ms - 15'001};
  EXPECT_EQ(DecideHealth(in), Health::kHung);
}

TEST(HealthTest, NoHeartbeatYetGetsGraceFromStart) {
  auto in = Base();
  EXPECT_EQ(DecideHealth(in), Health::kStarting);
  in.now_ms = in.started_at_ms + 15'001;
  EXPECT_EQ(DecideHealth(in), Health::kHung);
}

TEST(HealthTest, HeartbeatOfAnEarlierInstanceDoesNotCount) {
  auto in = Base();
  in.heartbeat = HeartbeatSeen{41, in.now_ms};  // the previous pid, fresh
  in.now_ms = in.started_at_ms + 20'000;
  EXPECT_EQ(DecideHealth(in), Health::kHung);
  EXPECT_STREQ(HealthName(Health::kHung), "hung");
}

}  // namespace
}  // namespace zm::runner
