#include "common/ist.h"

#include <gtest/gtest.h>

namespace zm {
namespace {

using namespace std::chrono;

SysTime Utc(int y, unsigned m, unsigned d, int hh, int mm, int ss = 0) {
  return sys_days{year{y} / month{m} / day{d}} + hours{hh} + minutes{mm} + seconds{ss};
}

TEST(IstTest, DateFlipsAt1830Utc) {
  EXPECT_EQ(IstDate(Utc(2026, 11, 26, 18, 29, 59)), "2026-11-26");
  EXPECT_EQ(IstDate(Utc(2026, 11, 26, 18, 30, 0)), "2026-11-27");
}

TEST(IstTest, UtcMidnightIsMorningInIst) {
  EXPECT_EQ(IstDate(Utc(2026, 11, 26, 23, 59, 59)), "2026-11-27");
  EXPECT_EQ(IstDate(Utc(2026, 11, 27, 0, 0, 0)), "2026-11-27");
  EXPECT_EQ(IstMinuteOfDay(Utc(2026, 11, 27, 0, 0, 0)), 5 * 60 + 30);
}

TEST(IstTest, YearAndMonthBoundaries) {
  EXPECT_EQ(IstDate(Utc(2026, 12, 31, 18, 30)), "2027-01-01");
  EXPECT_EQ(IstDate(Utc(2028, 2, 28, 18, 30)), "2028-02-29");
}

TEST(IstTest, FormatsIsoWithOffset) {
  EXPECT_EQ(FormatIstIso(Utc(2026, 11, 26, 12, 39, 21) + milliseconds(7)),
            "2026-11-26T18:09:21.007+05:30");
}

TEST(IstTest, MarketHours) {
  // 2026-11-26 is a Thursday. 09:15 IST = 03:45 UTC; 15:30 IST = 10:00 UTC.
  EXPECT_FALSE(IsMarketHours(Utc(2026, 11, 26, 3, 44, 59)));
  EXPECT_TRUE(IsMarketHours(Utc(2026, 11, 26, 3, 45, 0)));
  EXPECT_TRUE(IsMarketHours(Utc(2026, 11, 26, 9, 59, 59)));
  EXPECT_FALSE(IsMarketHours(Utc(2026, 11, 26, 10, 0, 0)));
  EXPECT_FALSE(IsMarketHours(Utc(2026, 11, 28, 5, 0, 0)));  // Saturday
  EXPECT_FALSE(IsMarketHours(Utc(2026, 11, 29, 5, 0, 0)));  // Sunday
}

TEST(IstTest, WeekdayFollowsIstNotUtc) {
  // Friday 19:00 UTC is Saturday 00:30 IST.
  EXPECT_EQ(ToIst(Utc(2026, 11, 27, 19, 0)).weekday, 6);
}

TEST(IstTest, ParseHhMm) {
  EXPECT_EQ(ParseHhMm("15:15"), 915);
  EXPECT_EQ(ParseHhMm("00:00"), 0);
  EXPECT_EQ(ParseHhMm("23:59"), 23 * 60 + 59);
  EXPECT_FALSE(ParseHhMm("24:00"));
  EXPECT_FALSE(ParseHhMm("9:15"));
  EXPECT_FALSE(ParseHhMm("09-15"));
  EXPECT_FALSE(ParseHhMm(""));
}

}  // namespace
}  // namespace zm
