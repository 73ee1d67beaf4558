#include "common/trading_day.h"

#include "common/ist.h"

namespace zm {

std::string TradingDayOf(SysTime instant, int starts_at_minute) {
  if (IstMinuteOfDay(instant) < starts_at_minute) return IstDate(instant - std::chrono::hours(24));
  return IstDate(instant);
}

std::optional<SysTime> TradingDayStart(const std::string& date, int starts_at_minute) {
  auto midnight = IstDayStart(date);
  if (!midnight) return std::nullopt;
  return *midnight + std::chrono::minutes(starts_at_minute);
}

int TradingDayMinute(int ist_minute_of_day, int starts_at_minute) {
  return (ist_minute_of_day - starts_at_minute + kMinutesPerDay) % kMinutesPerDay;
}

bool InTradingDayTail(SysTime instant, int starts_at_minute) {
  return IstMinuteOfDay(instant) < starts_at_minute;
}

}  // namespace zm
