// Market hours: the trading sessions of each exchange (IST), so that no order is sent when no
// exchange would take it. A pure table, not a holiday calendar: exchange holidays are not in the
// Kite API, so a holiday shows up as a broker refusal ("market closed") and is handled there.
//
// Built-in sessions, Monday to Friday (minutes of the IST day, open <= t < close):
//   NSE, BSE (cash), NFO, BFO (F&O)   09:15-15:30
//   CDS, BCD (currency)               09:00-17:00
//   MCX (commodities)                 09:00-23:30 while US daylight saving time is on,
//                                     09:00-23:55 while it is off (the US DST dates of that day)
// market_hours.<EXCHANGE> in the config replaces one exchange's session ("HH:MM-HH:MM");
// market_hours.enforce: false makes every exchange count as open (the broker decides).
// An exchange missing from the table (e.g. NCO) counts as open: the broker decides, and its
// "market closed" refusal is not retried in a loop.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "common/clock.h"
#include "common/config.h"

namespace zm {

// US daylight saving time on a calendar date: from the second Sunday of March to the day
// before the first Sunday of November (the rule since 2007).
bool UsDaylightSavingOn(int year, int month, int day);

// The session of `exchange` on the IST calendar date of `instant`; nullopt on Saturdays and
// Sundays. An exchange outside the table gets the whole day.
std::optional<SessionTime> SessionOn(const std::string& exchange, SysTime instant,
                                     const MarketHoursConfig& config);

// Whether an order for `exchange` can be sent at `instant`.
bool InSession(const std::string& exchange, SysTime instant, const MarketHoursConfig& config);

// The next session open of `exchange` at or after `instant` (within 8 days); nullopt when the
// exchange is open now or has no session in that time.
std::optional<SysTime> NextSessionOpen(const std::string& exchange, SysTime instant,
                                       const MarketHoursConfig& config);

// "09:15-15:30".
std::string FormatSession(const SessionTime& session);
// Parses "HH:MM-HH:MM" (open before close); nullopt when malformed.
std::optional<SessionTime> ParseSession(const std::string& text);

}  // namespace zm
