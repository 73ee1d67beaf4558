// DashboardData: reads what the dashboard shows from the data dir of one config, through the
// existing readers (status: CollectStatusInputs/BuildStatusJson; the monitor's snapshot; the
// day's curve, events and square-off reports: day_data.h), and builds the JSON snapshot
// (dashboard_core.h). Every read is read-only with a short busy timeout, so a busy database
// costs at most that long and leaves the previous value on the page; nothing is held open
// between calls.
// Cost control (it runs on the runner's single io thread): the whole curve is re-read only
// every kCurveReread; in between, each new snapshot's (updated_at_ms, mtm) is appended. The
// reports are re-read only when the snapshot's square-offs changed (or every kReportsReread).
// Single-threaded; holds a copy of the config.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "common/config.h"

namespace zm::runner {

class DashboardData {
 public:
  explicit DashboardData(Config config, int busy_ms = 100);
  // The snapshot at `now_ms` (epoch ms, the process clock). Never throws.
  nlohmann::json Collect(int64_t now_ms);
  // True when zerodha_mtm.db or its WAL changed (size or mtime) since the last call: the
  // monitor committed a cycle. Two stat() calls, no SQLite.
  bool Changed();

  static constexpr int64_t kCurveRereadMs = 15000;
  static constexpr int64_t kReportsRereadMs = 10000;
  static constexpr size_t kCurvePoints = 600;

 private:
  void RefreshCurve(const std::string& date, const nlohmann::json& snapshot, int64_t now_ms);
  void RefreshReports(const std::string& date, const nlohmann::json& snapshot, int64_t now_ms);

  Config config_;
  int busy_ms_;
  std::string curve_date_;
  std::vector<std::pair<long long, double>> curve_;
  int64_t curve_read_at_ms_ = 0;
  nlohmann::json reports_ = nlohmann::json::array();
  std::string reports_key_;  // date + the snapshot's square_offs when the reports were read
  int64_t reports_read_at_ms_ = 0;
  std::string files_seen_;  // sizes and mtimes of zerodha_mtm.db and its -wal
};

}  // namespace zm::runner
