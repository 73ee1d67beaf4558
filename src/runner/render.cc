#include "runner/render.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace zm::runner {
namespace {

using nlohmann::json;

std::string GroupThousands(std::string digits) {
  std::string out;
  const int n = static_cast<int>(digits.size());
  for (int i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

double Num(const json& j, const char* key, double fallback = 0) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : fallback;
}

std::string Str(const json& j, const char* key, const std::string& fallback = "") {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  return it->is_string() ? it->get<std::string>() : it->dump();
}

// Width of a UTF-8 string in terminal columns (counts code points).
size_t Columns(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

std::string FormatAmount(double amount) {
  const long long paise = std::llround(std::fabs(amount) * 100);
  char frac[4];
  std::snprintf(frac, sizeof(frac), "%02lld", paise % 100);
  const std::string sign = paise != 0 && amount < 0 ? "-" : "";
  return sign + GroupThousands(std::to_string(paise / 100)) + "." + frac;
}

std::string FormatRupees(double amount) { return "\u20b9" + FormatAmount(amount); }

std::string FormatAge(double seconds) {
  if (seconds < 0 || std::isnan(seconds)) return "-";
  const long long s = std::llround(seconds);
  char buf[48];
  if (s < 60) {
    std::snprintf(buf, sizeof(buf), "%lld s", s);
  } else if (s < 3600) {
    std::snprintf(buf, sizeof(buf), "%lld min %02lld s", s / 60, s % 60);
  } else {
    std::snprintf(buf, sizeof(buf), "%lld h %02lld min", s / 3600, (s % 3600) / 60);
  }
  return buf;
}

std::string RenderTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths(header.size(), 0);
  for (size_t c = 0; c < header.size(); ++c) widths[c] = Columns(header[c]);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size() && c < widths.size(); ++c) {
      widths[c] = std::max(widths[c], Columns(row[c]));
    }
  }
  std::ostringstream out;
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (size_t c = 0; c < widths.size(); ++c) {
      const std::string cell = c < cells.size() ? cells[c] : "";
      text += cell;
      if (c + 1 < widths.size()) text += std::string(widths[c] - Columns(cell) + 2, ' ');
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out << "  " << text << "\n";
  };
  line(header);
  for (const auto& row : rows) line(row);
  return out.str();
}

json BuildSummaryJson(const json& snapshot, int64_t now_ms) {
  json out = snapshot.is_object() ? snapshot : json::object();
  const double mtm = Num(out, "mtm");
  // Distances are how far MTM can move before the trigger: positive = room left.
  if (out.contains("loss_threshold") && out["loss_threshold"].is_number()) {
    out["distance_to_loss_threshold"] = std::round((mtm - Num(out, "loss_threshold")) * 100) / 100;
  }
  if (out.contains("profit_target") && out["profit_target"].is_number()) {
    out["distance_to_target"] = std::round((Num(out, "profit_target") - mtm) * 100) / 100;
  }
  if (out.contains("updated_at_ms") && out["updated_at_ms"].is_number()) {
    out["snapshot_age_s"] = (now_ms - out["updated_at_ms"].get<int64_t>()) / 1000.0;
  }
  for (const char* key : {"mtm", "daily_max_mtm"}) {
    if (!out.contains(key)) out[key] = nullptr;
  }
  if (!out.contains("target_locked")) out["target_locked"] = false;
  if (!out.contains("positions") || !out["positions"].is_array()) out["positions"] = json::array();
  return out;
}

std::string RenderSummaryText(const json& s) {
  std::ostringstream out;
  out << "Trading date (IST): " << Str(s, "trading_date", "-")
      << "   state: " << Str(s, "state", "-")
      << (s.value("target_locked", false) ? "   (no new positions today)" : "") << "\n";
  if (s.contains("snapshot_age_s")) {
    out << "Snapshot age: " << FormatAge(Num(s, "snapshot_age_s")) << "\n";
  }
  auto money = [&](const char* key) {
    auto it = s.find(key);
    return it != s.end() && it->is_number() ? FormatRupees(it->get<double>()) : std::string("-");
  };
  // Both bases (README "MTM basis"); the one the triggers use is named. Old snapshots have
  // neither field: then only "MTM (total)".
  const std::string basis = Str(s, "mtm_basis", "");
  std::vector<std::vector<std::string>> rows;
  if (basis.empty()) {
    rows.push_back({"MTM (total)", money("mtm")});
  } else {
    rows.push_back({"MTM, day (m2m)", money("mtm_day"), basis == "day" ? "<- triggers" : ""});
    rows.push_back({"MTM, since entry (pnl)", money("mtm_since_entry"),
                    basis == "since_entry" ? "<- triggers" : ""});
  }
  rows.insert(rows.end(),
              {
                  {"  realised", money("realised")},
                  {"  unrealised", money("unrealised")},
                  {"Day's max MTM", money("daily_max_mtm")},
                  {"Loss threshold", money("loss_threshold"),
                   money("distance_to_loss_threshold") + " away"},
                  {"Profit target", money("profit_target"), money("distance_to_target") + " away"},
              });
  if (s.contains("trailing_floor") && s["trailing_floor"].is_number()) {
    rows.push_back({"Trailing floor", money("trailing_floor")});
  }
  const std::string limits = RenderTable({"", "", ""}, rows);
  out << limits.substr(limits.find('\n') + 1);  // no header row

  std::vector<std::vector<std::string>> positions, sold, unguarded;
  for (const auto& p : s.value("positions", json::array())) {
    const std::string scope = Str(p, "scope", "guarded");
    if (scope != "guarded") {
      (scope == "sold_from_holdings" ? sold : unguarded)
          .push_back({Str(p, "exchange"), Str(p, "tradingsymbol"), Str(p, "product"),
                      Str(p, "quantity"), FormatAmount(Num(p, "last_price"))});
      continue;
    }
    positions.push_back({Str(p, "exchange"), Str(p, "tradingsymbol"), Str(p, "product"),
                         Str(p, "quantity"), FormatAmount(Num(p, "last_price")),
                         p.contains("price_age_ms") && p["price_age_ms"].is_number()
                             ? FormatAge(Num(p, "price_age_ms") / 1000.0)
                             : "-",
                         Str(p, "price_source", "-"), FormatRupees(Num(p, "m2m")),
                         FormatRupees(Num(p, "pnl"))});
  }
  out << "\nPositions (" << positions.size() << "):\n";
  if (!positions.empty()) {
    out << RenderTable({"EXCH", "SYMBOL", "PRODUCT", "QTY", "LTP", "PRICE AGE", "SOURCE", "DAY M2M",
                        "SINCE ENTRY"},
                       positions);
  }
  const std::vector<std::string> apart = {"EXCH", "SYMBOL", "PRODUCT", "QTY", "LTP"};
  if (!sold.empty()) {
    out << "\nSold from holdings (" << sold.size() << ", not in MTM, never squared off):\n"
        << RenderTable(apart, sold);
  }
  if (!unguarded.empty()) {
    out << "\nProducts not guarded (" << unguarded.size() << ", risk_management.products):\n"
        << RenderTable(apart, unguarded);
  }
  const json square_offs = s.value("square_offs", json::array());
  out << "\nSquare-offs today (" << square_offs.size() << "):\n";
  for (const auto& so : square_offs) {
    out << "  #" << Str(so, "id", "?") << " reason=" << Str(so, "reason", "-")
        << " outcome=" << Str(so, "outcome", "-") << "\n";
    std::vector<std::vector<std::string>> orders;
    for (const auto& o : so.value("orders", json::array())) {
      orders.push_back({Str(o, "tradingsymbol"), Str(o, "transaction_type"), Str(o, "quantity"),
                        Str(o, "order_type"), Str(o, "status"), Str(o, "order_id", "-"),
                        Str(o, "filled_quantity", "0"), FormatAmount(Num(o, "average_price"))});
    }
    if (!orders.empty()) {
      out << RenderTable(
          {"SYMBOL", "SIDE", "QTY", "TYPE", "STATUS", "ORDER ID", "FILLED", "AVG PRICE"}, orders);
    }
  }
  if (s.contains("last_critical") && s["last_critical"].is_object()) {
    out << "\nLast critical: " << Str(s["last_critical"], "message") << "\n";
  }
  return out.str();
}

}  // namespace zm::runner
