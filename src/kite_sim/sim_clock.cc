#include "kite_sim/sim_clock.h"

#include <chrono>
#include <cstdio>

#include "common/ist.h"

namespace zm::sim {
namespace {

constexpr int64_t kDayMs = 24 * 3600 * 1000LL;
constexpr int64_t kIstOffsetMs = (5 * 60 + 30) * 60 * 1000LL;

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace

SimClock::SimClock(MsSource wall_ms, MsSource steady_ms)
    : wall_ms_(std::move(wall_ms)), steady_ms_(std::move(steady_ms)) {
  SetTradingDefault();
}

int64_t SimClock::NowMs() const { return anchor_epoch_ms_ + (steady_ms_() - anchor_steady_ms_); }

void SimClock::SetNow(int64_t epoch_ms) {
  anchor_epoch_ms_ = epoch_ms;
  anchor_steady_ms_ = steady_ms_();
}

void SimClock::SetWallOffset(int64_t offset_ms) { SetNow(wall_ms_() + offset_ms); }

void SimClock::SetTradingDefault() { SetNow(DefaultTradingTime(wall_ms_())); }

int64_t SimClock::DefaultTradingTime(int64_t wall_ms) {
  const IstCivil ist = ToIst(FromEpochMs(wall_ms));
  int64_t day = DaysFromCivil(ist.year, ist.month, ist.day);
  if (ist.weekday == 6) day -= 1;  // Saturday -> Friday
  if (ist.weekday == 0) day -= 2;  // Sunday -> Friday
  return day * kDayMs + (10 * 60 + 30) * 60 * 1000LL - kIstOffsetMs;
}

std::optional<int64_t> ParseIstDateTime(const std::string& text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, used = 0;
  const int n = std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d%n:%2d%n", &y, &mo, &d, &h, &mi,
                            &used, &s, &used);
  if (n < 5 || static_cast<size_t>(used) != text.size()) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59 || y < 1970)
    return std::nullopt;
  return DaysFromCivil(y, mo, d) * kDayMs + ((h * 60 + mi) * 60 + s) * 1000LL - kIstOffsetMs;
}

}  // namespace zm::sim
