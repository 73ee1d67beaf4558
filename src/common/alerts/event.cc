#include "common/alerts/event.h"

#include <cctype>
#include <cmath>
#include <cstdio>

#include "common/ist.h"
#include "common/secret.h"

namespace zm::alerts {
namespace {

using nlohmann::json;

AlertEvent Make(const char* type, AlertSeverity severity, int64_t at_ms, std::string text) {
  AlertEvent e;
  e.type = type;
  e.severity = severity;
  e.at_ms = at_ms;
  e.text = std::move(text);
  return e;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f s", s);
  return buf;
}

std::string Join(const std::vector<std::string>& items, size_t max_items) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < max_items; ++i) out += (i ? ", " : "") + items[i];
  if (items.size() > max_items) out += " and " + std::to_string(items.size() - max_items) + " more";
  return out;
}

json FiguresJson(const SquareOffFigures& f) {
  json j = {{"squareoff_id", f.squareoff_id},
            {"reason", f.reason},
            {"duration_s", std::round(f.duration_s * 10) / 10},
            {"orders", f.orders},
            {"rejections", f.rejections},
            {"dry_run", f.dry_run}};
  if (f.exit_pnl) j["exit_pnl"] = std::round(*f.exit_pnl * 100) / 100;
  if (f.mtm_at_trigger) j["mtm_at_trigger"] = *f.mtm_at_trigger;
  if (f.slippage) j["slippage"] = std::round(*f.slippage * 100) / 100;
  return j;
}

}  // namespace

std::string Rupees(double amount) {
  const long long paise = std::llround(std::fabs(amount) * 100);
  std::string digits = std::to_string(paise / 100), grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  char frac[4];
  std::snprintf(frac, sizeof(frac), "%02lld", paise % 100);
  return (paise != 0 && amount < 0 ? "-" : "") + grouped + "." + frac;
}

json EventJson(const AlertEvent& e, const std::string& account) {
  json body = {{"event", e.type},
               {"severity", AlertSeverityName(e.severity)},
               {"time", FormatIstIso(FromEpochMs(e.at_ms))},
               {"time_ms", e.at_ms},
               {"account", account},
               {"source", e.source},
               {"mtm", e.mtm ? json(std::round(*e.mtm * 100) / 100) : json(nullptr)},
               {"text", e.text},
               {"details", e.details}};
  // A secret that slipped into any field (an error text, a detail) is replaced here.
  auto redacted = json::parse(RedactSecrets(body.dump()), nullptr, false);
  return redacted.is_discarded() ? json{{"event", e.type}, {"text", "(unprintable)"}} : redacted;
}

std::string EventMessage(const AlertEvent& e, const std::string& account, int repeats) {
  std::string text = Upper(AlertSeverityName(e.severity)) + " zerodha-mtm";
  if (!account.empty()) text += " [" + account + "]";
  text += ": " + e.text;
  if (repeats > 0) text += " (repeated " + std::to_string(repeats) + " more time(s))";
  text += "\n" + FormatIstIso(FromEpochMs(e.at_ms)).substr(0, 19) + " IST";
  if (!e.source.empty()) text += ", " + e.source;
  return RedactSecrets(text);
}

AlertEvent TriggerFired(const std::string& reason, double mtm, std::optional<double> threshold,
                        bool acting, int64_t at_ms) {
  std::string text = "trigger " + reason + ": MTM " + Rupees(mtm);
  if (threshold) text += " (threshold " + Rupees(*threshold) + ")";
  text += acting ? "; squaring off" : "; alert only, no order sent";
  AlertEvent e = Make("trigger_fired", AlertSeverity::kCritical, at_ms, text);
  e.mtm = mtm;
  e.details = {{"reason", reason}, {"acting", acting}};
  if (threshold) e.details["threshold"] = *threshold;
  return e;
}

AlertEvent SquareOffStarted(const std::string& reason, double mtm, int open_positions,
                            int64_t at_ms) {
  AlertEvent e = Make("squareoff_started", AlertSeverity::kCritical, at_ms,
                      "square-off started (" + reason + "): MTM " + Rupees(mtm) + ", " +
                          std::to_string(open_positions) + " open position(s)");
  e.mtm = mtm;
  e.details = {{"reason", reason}, {"open_positions", open_positions}};
  return e;
}

AlertEvent SquareOffFlat(const SquareOffFigures& f, int64_t at_ms) {
  std::string text = "square-off #" + std::to_string(f.squareoff_id) + " (" + f.reason + ") " +
                     (f.dry_run ? "dry run done" : "flat") + " in " + Seconds(f.duration_s) + ", " +
                     std::to_string(f.orders) + " order(s)";
  if (f.rejections > 0) text += ", " + std::to_string(f.rejections) + " rejected";
  if (f.exit_pnl) text += "; exit P&L " + Rupees(*f.exit_pnl);
  if (f.mtm_at_trigger) text += " (MTM at trigger " + Rupees(*f.mtm_at_trigger) + ")";
  AlertEvent e = Make("squareoff_flat", AlertSeverity::kWarning, at_ms, text);
  if (f.exit_pnl) e.mtm = *f.exit_pnl;
  e.details = FiguresJson(f);
  return e;
}

AlertEvent SquareOffFailed(const SquareOffFigures& f, const std::vector<std::string>& remaining,
                           const std::string& why, int64_t at_ms) {
  std::string text =
      "square-off #" + std::to_string(f.squareoff_id) + " (" + f.reason + ") NOT flat";
  if (!remaining.empty()) text += ": still open " + Join(remaining, 5);
  if (!why.empty()) text += "; " + why;
  AlertEvent e = Make("squareoff_failed", AlertSeverity::kCritical, at_ms, text);
  e.details = FiguresJson(f);
  e.details["remaining"] = remaining;
  return e;
}

AlertEvent DayLocked(const std::string& lock, double mtm, int64_t at_ms) {
  AlertEvent e = Make("day_locked", AlertSeverity::kWarning, at_ms,
                      "day locked after " + lock + " at MTM " + Rupees(mtm) +
                          ": any position opened today is squared off");
  e.mtm = mtm;
  e.details = {{"lock", lock}};
  return e;
}

AlertEvent TokenRejected(int64_t at_ms) {
  return Make("token_rejected", AlertSeverity::kCritical, at_ms,
              "Kite rejected the access token: prices, positions and any square-off fail; run "
              "`zerodha_runner login` now");
}

AlertEvent TokenRenewed(int64_t at_ms) {
  return Make("token_renewed", AlertSeverity::kInfo, at_ms, "a new access token is in use");
}

AlertEvent CrashLoop(const std::string& child, const std::string& detail, int64_t at_ms) {
  AlertEvent e =
      Make("crash_loop", AlertSeverity::kCritical, at_ms, child + " crash loop: " + detail);
  e.details = {{"process", child}};
  return e;
}

AlertEvent ProcessHung(const std::string& child, const std::string& detail, int64_t at_ms) {
  AlertEvent e = Make("process_hung", AlertSeverity::kCritical, at_ms,
                      child + " is hung and is being restarted: " + detail);
  e.details = {{"process", child}};
  e.dedup_key = "process_hung|" + child;
  return e;
}

AlertEvent StaleFeed(const std::vector<std::string>& fallbacks, bool unpriced, int64_t at_ms) {
  AlertEvent e = Make("stale_feed", unpriced ? AlertSeverity::kCritical : AlertSeverity::kWarning,
                      at_ms, "live prices missing: " + Join(fallbacks, 4));
  e.details = {{"fallbacks", fallbacks}};
  return e;
}

AlertEvent DeadMan(const std::string& text, int64_t at_ms) {
  AlertEvent e = Make("dead_man", AlertSeverity::kCritical, at_ms, text);
  e.dedup_key = "dead_man";
  return e;
}

AlertEvent LowDisk(const std::string& text, int64_t at_ms) {
  AlertEvent e = Make("low_disk", AlertSeverity::kCritical, at_ms, text);
  e.dedup_key = "low_disk";
  return e;
}

AlertEvent TestEvent(int64_t at_ms) {
  return Make("test", AlertSeverity::kInfo, at_ms,
              "test alert from `zerodha_runner alert-test`: this channel works");
}

}  // namespace zm::alerts
