// Market sessions per exchange (market_hours.h) and the trading day (trading_day.h).
#include "common/market_hours.h"

#include <gtest/gtest.h>

#include "common/ist.h"
#include "common/trading_day.h"

namespace zm {
namespace {

// An IST wall-clock time on a date.
SysTime Ist(const std::string& date, int hour, int minute, int second = 0) {
  return *IstDayStart(date) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
         std::chrono::seconds(second);
}

TEST(MarketHoursTest, UsDaylightSavingDates) {
  // 2026: DST from Sunday 8 March to Sunday 1 November.
  EXPECT_FALSE(UsDaylightSavingOn(2026, 3, 7));
  EXPECT_TRUE(UsDaylightSavingOn(2026, 3, 8));
  EXPECT_TRUE(UsDaylightSavingOn(2026, 7, 1));
  EXPECT_TRUE(UsDaylightSavingOn(2026, 10, 31));
  EXPECT_FALSE(UsDaylightSavingOn(2026, 11, 1));
  EXPECT_FALSE(UsDaylightSavingOn(2026, 12, 15));
  EXPECT_FALSE(UsDaylightSavingOn(2026, 1, 15));
  // 2025: 9 March to 2 November.
  EXPECT_FALSE(UsDaylightSavingOn(2025, 3, 8));
  EXPECT_TRUE(UsDaylightSavingOn(2025, 3, 9));
  EXPECT_TRUE(UsDaylightSavingOn(2025, 11, 1));
  EXPECT_FALSE(UsDaylightSavingOn(2025, 11, 2));
}

TEST(MarketHoursTest, SessionsPerExchange) {
  const MarketHoursConfig config;
  const std::string thursday = "2026-11-26";  // US DST off: MCX until 23:55
  EXPECT_FALSE(InSession("NFO", Ist(thursday, 9, 14, 59), config));
  EXPECT_TRUE(InSession("NFO", Ist(thursday, 9, 15), config));
  EXPECT_TRUE(InSession("NSE", Ist(thursday, 15, 29, 59), config));
  EXPECT_FALSE(InSession("BSE", Ist(thursday, 15, 30), config));
  EXPECT_TRUE(InSession("BFO", Ist(thursday, 12, 0), config));
  EXPECT_TRUE(InSession("CDS", Ist(thursday, 9, 0), config));
  EXPECT_TRUE(InSession("BCD", Ist(thursday, 16, 59), config));
  EXPECT_FALSE(InSession("CDS", Ist(thursday, 17, 0), config));
  EXPECT_TRUE(InSession("MCX", Ist(thursday, 23, 40), config));
  EXPECT_FALSE(InSession("MCX", Ist(thursday, 23, 55), config));
  EXPECT_FALSE(InSession("MCX", Ist(thursday, 8, 59), config));
  EXPECT_FALSE(InSession("NFO", Ist(thursday, 2, 0), config));
  // US DST on (July): MCX closes at 23:30.
  EXPECT_TRUE(InSession("MCX", Ist("2026-07-02", 23, 29), config));
  EXPECT_FALSE(InSession("MCX", Ist("2026-07-02", 23, 30), config));
  // Weekends: nothing; an exchange outside the table: always (the broker decides).
  EXPECT_FALSE(InSession("NFO", Ist("2026-11-28", 11, 0), config));
  EXPECT_FALSE(InSession("MCX", Ist("2026-11-29", 11, 0), config));
  EXPECT_TRUE(InSession("NCO", Ist(thursday, 2, 0), config));
}

TEST(MarketHoursTest, OverridesAndEnforce) {
  MarketHoursConfig config;
  config.sessions["NFO"] = SessionTime{9 * 60, 12 * 60};
  EXPECT_FALSE(InSession("NFO", Ist("2026-11-26", 12, 0), config));
  EXPECT_TRUE(InSession("NSE", Ist("2026-11-26", 12, 0), config));
  config.enforce = false;
  EXPECT_TRUE(InSession("NFO", Ist("2026-11-28", 2, 0), config));
  EXPECT_EQ(NextSessionOpen("NFO", Ist("2026-11-28", 2, 0), config), std::nullopt);
}

TEST(MarketHoursTest, NextSessionOpen) {
  const MarketHoursConfig config;
  EXPECT_EQ(NextSessionOpen("NFO", Ist("2026-11-26", 2, 0), config), Ist("2026-11-26", 9, 15));
  EXPECT_EQ(NextSessionOpen("NFO", Ist("2026-11-26", 10, 0), config), std::nullopt);
  // Friday evening -> Monday.
  EXPECT_EQ(NextSessionOpen("NFO", Ist("2026-11-27", 16, 0), config), Ist("2026-11-30", 9, 15));
  EXPECT_EQ(NextSessionOpen("MCX", Ist("2026-11-26", 23, 56), config), Ist("2026-11-27", 9, 0));
}

TEST(MarketHoursTest, SessionText) {
  EXPECT_EQ(ParseSession("09:15-15:30"), (SessionTime{555, 930}));
  EXPECT_EQ(ParseSession("15:30-09:15"), std::nullopt);
  EXPECT_EQ(ParseSession("9:15-15:30"), std::nullopt);
  EXPECT_EQ(FormatSession(SessionTime{540, 1435}), "09:00-23:55");
}

TEST(TradingDayTest, StartsAtTheConfiguredTime) {
  const int eight = 8 * 60;
  EXPECT_EQ(TradingDayOf(Ist("2026-11-26", 2, 0), eight), "2026-11-25");
  EXPECT_EQ(TradingDayOf(Ist("2026-11-26", 7, 59, 59), eight), "2026-11-25");
  EXPECT_EQ(TradingDayOf(Ist("2026-11-26", 8, 0), eight), "2026-11-26");
  EXPECT_EQ(TradingDayOf(Ist("2026-11-26", 23, 59), eight), "2026-11-26");
  EXPECT_EQ(TradingDayOf(Ist("2026-11-26", 0, 0), 0), "2026-11-26");
  EXPECT_EQ(TradingDayOf(Ist("2026-03-01", 1, 0), eight), "2026-02-28");
  EXPECT_EQ(TradingDayStart("2026-11-26", eight), Ist("2026-11-26", 8, 0));
  EXPECT_TRUE(InTradingDayTail(Ist("2026-11-26", 2, 0), eight));
  EXPECT_FALSE(InTradingDayTail(Ist("2026-11-26", 9, 0), eight));
  // Order inside a trading day: 00:30 comes after 23:30.
  EXPECT_GT(TradingDayMinute(30, eight), TradingDayMinute(23 * 60 + 30, eight));
  EXPECT_EQ(TradingDayMinute(eight, eight), 0);
}

}  // namespace
}  // namespace zm
