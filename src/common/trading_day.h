// The trading day: the suite's daily state (max MTM, lock, triggers, square-offs) belongs to a
// trading day that starts at trading.day_starts_at IST (default 08:00, after Kite's start-of-day
// run) and lasts until the same time the next calendar day. Before that time the previous
// trading day is still current: its state and rows are shown, never acted on anew.
// Pure functions of the instant and the start minute; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "common/clock.h"

namespace zm {

inline constexpr int kMinutesPerDay = 24 * 60;

// "YYYY-MM-DD": the IST date on which the trading day holding `instant` started.
// `starts_at_minute` is minutes since 00:00 IST, [0, 1440).
std::string TradingDayOf(SysTime instant, int starts_at_minute);

// When the trading day `date` starts; nullopt when `date` is malformed.
std::optional<SysTime> TradingDayStart(const std::string& date, int starts_at_minute);

// Minutes since the trading day's start of an IST minute of day, [0, 1440): ordering within a
// trading day (00:30 comes after 23:30 when the day starts at 08:00).
int TradingDayMinute(int ist_minute_of_day, int starts_at_minute);

// True when `instant` lies in the part of its trading day that falls on the next calendar date
// (00:00 to starts_at IST): the previous day's figures are shown, nothing is acted on anew.
bool InTradingDayTail(SysTime instant, int starts_at_minute);

}  // namespace zm
