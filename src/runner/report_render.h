// Rendering of the square-off report (`report`, `summary`, the demo) and of the MTM sparkline
// in `summary`. Pure: JSON documents in (common/report/squareoff_report.h ReportJson), text
// out; times passed in; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace zm::runner {

// One block per square-off: the headline figures, then the slices as a table.
std::string RenderReportText(const nlohmann::json& reports);
// One line per square-off (for `summary`).
std::string RenderReportLines(const nlohmann::json& reports);

// The values resampled to `width` columns of ▁▂▃▄▅▆▇█ (each column the last value of its time
// slice, so a breach shows where it happened); "" without values.
std::string Sparkline(const std::vector<std::pair<long long, double>>& curve, size_t width);
// "MTM today  ▁▂▃▅▇▆▃▁  low -5,025.00  high 1,020.00  (09:15-10:31 IST)".
std::string RenderSparklineLine(const std::vector<std::pair<long long, double>>& curve,
                                size_t width = 48);

}  // namespace zm::runner
