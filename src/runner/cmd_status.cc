// status and summary: read-only views of the pid/state files and the two databases.
#include <SQLiteCpp/Database.h>

#include <iostream>

#include "common/clock.h"
#include "common/ist.h"
#include "common/monitor_snapshot.h"
#include "common/process_clock.h"
#include "common/text_file.h"
#include "common/trading_db.h"
#include "runner/day_data.h"
#include "runner/files.h"
#include "runner/heartbeat_source.h"
#include "runner/orphans.h"
#include "runner/render.h"
#include "runner/report_render.h"
#include "runner/verbs.h"

namespace zm::runner {
namespace {

using nlohmann::json;

std::optional<std::string> ReadTokenState(const fs::path& trading_db) {
  std::error_code ec;
  if (!fs::exists(trading_db, ec)) return std::nullopt;
  try {
    SQLite::Database db(trading_db.string(), SQLite::OPEN_READONLY, 500);
    if (!db.tableExists("meta")) return std::nullopt;
    SQLite::Statement st(db, "SELECT value FROM meta WHERE key = ?");
    st.bind(1, kMetaTokenState);
    if (!st.executeStep()) return std::nullopt;
    return st.getColumn(0).getString();
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

StatusInputs CollectStatusInputs(const Config& config) {
  StatusInputs in;
  in.now_ms = ProcessNowMs();
  if (auto pid = ReadPidFile(config.data_dir / "runner.pid")) {
    in.runner_pid = *pid;
    in.runner_running = ProcessAlive(*pid) && IsLockHeld(config.data_dir / "runner.lock");
  }
  if (auto text = ReadTextFile(config.data_dir / "runner_state.json")) {
    in.runner_state = json::parse(*text, nullptr, false);
    if (in.runner_state.is_discarded()) in.runner_state = nullptr;
  }
  for (const char* name : {kSubscriber, kMonitor}) in.child_running[name] = false;
  for (const RecordedChild& c : FindRunningChildren(config.data_dir)) {
    in.child_running[c.name] = true;
  }
  for (const auto& [name, db] : {std::pair{kSubscriber, config.trading_db_path()},
                                 std::pair{kMonitor, config.mtm_db_path()}}) {
    auto hb = ReadHeartbeatFile(db, name);
    if (!hb.ok()) {
      in.heartbeat_errors[name] = hb.status().message();
    } else if (hb->has_value()) {
      in.heartbeats[name] = **hb;
    }
  }
  in.token_state = ReadTokenState(config.trading_db_path());
  return in;
}

int RunStatus(const Config& config, bool as_json) {
  const json status = BuildStatusJson(CollectStatusInputs(config));
  if (as_json) {
    std::cout << status.dump(2) << "\n";
  } else {
    std::cout << RenderStatusText(status);
  }
  return kExitOk;
}

int RunSummary(const Config& config, bool as_json) {
  const fs::path path = config.mtm_db_path();
  std::optional<json> snapshot;
  std::string problem;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    problem = "no " + path.string() + " yet: the monitor has not run with this config";
  } else {
    try {
      SQLite::Database db(path.string(), SQLite::OPEN_READONLY, 1000);
      auto read = ReadMonitorSnapshot(db);
      if (!read.ok()) {
        problem = read.status().message();
      } else if (!read->has_value()) {
        problem = "the monitor has not written a snapshot yet";
      } else {
        snapshot = **read;
      }
    } catch (const std::exception& e) {
      problem = std::string("cannot read ") + path.string() + ": " + e.what();
    }
  }
  if (!snapshot) {
    if (as_json) {
      std::cout << json{{"available", false}, {"reason", problem}}.dump(2) << "\n";
    } else {
      std::cerr << "zerodha_runner: " << problem << "\n";
    }
    return kExitRuntime;
  }
  json summary = BuildSummaryJson(*snapshot, ProcessNowMs());
  summary["available"] = true;
  // The day's square-off reports and MTM curve (issue #14): read-only, best effort.
  const std::string date = summary.value("trading_date", IstDate(std::chrono::system_clock::now()));
  auto reports = DayReports(path, date);
  auto curve = DayCurve(path, date, 500);
  summary["squareoff_reports"] = reports.ok() ? *reports : json::array();
  if (as_json) {
    std::cout << summary.dump(2) << "\n";
  } else {
    std::cout << RenderSummaryText(summary);
    if (curve.ok()) std::cout << RenderSparklineLine(*curve);
    if (reports.ok() && !reports->empty()) {
      std::cout << "Square-off report (zerodha_runner report for the details):\n"
                << RenderReportLines(*reports);
    }
  }
  return kExitOk;
}

}  // namespace zm::runner
