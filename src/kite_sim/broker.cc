#include "kite_sim/broker.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/ist.h"
#include "common/kite/pnl.h"

namespace zm::sim {

std::string KiteTimestamp(int64_t epoch_ms) {
  const IstCivil c = ToIst(FromEpochMs(epoch_ms));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", c.year, c.month, c.day, c.hour,
                c.minute, c.second);
  return buf;
}

Broker::Broker(const Scenario& scenario, Market* market, int64_t now_ms)
    : scenario_(scenario), market_(market) {
  (void)now_ms;
  // Starting positions are fills made earlier in the day (no order in today's book).
  for (const StartPosition& p : scenario_.positions) {
    ApplyFill(p.exchange, p.tradingsymbol, p.product, p.quantity > 0, std::llabs(p.quantity),
              p.price);
  }
}

BrokerAnswer Broker::Error(int http, const char* type, std::string message) const {
  BrokerAnswer a;
  a.http_status = http;
  a.error_type = type;
  a.message = std::move(message);
  return a;
}

Broker::SimOrder& Broker::NewOrder(const OrderInput& in, const SimInstrument& inst,
                                   const std::string& variety, int64_t now_ms) {
  const std::string id = std::to_string(250000000000000ULL + next_order_++);
  SimOrder& o = orders_[id];
  order_ids_.push_back(id);
  kite::Order& k = o.order;
  k.order_id = id;
  k.variety = variety;
  k.exchange = in.exchange;
  k.tradingsymbol = in.tradingsymbol;
  k.instrument_token = inst.instrument.instrument_token;
  k.order_type = in.order_type;
  k.transaction_type = in.transaction_type;
  k.validity = in.validity;
  k.product = in.product;
  k.quantity = in.quantity;
  k.disclosed_quantity = in.disclosed_quantity;
  k.price = in.price;
  k.trigger_price = in.trigger_price;
  k.market_protection = in.market_protection;
  k.pending_quantity = in.quantity;
  k.tag = in.tag;
  k.placed_by = scenario_.user_id;
  k.order_timestamp = KiteTimestamp(now_ms);
  o.open_at_ms = now_ms + scenario_.accept_latency_ms;
  o.fill_at_ms = o.open_at_ms + scenario_.fill_latency_ms;
  SetStatus(o, "PUT ORDER REQ RECEIVED", "", now_ms);
  SetStatus(o, "VALIDATION PENDING", "", now_ms);
  SetStatus(o, "OPEN PENDING", "", now_ms);
  return o;
}

void Broker::SetStatus(SimOrder& o, const std::string& status, const std::string& message,
                       int64_t now_ms) {
  o.order.status = status;
  o.order.status_message = message;
  if (status != "PUT ORDER REQ RECEIVED" && status != "VALIDATION PENDING") {
    if (o.order.exchange_order_id.empty() && status != "REJECTED") {
      o.order.exchange_order_id = std::to_string(1100000000000000ULL + next_order_);
    }
    o.order.exchange_timestamp = KiteTimestamp(now_ms);
  }
  o.history.push_back(o.order);
}

BrokerAnswer Broker::Place(const std::string& variety, const FormParams& params, int64_t now_ms) {
  if (variety != "regular") return Error(400, "InputException", "Invalid `variety`.");
  auto in = ParseOrderInput(params);
  if (!in.ok()) return Error(400, "InputException", in.status().message());
  const SimInstrument* inst = market_->Find(in->exchange + ":" + in->tradingsymbol);
  if (!inst) return Error(400, "InputException", "Invalid `tradingsymbol`.");
  auto freeze = scenario_.freeze_limits.find(inst->instrument.name);
  const long long limit = freeze == scenario_.freeze_limits.end() ? 0 : freeze->second;
  if (Status s = CheckOrderInput(*in, *inst, limit); !s.ok()) {
    return Error(400, "InputException", s.message());
  }
  SimOrder& o = NewOrder(*in, *inst, variety, now_ms);
  o.rms_rejection = RmsRejection(*in, *inst, scenario_.circuit_percent);
  BrokerAnswer a;
  a.order_id = o.order.order_id;
  return a;
}

Broker::SimOrder* Broker::LiveOrder(const std::string& variety, const std::string& order_id,
                                    const std::string& action, BrokerAnswer* error) {
  auto it = orders_.find(order_id);
  if (it == orders_.end() || it->second.order.variety != variety) {
    *error = Error(400, "InputException", "Invalid `order_id`.");
    return nullptr;
  }
  if (kite::IsTerminalStatus(it->second.order.status)) {
    *error = Error(400, "InputException",
                   "Order cannot be " + action + " as it is being processed or is already " +
                       it->second.order.status + ".");
    return nullptr;
  }
  return &it->second;
}

BrokerAnswer Broker::Modify(const std::string& variety, const std::string& order_id,
                            const FormParams& params, int64_t now_ms) {
  BrokerAnswer error;
  SimOrder* live = LiveOrder(variety, order_id, "modified", &error);
  if (!live) return error;
  SimOrder& o = *live;
  if (++o.modifications > 25) {
    return Error(400, "InputException", "Maximum allowed order modifications exceeded.");
  }
  FormParams merged = {{"exchange", o.order.exchange},
                       {"tradingsymbol", o.order.tradingsymbol},
                       {"transaction_type", o.order.transaction_type},
                       {"order_type", o.order.order_type},
                       {"product", o.order.product},
                       {"quantity", std::to_string(o.order.quantity)},
                       {"price", std::to_string(o.order.price)},
                       {"trigger_price", std::to_string(o.order.trigger_price)},
                       {"market_protection", std::to_string(o.order.market_protection)}};
  for (const auto& kv : params) merged.push_back(kv);
  auto in = ParseOrderInput(merged);
  if (!in.ok()) return Error(400, "InputException", in.status().message());
  const SimInstrument* inst = market_->FindByToken(o.order.instrument_token);
  auto freeze = scenario_.freeze_limits.find(inst->instrument.name);
  const long long limit = freeze == scenario_.freeze_limits.end() ? 0 : freeze->second;
  if (Status s = CheckOrderInput(*in, *inst, limit); !s.ok()) {
    return Error(400, "InputException", s.message());
  }
  if (in->quantity < o.order.filled_quantity)
    return Error(400, "InputException", "Invalid `quantity`.");
  o.order.order_type = in->order_type;
  o.order.quantity = in->quantity;
  o.order.pending_quantity = in->quantity - o.order.filled_quantity;
  o.order.price = in->price;
  o.order.trigger_price = in->trigger_price;
  const std::string status = o.order.status;
  SetStatus(o, "MODIFY PENDING", "", now_ms);
  SetStatus(o, status, "", now_ms);
  o.fill_at_ms = std::max(o.fill_at_ms, now_ms + scenario_.fill_latency_ms);
  BrokerAnswer a;
  a.order_id = order_id;
  return a;
}

BrokerAnswer Broker::Cancel(const std::string& variety, const std::string& order_id,
                            int64_t now_ms) {
  BrokerAnswer error;
  SimOrder* live = LiveOrder(variety, order_id, "cancelled", &error);
  if (!live) return error;
  SimOrder& o = *live;
  o.order.cancelled_quantity = o.order.pending_quantity;
  o.order.pending_quantity = 0;
  SetStatus(o, "CANCEL PENDING", "", now_ms);
  SetStatus(o, "CANCELLED", "", now_ms);
  BrokerAnswer a;
  a.order_id = order_id;
  return a;
}

BrokerAnswer Broker::ExternalTrade(const std::string& exchange, const std::string& tradingsymbol,
                                   const std::string& product, long long quantity, double price,
                                   int64_t now_ms) {
  const SimInstrument* inst = market_->Find(exchange + ":" + tradingsymbol);
  if (!inst || quantity == 0)
    return Error(400, "InputException", "Invalid instrument or quantity.");
  OrderInput in;
  in.exchange = exchange;
  in.tradingsymbol = tradingsymbol;
  in.product = product;
  in.transaction_type = quantity > 0 ? "BUY" : "SELL";
  in.order_type = "LIMIT";
  in.quantity = std::llabs(quantity);
  in.price = price > 0 ? price : market_->LtpByToken(inst->instrument.instrument_token);
  SimOrder& o = NewOrder(in, *inst, "regular", now_ms);
  o.order.placed_by = scenario_.user_id;
  SetStatus(o, "OPEN", "", now_ms);
  Fill(o, in.quantity, in.price, now_ms);
  BrokerAnswer a;
  a.order_id = o.order.order_id;
  return a;
}

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
  const double ltp = market_->LtpByToken(o.order.instrument_token);
  const bool buy = o.order.transaction_type == "BUY";
  bool triggered = false;
  if (o.order.status == "TRIGGER PENDING") {
    const bool hit = buy ? ltp >= o.order.trigger_price : ltp <= o.order.trigger_price;
    if (!hit) return false;
    SetStatus(o, "OPEN", "", now_ms);
    triggered = true;
  }
  const bool limit = o.order.order_type == "LIMIT" || o.order.order_type == "SL";
  if (limit && (buy ? ltp > o.order.price + 1e-9 : ltp < o.order.price - 1e-9)) {
    return triggered;  // not marketable: rests OPEN
  }
  long long quantity = o.order.pending_quantity;
  if (policy.partial_fraction > 0 && policy.partial_fraction < 1) {
    if (o.order.filled_quantity > 0) return false;  // the rest waits for the fault to clear
    const SimInstrument* inst = market_->FindByToken(o.order.instrument_token);
    const long long lot = inst ? inst->instrument.lot_size : 1;
    const long long lots =
        std::max(1LL, static_cast<long long>(o.order.quantity / lot * policy.partial_fraction));
    quantity = std::min(quantity, lots * lot);
  }
  Fill(o, quantity, ltp, now_ms);
  return true;
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
  ApplyFill(k.exchange, k.tradingsymbol, k.product, k.transaction_type == "BUY", quantity, price);
  SetStatus(o, k.pending_quantity == 0 ? "COMPLETE" : "OPEN", "", now_ms);
}

void Broker::ApplyFill(const std::string& exchange, const std::string& symbol,
                       const std::string& product, bool buy, long long quantity, double price) {
  const SimInstrument* inst = market_->Find(exchange + ":" + symbol);
  Book& b = books_[{exchange, symbol, product}];
  b.token = inst ? inst->instrument.instrument_token : 0;
  b.multiplier = inst ? inst->multiplier : 1;
  (buy ? b.buy_qty : b.sell_qty) += quantity;
  (buy ? b.buy_value : b.sell_value) += quantity * price * b.multiplier;
}

kite::Position Broker::MakePosition(const BookKey& key, const Book& b) const {
  kite::Position p;
  std::tie(p.exchange, p.tradingsymbol, p.product) = key;
  p.instrument_token = b.token;
  p.multiplier = b.multiplier;
  p.quantity = b.buy_qty - b.sell_qty;
  p.buy_quantity = p.day_buy_quantity = b.buy_qty;
  p.sell_quantity = p.day_sell_quantity = b.sell_qty;
  p.buy_value = p.day_buy_value = p.buy_m2m = kite::RoundToPaise(b.buy_value);
  p.sell_value = p.day_sell_value = p.sell_m2m = kite::RoundToPaise(b.sell_value);
  p.buy_price = p.day_buy_price = b.buy_qty ? b.buy_value / (b.buy_qty * b.multiplier) : 0;
  p.sell_price = p.day_sell_price = b.sell_qty ? b.sell_value / (b.sell_qty * b.multiplier) : 0;
  p.average_price = p.quantity > 0 ? p.buy_price : p.quantity < 0 ? p.sell_price : 0;
  const SimInstrument* inst = market_->FindByToken(b.token);
  p.close_price = inst ? inst->close_price : 0;
  p.last_price = market_->LtpByToken(b.token);
  p.value = kite::RoundToPaise(b.sell_value - b.buy_value);
  const kite::PositionPnl pnl = kite::ComputePositionPnl(p, p.last_price);
  p.pnl = p.m2m = pnl.pnl;
  p.unrealised = pnl.unrealised;
  p.realised = pnl.realised;
  return p;
}

kite::Positions Broker::Positions() const {
  kite::Positions out;
  for (const auto& [key, book] : books_) out.net.push_back(MakePosition(key, book));
  out.day = out.net;  // every quantity in the sim was traded today
  return out;
}

std::vector<kite::Order> Broker::Orders() const {
  std::vector<kite::Order> out;
  for (const std::string& id : order_ids_) out.push_back(orders_.at(id).order);
  return out;
}

const std::vector<kite::Order>* Broker::History(const std::string& order_id) const {
  auto it = orders_.find(order_id);
  return it == orders_.end() ? nullptr : &it->second.history;
}

}  // namespace zm::sim
