#include "mtm_monitor/daily_state.h"

#include "common/enum_names.h"

namespace zm::monitor {
namespace {

nlohmann::json TriggerToJson(const TriggerRecord& t) {
  return {{"at_ms", t.at_ms}, {"reason", t.reason}, {"mtm", t.mtm}, {"action", t.action}};
}

TriggerRecord TriggerFromJson(const nlohmann::json& j) {
  TriggerRecord t;
  t.at_ms = j.value("at_ms", 0LL);
  t.reason = j.value("reason", "");
  t.mtm = j.value("mtm", 0.0);
  t.action = j.value("action", "");
  return t;
}

}  // namespace

constexpr auto kDayLockNames =
    MakeEnumNames<DayLock>({"none", "target", "loss", "trailing", "time"});

const char* DayLockName(DayLock lock) { return kDayLockNames.Name(lock, "none"); }

std::optional<DayLock> ParseDayLock(std::string_view name) { return kDayLockNames.Parse(name); }

DailyState FreshDay(const std::string& trading_date) {
  DailyState state;
  state.trading_date = trading_date;
  return state;
}

nlohmann::json DailyStateToJson(const DailyState& s) {
  nlohmann::json triggers = nlohmann::json::array();
  for (const auto& t : s.triggers) triggers.push_back(TriggerToJson(t));
  return {{"trading_date", s.trading_date},
          {"has_mtm", s.has_mtm},
          {"max_mtm", s.max_mtm},
          {"last_mtm", s.last_mtm},
          {"trailing_armed", s.trailing_armed},
          {"trailing_peak", s.trailing_peak},
          {"trailing_floor",
           s.trailing_floor ? nlohmann::json(*s.trailing_floor) : nlohmann::json(nullptr)},
          {"lock", DayLockName(s.lock)},
          {"locked_at_ms", s.locked_at_ms},
          {"acted_key", s.acted_key},
          {"last_squareoff_finished_ms", s.last_squareoff_finished_ms},
          {"failed_runs", s.failed_runs},
          {"triggers", triggers},
          {"squareoff_ids", s.squareoff_ids},
          {"deferred_key", s.deferred_key},
          {"closed_until_ms", s.closed_until_ms}};
}

Result<DailyState> DailyStateFromJson(const nlohmann::json& j) {
  if (!j.is_object()) return ParseError("daily state: not a JSON object");
  try {
    DailyState s;
    s.trading_date = j.value("trading_date", "");
    s.has_mtm = j.value("has_mtm", false);
    s.max_mtm = j.value("max_mtm", 0.0);
    s.last_mtm = j.value("last_mtm", 0.0);
    s.trailing_armed = j.value("trailing_armed", false);
    s.trailing_peak = j.value("trailing_peak", 0.0);
    if (j.contains("trailing_floor") && !j["trailing_floor"].is_null()) {
      s.trailing_floor = j["trailing_floor"].get<double>();
    }
    auto lock = ParseDayLock(j.value("lock", "none"));
    if (!lock) return ParseError("daily state: unknown lock '" + j.value("lock", "") + "'");
    s.lock = *lock;
    s.locked_at_ms = j.value("locked_at_ms", 0LL);
    s.acted_key = j.value("acted_key", "");
    s.last_squareoff_finished_ms = j.value("last_squareoff_finished_ms", 0LL);
    s.failed_runs = j.value("failed_runs", 0);
    if (j.contains("triggers")) {
      for (const auto& t : j["triggers"]) s.triggers.push_back(TriggerFromJson(t));
    }
    if (j.contains("squareoff_ids"))
      s.squareoff_ids = j["squareoff_ids"].get<std::vector<long long>>();
    s.deferred_key = j.value("deferred_key", "");
    if (j.contains("closed_until_ms") && j["closed_until_ms"].is_object()) {
      s.closed_until_ms = j["closed_until_ms"].get<std::map<std::string, long long>>();
    }
    return s;
  } catch (const std::exception& e) {
    return ParseError(std::string("daily state: ") + e.what());
  }
}

}  // namespace zm::monitor
