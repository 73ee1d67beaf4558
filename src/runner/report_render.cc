#include "runner/report_render.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "common/ist.h"
#include "runner/render.h"

namespace zm::runner {
namespace {

using nlohmann::json;

std::string Money(const json& v) {
  return v.is_number() ? FormatAmount(v.get<double>()) : std::string("-");
}

std::string Millis(const json& v) {
  if (!v.is_number()) return "-";
  const long long ms = v.get<long long>();
  char buf[32];
  if (ms < 10000) {
    std::snprintf(buf, sizeof(buf), "%lld ms", ms);
  } else {
    std::snprintf(buf, sizeof(buf), "%.1f s", static_cast<double>(ms) / 1000);
  }
  return buf;
}

std::string Price(const json& v) {
  if (!v.is_number()) return "-";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2f", v.get<double>());
  return buf;
}

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "-";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string Time(const json& ms) {
  if (!ms.is_number() || ms.get<long long>() <= 0) return "-";
  return FormatIstIso(FromEpochMs(ms.get<long long>())).substr(11, 12);
}

// Milliseconds from the trigger to `at_ms` (null when unknown).
json SinceTrigger(const json& report, long long at_ms) {
  const long long start = report.value("started_at_ms", 0LL);
  return at_ms > 0 && start > 0 ? json(at_ms - start) : json(nullptr);
}

std::string Headline(const json& r) {
  std::ostringstream out;
  out << "#" << Str(r, "id") << " " << Str(r, "reason") << " " << Str(r, "outcome")
      << (r.value("dry_run", false) ? " (dry run)" : "") << ": MTM at trigger "
      << Money(r["mtm_at_trigger"]) << ", exit P&L " << Money(r["exit_pnl"]) << " (slippage "
      << Money(r["slippage"]) << "), breach->first order " << Millis(r["breach_to_first_order_ms"])
      << ", ->flat " << Millis(r["breach_to_flat_ms"]) << ", " << r.value("orders", 0)
      << " order(s), " << r.value("rejections", 0) << " rejected, " << r.value("reprices", 0)
      << " re-price(s)";
  return out.str();
}

}  // namespace

std::string RenderReportText(const json& reports) {
  std::ostringstream out;
  if (!reports.is_array() || reports.empty()) return "No square-offs.\n";
  for (const json& r : reports) {
    out << "Square-off #" << Str(r, "id") << " (" << Str(r, "reason") << "), " << Str(r, "outcome")
        << (r.value("dry_run", false) ? ", DRY RUN" : "") << "\n";
    const std::vector<std::vector<std::string>> figures = {
        {"Triggered at", Time(r["started_at_ms"]) + " IST"},
        {"MTM at trigger", Money(r["mtm_at_trigger"])},
        {"Realised exit P&L", Money(r["exit_pnl"])},
        {"Slippage vs trigger prices", Money(r["slippage"])},
        {"MTM recorded after", Money(r["mtm_after"])},
        {"Breach -> first order", Millis(r["breach_to_first_order_ms"])},
        {"Breach -> last fill", Millis(r["breach_to_last_fill_ms"])},
        {"Breach -> verified flat", Millis(r["breach_to_flat_ms"])},
        {"Orders / rejected / re-prices", std::to_string(r.value("orders", 0)) + " / " +
                                              std::to_string(r.value("rejections", 0)) + " / " +
                                              std::to_string(r.value("reprices", 0))},
    };
    const std::string table = RenderTable({"", ""}, figures);
    out << table.substr(table.find('\n') + 1);
    std::vector<std::vector<std::string>> slices;
    for (const json& s : r.value("slices", json::array())) {
      std::string status = Str(s, "status");
      if (s.value("modifications", 0) > 0) {
        status += " (" + std::to_string(s.value("modifications", 0)) + " re-price)";
      }
      if (s.value("rejected", false) && !Str(s, "error").empty()) status += ": " + Str(s, "error");
      slices.push_back({Str(s, "instrument"), Str(s, "side"), Str(s, "quantity"), Str(s, "filled"),
                        Price(s["fill_price"]), Price(s["trigger_price"]),
                        Price(s["slippage_per_unit"]), Money(s["slippage"]),
                        Millis(SinceTrigger(r, s.value("filled_at_ms", 0LL))), status});
    }
    if (!slices.empty()) {
      out << RenderTable({"INSTRUMENT", "SIDE", "QTY", "FILLED", "FILL", "AT TRIGGER", "SLIP/UNIT",
                          "SLIPPAGE", "FILLED AFTER", "STATUS"},
                         slices);
    }
    const json remaining = r.value("remaining", json::array());
    if (!remaining.empty()) {
      out << "  Still open:";
      for (const auto& p : remaining) out << " " << (p.is_string() ? p.get<std::string>() : "?");
      out << "\n";
    }
    out << "\n";
  }
  return out.str();
}

std::string RenderReportLines(const json& reports) {
  std::string out;
  if (!reports.is_array()) return out;
  for (const json& r : reports) out += "  " + Headline(r) + "\n";
  return out;
}

std::string Sparkline(const std::vector<std::pair<long long, double>>& curve, size_t width) {
  if (curve.empty() || width == 0) return "";
  static const char* kBars[] = {"\u2581", "\u2582", "\u2583", "\u2584",
                                "\u2585", "\u2586", "\u2587", "\u2588"};
  const long long t0 = curve.front().first, t1 = curve.back().first;
  const size_t columns = std::min(width, curve.size());
  std::vector<double> values(columns, curve.front().second);
  size_t next = 0;
  for (size_t c = 0; c < columns; ++c) {
    // The last point at or before the end of this column's time slice.
    const double end =
        t1 == t0 ? static_cast<double>(t1) : t0 + (t1 - t0) * static_cast<double>(c + 1) / columns;
    while (next < curve.size() && curve[next].first <= end) ++next;
    values[c] = curve[next == 0 ? 0 : next - 1].second;
  }
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  std::string out;
  for (double v : values) {
    const double frac = *hi - *lo < 0.005 ? 0.5 : (v - *lo) / (*hi - *lo);
    out += kBars[std::clamp(static_cast<int>(std::lround(frac * 7)), 0, 7)];
  }
  return out;
}

std::string RenderSparklineLine(const std::vector<std::pair<long long, double>>& curve,
                                size_t width) {
  if (curve.empty()) return "MTM today: no history yet\n";
  double lo = curve.front().second, hi = lo;
  for (const auto& [t, v] : curve) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  const std::string from = FormatIstIso(FromEpochMs(curve.front().first)).substr(11, 5);
  const std::string to = FormatIstIso(FromEpochMs(curve.back().first)).substr(11, 5);
  return "MTM today  " + Sparkline(curve, width) + "  low " + FormatAmount(lo) + "  high " +
         FormatAmount(hi) + "  now " + FormatAmount(curve.back().second) + "  (" + from + "-" + to +
         " IST)\n";
}

}  // namespace zm::runner
