// Broker: the order engine's time steps (OPEN PENDING -> OPEN/REJECTED, triggers) and fills
// against the market's depth.
#include <algorithm>
#include <cmath>

#include "kite_sim/broker.h"

namespace zm::sim {

std::vector<kite::Order> Broker::Process(int64_t now_ms, const FillPolicy& policy) {
  std::vector<kite::Order> changed;
  for (const std::string& id : order_ids_) {
    SimOrder& o = orders_[id];
    if (kite::IsTerminalStatus(o.order.status)) continue;
    if (o.order.status == "OPEN PENDING") {
      if (now_ms < o.open_at_ms) continue;
      if (!o.rms_rejection.empty()) {
        o.order.pending_quantity = 0;
        SetStatus(o, "REJECTED", o.rms_rejection, now_ms);
      } else {
        const bool stop = o.order.order_type == "SL" || o.order.order_type == "SL-M";
        SetStatus(o, stop ? "TRIGGER PENDING" : "OPEN", "", now_ms);
      }
      changed.push_back(o.order);
      continue;
    }
    if (now_ms >= o.fill_at_ms && TryFill(o, now_ms, policy)) changed.push_back(o.order);
  }
  return changed;
}

bool Broker::TryFill(SimOrder& o, int64_t now_ms, const FillPolicy& policy) {
  if (policy.rest) return false;
  const SimInstrument* inst = market_->FindByToken(o.order.instrument_token);
  if (!inst) return false;
  const double ltp = market_->LtpByToken(o.order.instrument_token);
  const bool buy = o.order.transaction_type == "BUY";
  bool triggered = false;
  if (o.order.status == "TRIGGER PENDING") {
    const bool hit = buy ? ltp >= o.order.trigger_price : ltp <= o.order.trigger_price;
    if (!hit) return false;
    if (o.order.order_type == "SL-M") {
      o.stop_limit = ProtectionPrice(buy, ltp, o.protection, inst->instrument.tick_size);
    }
    SetStatus(o, "OPEN", "", now_ms);
    triggered = true;
  }
  // Every order that reaches the exchange here has a price limit: LIMIT/SL their own, protected
  // MARKET orders the protection price they were given at placement, SL-M the one at trigger.
  double limit = o.order.order_type == "SL-M" ? o.stop_limit : o.order.price;
  if (o.order.order_type == "MARKET") limit = buy ? 1e18 : 0;  // unprotected: any price
  long long quantity = o.order.pending_quantity;
  if (policy.partial_fraction > 0 && policy.partial_fraction < 1) {
    if (o.order.filled_quantity > 0) return triggered;  // the rest waits for the fault to clear
    const long long lot = inst->instrument.lot_size;
    const long long lots =
        std::max(1LL, static_cast<long long>(o.order.quantity / lot * policy.partial_fraction));
    quantity = std::min(quantity, lots * lot);
  }
  const std::vector<Execution> executions =
      market_->Take(o.order.instrument_token, buy, limit, quantity);
  for (const Execution& e : executions) Fill(o, e.quantity, e.price, now_ms);
  return triggered || !executions.empty();
}

void Broker::Fill(SimOrder& o, long long quantity, double price, int64_t now_ms) {
  kite::Order& k = o.order;
  const double total = k.average_price * k.filled_quantity + price * quantity;
  k.filled_quantity += quantity;
  k.pending_quantity -= quantity;
  k.average_price = total / k.filled_quantity;
  kite::Trade t;
  t.trade_id = std::to_string(90000000 + next_trade_++);
  t.order_id = k.order_id;
  t.exchange_order_id = k.exchange_order_id;
  t.exchange = k.exchange;
  t.tradingsymbol = k.tradingsymbol;
  t.product = k.product;
  t.instrument_token = k.instrument_token;
  t.transaction_type = k.transaction_type;
  t.average_price = price;
  t.quantity = quantity;
  t.fill_timestamp = t.exchange_timestamp = KiteTimestamp(now_ms);
  t.order_timestamp =
      k.order_timestamp.size() > 11 ? k.order_timestamp.substr(11) : k.order_timestamp;
  trades_.push_back(t);
  ApplyFill(k.exchange, k.tradingsymbol, k.product, k.transaction_type == "BUY", quantity, price,
            now_ms);
  SetStatus(o, k.pending_quantity == 0 ? "COMPLETE" : "OPEN", "", now_ms);
}

}  // namespace zm::sim
