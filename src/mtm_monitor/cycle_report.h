// CycleReport: pure formatting of one MTM cycle for people and for `summary`:
//   - the one stdout line per cycle (ARCHITECTURE.md):
//     "2026-11-26T10:15:03+05:30 MTM -4,512.25 (max 1,020.00) state=monitoring positions=4"
//   - the monitor snapshot document (schema in common/monitor_snapshot.h)
//   - the heartbeat details {last_cycle_ms, state, mtm, open_positions, last_valid_mtm_ms}
//     (open_positions -1 = not known yet; the runner's dead-man rule reads it).
// Pure functions of their inputs, thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/config.h"
#include "common/kite/models.h"
#include "mtm_monitor/daily_state.h"
#include "mtm_monitor/mtm_calc.h"

namespace zm::monitor {

// "-4,512.25": rupees with thousands separators and two decimals.
std::string FormatRupees(double rupees);

// The stdout line. `fallbacks` > 0 appends " fallbacks=N".
std::string CycleLine(SysTime now, double mtm, double max_mtm, const std::string& state_name,
                      int open_positions, size_t fallbacks);

struct SnapshotInput {
  long long now_ms = 0;
  const Config* config = nullptr;
  const DailyState* state = nullptr;
  std::string state_name;
  const std::vector<kite::Position>* net = nullptr;
  const MtmResult* mtm = nullptr;
  nlohmann::json square_offs = nlohmann::json::array();
  nlohmann::json last_critical = nullptr;  // {at_ms, message} or null
};

nlohmann::json BuildSnapshot(const SnapshotInput& input);

nlohmann::json HeartbeatDetails(long long last_cycle_ms, const std::string& state_name, double mtm,
                                int open_positions = -1, long long last_valid_mtm_ms = 0);

}  // namespace zm::monitor
