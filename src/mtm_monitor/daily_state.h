// DailyState: what the monitor remembers about one trading day (common/trading_day.h: from
// trading.day_starts_at IST to the same time the next day), persisted in
// zerodha_mtm.db (table daily_state, one row per date) so that a restart in the middle of the
// day continues the same day: the day's maximum MTM, the trailing floor, the lock (target,
// loss, trailing or time: no new positions allowed today), every trigger and every square-off.
// A new trading day starts from FreshDay(). Plain value type; pure functions; thread-compatible.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace zm::monitor {

// Why the day is locked. Any lock means: every open position seen later today is squared off.
// Names: kDayLockNames in daily_state.cc, in this order (common/enum_names.h).
enum class DayLock { kNone, kTarget, kLoss, kTrailing, kTime, kMaxValue = kTime };
const char* DayLockName(DayLock lock);  // "none" | "target" | "loss" | "trailing" | "time"
std::optional<DayLock> ParseDayLock(std::string_view name);

// One trigger decision that the monitor acted on (or alerted about).
struct TriggerRecord {
  long long at_ms = 0;
  std::string reason;  // "loss" | "target" | "trailing" | "time" | "locked"
  double mtm = 0;
  // "square_off" | "alert" | "none" (trigger with nothing open) | "deferred" (outside the
  // sessions of every open position: evaluated again at the session open)
  std::string action;
  bool operator==(const TriggerRecord&) const = default;
};

struct DailyState {
  std::string trading_date;  // "YYYY-MM-DD" IST: the date the trading day started
  bool has_mtm = false;      // false until the first MTM of the day was computed
  double max_mtm = 0;        // the day's maximum MTM
  double last_mtm = 0;
  // Trailing profit: armed once MTM reached activate_at; the floor only ever rises.
  bool trailing_armed = false;
  double trailing_peak = 0;
  std::optional<double> trailing_floor;
  DayLock lock = DayLock::kNone;
  long long locked_at_ms = 0;
  // The lock episode already alerted (alert-only) or dry-run squared off: acted on once, not
  // every cycle. Cleared when no position is open any more.
  std::string acted_key;
  long long last_squareoff_finished_ms = 0;
  // Square-offs of this lock that ended without the book flat, in a row (0 after a flat one):
  // the next automatic run waits longer each time (trigger_policy.h).
  int failed_runs = 0;
  std::vector<TriggerRecord> triggers;
  std::vector<long long> squareoff_ids;
  // The one alert about positions a trigger covers that cannot be traded now (outside their
  // session): "<reason>:<EX>,<EX>". Cleared when there are none.
  std::string deferred_key;
  // Exchange -> epoch ms: the broker refused orders there as "market closed" (a holiday); no
  // automatic order for that exchange before then.
  std::map<std::string, long long> closed_until_ms;
  bool operator==(const DailyState&) const = default;
};

DailyState FreshDay(const std::string& trading_date);

nlohmann::json DailyStateToJson(const DailyState& state);
// kParseError when a field has the wrong type; missing fields keep their defaults.
Result<DailyState> DailyStateFromJson(const nlohmann::json& json);

}  // namespace zm::monitor
