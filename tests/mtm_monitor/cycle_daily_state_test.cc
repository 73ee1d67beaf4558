// DailyState: JSON round trip and lock names.
#include <gtest/gtest.h>

#include "mtm_monitor/daily_state.h"

namespace zm::monitor {
namespace {

TEST(DailyStateTest, FreshDayIsEmpty) {
  DailyState s = FreshDay("2026-11-26");
  EXPECT_EQ(s.trading_date, "2026-11-26");
  EXPECT_EQ(s.lock, DayLock::kNone);
  EXPECT_FALSE(s.has_mtm);
  EXPECT_FALSE(s.trailing_floor.has_value());
}

TEST(DailyStateTest, JsonRoundTrip) {
  DailyState s = FreshDay("2026-11-26");
  s.has_mtm = true;
  s.max_mtm = 2100.5;
  s.last_mtm = 1800.25;
  s.trailing_armed = true;
  s.trailing_peak = 2100.5;
  s.trailing_floor = 1500;
  s.lock = DayLock::kTarget;
  s.locked_at_ms = 123;
  s.acted_key = "target";
  s.last_squareoff_finished_ms = 456;
  s.triggers.push_back({100, "target", 2100.5, "square_off"});
  s.squareoff_ids = {1, 2};
  auto back = DailyStateFromJson(DailyStateToJson(s));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, s);
  auto reparsed = DailyStateFromJson(nlohmann::json::parse(DailyStateToJson(s).dump()));
  ASSERT_TRUE(reparsed.ok());
  EXPECT_EQ(*reparsed, s);
}

TEST(DailyStateTest, NullFloorRoundTrips) {
  auto back = DailyStateFromJson(DailyStateToJson(FreshDay("2026-11-26")));
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(back->trailing_floor.has_value());
}

TEST(DailyStateTest, BadJsonIsAnError) {
  EXPECT_FALSE(DailyStateFromJson(nlohmann::json::array()).ok());
  EXPECT_FALSE(DailyStateFromJson({{"lock", "sideways"}}).ok());
  EXPECT_FALSE(DailyStateFromJson({{"max_mtm", "lots"}}).ok());
}

TEST(DailyStateTest, LockNames) {
  for (DayLock l :
       {DayLock::kNone, DayLock::kTarget, DayLock::kLoss, DayLock::kTrailing, DayLock::kTime}) {
    EXPECT_EQ(ParseDayLock(DayLockName(l)), l);
  }
  EXPECT_FALSE(ParseDayLock("x").has_value());
}

}  // namespace
}  // namespace zm::monitor
