// report: what every square-off of one IST day cost (common/report/squareoff_report.h), read
// from zerodha_mtm.db without writing to it.
#include <iostream>

#include "common/cli.h"
#include "common/ist.h"
#include "runner/day_data.h"
#include "runner/report_render.h"
#include "runner/verbs.h"

namespace zm::runner {

int RunReport(const Config& config, const RunnerArgs& args) {
  const std::string date = args.report_date.value_or(IstDate(std::chrono::system_clock::now()));
  auto reports = DayReports(config.mtm_db_path(), date);
  if (!reports.ok()) {
    std::cerr << "zerodha_runner: " << reports.status().message() << "\n";
    return kExitRuntime;
  }
  if (args.json) {
    std::cout << nlohmann::json{{"trading_date", date}, {"squareoffs", *reports}}.dump(2) << "\n";
  } else {
    std::cout << "Square-off report for " << date << " (IST)\n\n" << RenderReportText(*reports);
  }
  return kExitOk;
}

}  // namespace zm::runner
