#include "common/market_hours.h"

#include <cstdio>

#include "common/ist.h"

namespace zm {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::weekday;
using std::chrono::year_month_day;

constexpr int HhMm(int h, int m) { return h * 60 + m; }

// The n-th Sunday (1-based) of a month.
int NthSunday(int year, unsigned month, int n) {
  const sys_days first = sys_days(
      year_month_day{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{1}});
  const int first_weekday = static_cast<int>(weekday{first}.c_encoding());  // 0 = Sunday
  const int first_sunday = 1 + (7 - first_weekday) % 7;
  return first_sunday + 7 * (n - 1);
}

std::optional<SessionTime> BuiltIn(const std::string& exchange, const IstCivil& date) {
  if (exchange == "NSE" || exchange == "BSE" || exchange == "NFO" || exchange == "BFO") {
    return SessionTime{HhMm(9, 15), HhMm(15, 30)};
  }
  if (exchange == "CDS" || exchange == "BCD") return SessionTime{HhMm(9, 0), HhMm(17, 0)};
  if (exchange == "MCX") {
    const bool dst = UsDaylightSavingOn(date.year, date.month, date.day);
    return SessionTime{HhMm(9, 0), dst ? HhMm(23, 30) : HhMm(23, 55)};
  }
  return std::nullopt;
}

}  // namespace

bool UsDaylightSavingOn(int year, int month, int day) {
  if (month < 3 || month > 11) return false;
  if (month > 3 && month < 11) return true;
  if (month == 3) return day >= NthSunday(year, 3, 2);
  return day < NthSunday(year, 11, 1);
}

std::optional<SessionTime> SessionOn(const std::string& exchange, SysTime instant,
                                     const MarketHoursConfig& config) {
  const IstCivil date = ToIst(instant);
  if (date.weekday == 0 || date.weekday == 6) return std::nullopt;
  if (auto it = config.sessions.find(exchange); it != config.sessions.end()) return it->second;
  if (auto session = BuiltIn(exchange, date)) return session;
  return SessionTime{0, 24 * 60};
}

bool InSession(const std::string& exchange, SysTime instant, const MarketHoursConfig& config) {
  if (!config.enforce) return true;
  const auto session = SessionOn(exchange, instant, config);
  if (!session) return false;
  const int minute = IstMinuteOfDay(instant);
  return minute >= session->open && minute < session->close;
}

std::optional<SysTime> NextSessionOpen(const std::string& exchange, SysTime instant,
                                       const MarketHoursConfig& config) {
  if (InSession(exchange, instant, config)) return std::nullopt;
  const auto midnight = IstDayStart(IstDate(instant));
  if (!midnight) return std::nullopt;
  for (int d = 0; d <= 8; ++d) {
    const SysTime day_start = *midnight + days(d);
    const auto session = SessionOn(exchange, day_start, config);
    if (!session) continue;
    const SysTime open = day_start + std::chrono::minutes(session->open);
    if (open >= instant) return open;
  }
  return std::nullopt;
}

std::string FormatSession(const SessionTime& s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d-%02d:%02d", s.open / 60, s.open % 60, s.close / 60,
                s.close % 60);
  return buf;
}

std::optional<SessionTime> ParseSession(const std::string& text) {
  if (text.size() != 11 || text[5] != '-') return std::nullopt;
  const auto open = ParseHhMm(text.substr(0, 5));
  const auto close = ParseHhMm(text.substr(6, 5));
  if (!open || !close || *open >= *close) return std::nullopt;
  return SessionTime{*open, *close};
}

}  // namespace zm
