#include "ltp_subscriber/position_schedule.h"

#include <gtest/gtest.h>

namespace zm::ltp {
namespace {

using Ms = std::chrono::milliseconds;
using Time = PositionSchedule::Time;

const Time kT0 = Time() + std::chrono::hours(1);

TEST(PositionScheduleTest, DueAtOnceThenEveryInterval) {
  PositionSchedule s(Ms(5000));
  EXPECT_TRUE(s.Due(kT0));
  s.OnFetchDone(kT0, true, s.OnFetchStart());
  EXPECT_FALSE(s.Due(kT0 + Ms(4999)));
  EXPECT_TRUE(s.Due(kT0 + Ms(5000)));
}

TEST(PositionScheduleTest, OrderUpdateBringsFetchWithinASecond) {
  PositionSchedule s(Ms(5000));
  s.OnFetchDone(kT0, true, s.OnFetchStart());
  s.OnOrderUpdate(kT0 + Ms(100));
  EXPECT_EQ(s.NextDue(), kT0 + Ms(350));
  EXPECT_LE(s.NextDue() - (kT0 + Ms(100)), Ms(1000));
}

TEST(PositionScheduleTest, BurstOfUpdatesCostsOneFetchAndIsNotPostponed) {
  PositionSchedule s(Ms(5000));
  s.OnFetchDone(kT0, true, s.OnFetchStart());
  s.OnOrderUpdate(kT0 + Ms(100));
  for (int i = 1; i < 20; ++i) s.OnOrderUpdate(kT0 + Ms(100 + i * 50));
  EXPECT_EQ(s.NextDue(), kT0 + Ms(350));  // the first update's deadline holds
  const auto ticket = s.OnFetchStart();
  s.OnFetchDone(kT0 + Ms(1200), true, ticket);
  EXPECT_EQ(s.NextDue(), kT0 + Ms(6200));  // back to periodic
}

TEST(PositionScheduleTest, UpdateDuringFetchKeepsAnEarlyFetch) {
  PositionSchedule s(Ms(5000));
  s.OnFetchDone(kT0, true, s.OnFetchStart());
  s.OnOrderUpdate(kT0 + Ms(100));
  const auto ticket = s.OnFetchStart();  // at 350
  s.OnOrderUpdate(kT0 + Ms(400));        // during the fetch
  s.OnFetchDone(kT0 + Ms(500), true, ticket);
  EXPECT_TRUE(s.Due(kT0 + Ms(500)));  // its result may predate the second update
  s.OnFetchDone(kT0 + Ms(700), true, s.OnFetchStart());
  EXPECT_EQ(s.NextDue(), kT0 + Ms(5700));
}

TEST(PositionScheduleTest, FailureRetriesSoonButNotInALoop) {
  PositionSchedule s(Ms(5000), Ms(250), Ms(1000));
  s.OnFetchDone(kT0, false, s.OnFetchStart());
  EXPECT_EQ(s.NextDue(), kT0 + Ms(1000));
  s.OnOrderUpdate(kT0 + Ms(10));
  s.OnFetchDone(kT0 + Ms(300), false, s.OnFetchStart());
  EXPECT_EQ(s.NextDue(), kT0 + Ms(1300));
}

TEST(PositionScheduleTest, ShortIntervalBoundsTheRetry) {
  PositionSchedule s(Ms(500), Ms(250), Ms(1000));
  s.OnFetchDone(kT0, false, s.OnFetchStart());
  EXPECT_EQ(s.NextDue(), kT0 + Ms(500));
}

TEST(PositionScheduleTest, CallerChosenRetryIsBoundedByTheInterval) {
  PositionSchedule s(Ms(5000), Ms(250), Ms(1000));
  s.OnFetchDone(kT0, false, s.OnFetchStart(), Ms::max());
  EXPECT_EQ(s.NextDue(), kT0 + Ms(5000));
  s.OnFetchDone(kT0, false, s.OnFetchStart(), Ms(200));
  EXPECT_EQ(s.NextDue(), kT0 + Ms(200));
}

TEST(PositionScheduleTest, RequestNow) {
  PositionSchedule s(Ms(5000));
  s.OnFetchDone(kT0, true, s.OnFetchStart());
  s.RequestNow(kT0 + Ms(10));
  EXPECT_TRUE(s.Due(kT0 + Ms(10)));
}

}  // namespace
}  // namespace zm::ltp
