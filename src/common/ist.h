// Indian Standard Time helpers (UTC+05:30, no daylight saving), independent of the machine's
// time zone. Pure functions of the instant they are given.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace zm {

inline constexpr std::chrono::minutes kIstOffset{5 * 60 + 30};

struct IstCivil {
  int year, month, day;      // calendar date in IST
  int hour, minute, second;  // wall clock in IST
  int millisecond;
  int weekday;  // 0 = Sunday ... 6 = Saturday
};

IstCivil ToIst(SysTime t);

// The IST trading date "YYYY-MM-DD" of an instant (the day boundary is 00:00 IST = 18:30 UTC).
std::string IstDate(SysTime t);

// 00:00 IST of a "YYYY-MM-DD" date; nullopt when malformed.
std::optional<SysTime> IstDayStart(std::string_view date);

// Minutes since 00:00 IST.
int IstMinuteOfDay(SysTime t);

// Monday-Friday, 09:15 <= t < 15:30 IST. Exchange holidays are not known here.
bool IsMarketHours(SysTime t);

// "2026-11-26T18:09:21.123+05:30".
std::string FormatIstIso(SysTime t);

// Parses "HH:MM" (24 h) to minutes since midnight; nullopt when malformed or out of range.
std::optional<int> ParseHhMm(std::string_view text);

}  // namespace zm
