#include "runner/dashboard_data.h"

#include <SQLiteCpp/Database.h>
#include <sys/stat.h>

#include "common/clock.h"
#include "common/ist.h"
#include "common/monitor_snapshot.h"
#include "runner/dashboard_core.h"
#include "runner/day_data.h"
#include "runner/render.h"
#include "runner/verbs.h"

namespace zm::runner {
namespace {

using nlohmann::json;

// The monitor's snapshot, or null with the reason in `problem`.
json ReadSnapshot(const fs::path& path, int busy_ms, std::string* problem) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    *problem = "no zerodha_mtm.db yet: the monitor has not run with this config";
    return nullptr;
  }
  try {
    SQLite::Database db(path.string(), SQLite::OPEN_READONLY, busy_ms);
    auto read = ReadMonitorSnapshot(db);
    if (!read.ok()) {
      *problem = read.status().message();
    } else if (!read->has_value()) {
      *problem = "the monitor has not written a snapshot yet";
    } else {
      return **read;
    }
  } catch (const std::exception& e) {
    *problem = std::string("cannot read zerodha_mtm.db: ") + e.what();
  }
  return nullptr;
}

}  // namespace

DashboardData::DashboardData(Config config, int busy_ms)
    : config_(std::move(config)), busy_ms_(busy_ms) {}

void DashboardData::RefreshCurve(const std::string& date, const json& snapshot, int64_t now_ms) {
  if (date != curve_date_ || now_ms - curve_read_at_ms_ >= kCurveRereadMs) {
    auto read = DayCurve(config_.mtm_db_path(), date, kCurvePoints, busy_ms_);
    if (read.ok()) {
      curve_ = std::move(*read);
      curve_date_ = date;
      curve_read_at_ms_ = now_ms;
      return;
    }
    if (date != curve_date_) curve_.clear();  // a busy read: keep the old curve of the same day
    curve_date_ = date;
  }
  // In between: the snapshot's own point, when it is newer than the last one.
  const json at = snapshot.is_object() ? snapshot.value("updated_at_ms", json()) : json();
  const json mtm = snapshot.is_object() ? snapshot.value("mtm", json()) : json();
  if (!at.is_number() || !mtm.is_number()) return;
  if (snapshot.value("trading_date", std::string()) != date) return;
  if (curve_.empty() || at.get<long long>() > curve_.back().first) {
    curve_.emplace_back(at.get<long long>(), mtm.get<double>());
  }
}

void DashboardData::RefreshReports(const std::string& date, const json& snapshot, int64_t now_ms) {
  const std::string key =
      date + (snapshot.is_object() ? snapshot.value("square_offs", json()).dump() : "");
  if (key == reports_key_ && now_ms - reports_read_at_ms_ < kReportsRereadMs) return;
  auto read = DayReports(config_.mtm_db_path(), date, busy_ms_);
  if (!read.ok()) return;  // busy: the previous reports stay
  reports_ = std::move(*read);
  reports_key_ = key;
  reports_read_at_ms_ = now_ms;
}

bool DashboardData::Changed() {
  std::string seen;
  const std::string db = config_.mtm_db_path().string();
  for (const std::string& path : {db, db + "-wal"}) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) continue;
    seen += std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
            std::to_string(st.st_mtim.tv_nsec) + ";";
  }
  if (seen == files_seen_) return false;
  files_seen_ = std::move(seen);
  return true;
}

json DashboardData::Collect(int64_t now_ms) {
  try {
    DashboardInputs in;
    in.now_ms = now_ms;
    in.monitor_snapshot = ReadSnapshot(config_.mtm_db_path(), busy_ms_, &in.snapshot_problem);
    in.status = BuildStatusJson(CollectStatusInputs(config_));
    const std::string date =
        in.monitor_snapshot.is_object()
            ? in.monitor_snapshot.value("trading_date", IstDate(FromEpochMs(now_ms)))
            : IstDate(FromEpochMs(now_ms));
    RefreshCurve(date, in.monitor_snapshot, now_ms);
    RefreshReports(date, in.monitor_snapshot, now_ms);
    in.curve = curve_;
    in.reports = reports_;
    auto events = DayEvents(config_.mtm_db_path(), date, 30, busy_ms_);
    in.events = events.ok() ? *events : json::array();
    return BuildDashboardSnapshot(in);
  } catch (const std::exception& e) {
    return json{{"now_ms", now_ms}, {"available", false}, {"problem", e.what()}};
  }
}

}  // namespace zm::runner
