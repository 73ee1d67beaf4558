#include "common/ist.h"

#include <cstdio>

namespace zm {

IstCivil ToIst(SysTime t) {
  using namespace std::chrono;
  const auto local = time_point_cast<milliseconds>(t) + kIstOffset;
  const auto day = floor<days>(local);
  const year_month_day ymd{day};
  const auto in_day = local - day;
  const auto hms = hh_mm_ss<milliseconds>(duration_cast<milliseconds>(in_day));
  IstCivil c{};
  c.year = static_cast<int>(ymd.year());
  c.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  c.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  c.hour = static_cast<int>(hms.hours().count());
  c.minute = static_cast<int>(hms.minutes().count());
  c.second = static_cast<int>(hms.seconds().count());
  c.millisecond = static_cast<int>(hms.subseconds().count());
  c.weekday = static_cast<int>(weekday{day}.c_encoding());
  return c;
}

std::string IstDate(SysTime t) {
  const IstCivil c = ToIst(t);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
  return buf;
}

std::optional<SysTime> IstDayStart(std::string_view date) {
  int y = 0, m = 0, d = 0;
  if (date.size() != 10 || std::sscanf(std::string(date).c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3 ||
      m < 1 || m > 12 || d < 1 || d > 31) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{unsigned(m)},
                                        std::chrono::day{unsigned(d)}};
  if (!ymd.ok()) return std::nullopt;
  return SysTime(std::chrono::sys_days(ymd)) - kIstOffset;
}

int IstMinuteOfDay(SysTime t) {
  const IstCivil c = ToIst(t);
  return c.hour * 60 + c.minute;
}

bool IsMarketHours(SysTime t) {
  const IstCivil c = ToIst(t);
  if (c.weekday == 0 || c.weekday == 6) return false;
  const int minute = c.hour * 60 + c.minute;
  return minute >= 9 * 60 + 15 && minute < 15 * 60 + 30;
}

std::string FormatIstIso(SysTime t) {
  const IstCivil c = ToIst(t);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d+05:30", c.year, c.month, c.day,
                c.hour, c.minute, c.second, c.millisecond);
  return buf;
}

std::optional<int> ParseHhMm(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  auto digit = [&](size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (!digit(0) || !digit(1) || !digit(3) || !digit(4)) return std::nullopt;
  const int hour = (text[0] - '0') * 10 + (text[1] - '0');
  const int minute = (text[3] - '0') * 10 + (text[4] - '0');
  if (hour > 23 || minute > 59) return std::nullopt;
  return hour * 60 + minute;
}

}  // namespace zm
