#include "common/report/squareoff_report.h"

#include <algorithm>
#include <cmath>

namespace zm::report {
namespace {

using journal::JournaledOrder;
using journal::JournaledSquareOff;
using nlohmann::json;

double Paise(double rupees) { return std::round(rupees * 100) / 100; }

json Opt(const std::optional<double>& v) { return v ? json(Paise(*v)) : json(nullptr); }
json Opt(const std::optional<long long>& v) { return v ? json(*v) : json(nullptr); }

bool Rejected(const JournaledOrder& o) {
  namespace state = journal::order_state;
  return o.state == state::kRejected || (o.state == state::kNotSent && !o.error.empty());
}

SliceReport Slice(const JournaledOrder& o, const std::map<std::string, TriggerPosition>& trigger,
                  std::optional<double>* total, bool* complete) {
  SliceReport s;
  s.tag = o.tag;
  s.order_id = o.order_id;
  s.instrument = o.exchange + ":" + o.tradingsymbol;
  s.product = o.product;
  s.side = o.transaction_type;
  s.order_type = o.order_type;
  s.status = o.status.empty() ? o.state : o.status;
  s.quantity = o.quantity;
  s.filled = o.filled_quantity;
  s.fill_price = o.average_price;
  s.modifications = o.modifications;
  s.rejected = Rejected(o);
  s.error = o.error;
  s.sent_at_ms = o.created_at_ms;
  s.filled_at_ms = o.filled_at_ms;
  auto it = trigger.find(o.exchange + ":" + o.tradingsymbol + ":" + o.product);
  if (it != trigger.end() && it->second.price > 0) {
    s.trigger_price = it->second.price;
    if (s.filled > 0 && s.fill_price > 0) {
      const double per_unit =
          s.side == "BUY" ? it->second.price - s.fill_price : s.fill_price - it->second.price;
      s.slippage_per_unit = per_unit;
      s.slippage = per_unit * static_cast<double>(s.filled) * it->second.multiplier;
      *total = total->value_or(0) + *s.slippage;
    }
  } else if (s.filled > 0) {
    *complete = false;  // a fill we cannot price against the trigger
  }
  return s;
}

}  // namespace

std::map<std::string, TriggerPosition> ParseTrigger(const json& trigger) {
  std::map<std::string, TriggerPosition> out;
  if (!trigger.is_object() || !trigger.contains("positions") || !trigger["positions"].is_object()) {
    return out;
  }
  for (const auto& [key, p] : trigger["positions"].items()) {
    if (!p.is_object() || !p.contains("price") || !p["price"].is_number()) continue;
    TriggerPosition t;
    t.price = p["price"].get<double>();
    t.multiplier = p.contains("multiplier") && p["multiplier"].is_number()
                       ? p["multiplier"].get<double>()
                       : 1.0;
    if (t.multiplier <= 0) t.multiplier = 1;
    t.quantity = p.contains("quantity") && p["quantity"].is_number_integer()
                     ? p["quantity"].get<long long>()
                     : 0;
    t.source =
        p.contains("source") && p["source"].is_string() ? p["source"].get<std::string>() : "";
    out[key] = t;
  }
  return out;
}

SquareOffReport BuildReport(const ReportInput& in) {
  const JournaledSquareOff& so = in.squareoff;
  const std::map<std::string, TriggerPosition> trigger =
      ParseTrigger(json::parse(so.trigger_json, nullptr, /*allow_exceptions=*/false));
  SquareOffReport r;
  r.squareoff = so;
  r.mtm_after = in.mtm_after;
  bool complete = true;
  long long first_sent = 0, last_fill = 0;
  for (const JournaledOrder& o : in.orders) {
    r.slices.push_back(Slice(o, trigger, &r.slippage, &complete));
    const SliceReport& s = r.slices.back();
    if (o.state == journal::order_state::kDryRun) continue;
    ++r.orders;
    r.rejections += s.rejected ? 1 : 0;
    r.reprices += s.modifications;
    r.filled_quantity += s.filled;
    if (first_sent == 0 || (o.created_at_ms > 0 && o.created_at_ms < first_sent)) {
      first_sent = o.created_at_ms;
    }
    if (s.filled > 0) last_fill = std::max(last_fill, o.filled_at_ms);
  }
  if (first_sent > 0) r.breach_to_first_order_ms = first_sent - so.started_at_ms;
  if (last_fill > 0) r.breach_to_last_fill_ms = last_fill - so.started_at_ms;
  if (so.outcome == "flat" && so.finished_at_ms > 0) {
    r.breach_to_flat_ms = so.finished_at_ms - so.started_at_ms;
  }
  if (!complete) r.slippage.reset();
  // Without a trigger price for every fill the sum would silently leave some out: no figure.
  if (complete && !so.dry_run) r.exit_pnl = so.mtm_at_trigger + r.slippage.value_or(0);
  return r;
}

json ReportJson(const SquareOffReport& r) {
  json slices = json::array();
  for (const SliceReport& s : r.slices) {
    slices.push_back({{"tag", s.tag},
                      {"order_id", s.order_id},
                      {"instrument", s.instrument},
                      {"product", s.product},
                      {"side", s.side},
                      {"order_type", s.order_type},
                      {"status", s.status},
                      {"quantity", s.quantity},
                      {"filled", s.filled},
                      {"fill_price", s.fill_price},
                      {"trigger_price", Opt(s.trigger_price)},
                      {"slippage_per_unit", Opt(s.slippage_per_unit)},
                      {"slippage", Opt(s.slippage)},
                      {"modifications", s.modifications},
                      {"rejected", s.rejected},
                      {"error", s.error},
                      {"sent_at_ms", s.sent_at_ms},
                      {"filled_at_ms", s.filled_at_ms}});
  }
  const JournaledSquareOff& so = r.squareoff;
  return {{"id", so.id},
          {"trading_date", so.trading_date},
          {"reason", so.reason},
          {"outcome", so.outcome},
          {"dry_run", so.dry_run},
          {"mtm_at_trigger", Paise(so.mtm_at_trigger)},
          {"started_at_ms", so.started_at_ms},
          {"finished_at_ms", so.finished_at_ms > 0 ? json(so.finished_at_ms) : json(nullptr)},
          {"breach_to_first_order_ms", Opt(r.breach_to_first_order_ms)},
          {"breach_to_last_fill_ms", Opt(r.breach_to_last_fill_ms)},
          {"breach_to_flat_ms", Opt(r.breach_to_flat_ms)},
          {"orders", r.orders},
          {"rejections", r.rejections},
          {"reprices", r.reprices},
          {"filled_quantity", r.filled_quantity},
          {"slippage", Opt(r.slippage)},
          {"exit_pnl", Opt(r.exit_pnl)},
          {"mtm_after", Opt(r.mtm_after)},
          {"remaining", so.remaining},
          {"slices", std::move(slices)}};
}

}  // namespace zm::report
