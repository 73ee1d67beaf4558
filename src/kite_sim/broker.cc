#include "kite_sim/broker.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/ist.h"
#include "common/kite/pnl.h"
#include "kite_sim/sessions.h"

namespace zm::sim {

std::string KiteTimestamp(int64_t epoch_ms) {
  const IstCivil c = ToIst(FromEpochMs(epoch_ms));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", c.year, c.month, c.day, c.hour,
                c.minute, c.second);
  return buf;
}

Broker::Broker(const Scenario& scenario, Market* market, int64_t now_ms)
    : scenario_(scenario), market_(market), oms_{scenario.open_pending_ms, scenario.book_delay_ms} {
  (void)now_ms;
  for (const StartHolding& h : scenario_.holdings) {
    holdings_.push_back(
        {h.exchange, h.tradingsymbol, h.isin, h.quantity, h.t1_quantity, 0, h.average_price});
  }
  // Starting positions are carried rows, or fills made earlier in the day (no order in today's
  // book), older than any positions lag.
  for (const StartPosition& p : scenario_.positions) {
    if (p.carried) {
      carried_.push_back(
          {{p.exchange, p.tradingsymbol, p.product}, p.quantity, p.entry_price, p.close});
    } else {
      ApplyFill(p.exchange, p.tradingsymbol, p.product, p.quantity > 0, std::llabs(p.quantity),
                p.price, INT64_MIN);
    }
  }
}

std::optional<BrokerAnswer> Broker::MarketClosed(const std::string& exchange,
                                                 int64_t now_ms) const {
  if (!scenario_.sessions || InSession(exchange, now_ms)) return std::nullopt;
  return Error(400, "InputException", kMarketClosedMessage);
}

long long Broker::FreezeLimit(const SimInstrument& inst) const {
  auto it = scenario_.freeze_limits.find(inst.underlying);
  return it == scenario_.freeze_limits.end() ? 0 : it->second;
}

std::string Broker::NextOrderId() const { return std::to_string(250000000000000ULL + next_order_); }

BrokerAnswer Broker::Error(int http, const char* type, std::string message) const {
  BrokerAnswer a;
  a.http_status = http;
  a.error_type = type;
  a.message = std::move(message);
  return a;
}

Broker::SimOrder& Broker::NewOrder(const OrderInput& in, const SimInstrument& inst,
                                   const std::string& variety, const std::string& autoslice_parent,
                                   int64_t now_ms) {
  const std::string id = NextOrderId();
  ++next_order_;
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
  if (!in.tag.empty()) k.tags.push_back(in.tag);
  if (!autoslice_parent.empty()) {
    k.tags.push_back("autoslice");
    k.tags.push_back("autoslice:" + autoslice_parent);
  }
  o.protection = in.market_protection;
  if (in.order_type == "MARKET" && in.market_protection != 0) {
    // Kite turns a protected MARKET order into a LIMIT at the protection price.
    const double ltp = market_->LtpByToken(k.instrument_token);
    k.order_type = "LIMIT";
    k.price = ProtectionPrice(in.transaction_type == "BUY", ltp, in.market_protection,
                              inst.instrument.tick_size);
    k.market_protection = 0;
    char pct[32];
    std::snprintf(pct, sizeof pct, "mktp:%.2f", ProtectionPercent(in.market_protection));
    k.tags.push_back("mktp");
    k.tags.push_back(pct);
  }
  k.placed_by = scenario_.user_id;
  k.order_timestamp = KiteTimestamp(now_ms);
  o.open_at_ms = now_ms + scenario_.accept_latency_ms + oms_.open_pending_ms;
  o.fill_at_ms = o.open_at_ms + scenario_.fill_latency_ms;
  o.visible_at_ms = now_ms + oms_.book_delay_ms;
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
  const long long limit = FreezeLimit(*inst);
  if (Status s = CheckOrderInput(*in, *inst, limit); !s.ok()) {
    return Error(400, "InputException", s.message());
  }
  if (auto closed = MarketClosed(in->exchange, now_ms)) return *closed;
  auto slices = PlanSlices(*in, inst->instrument.lot_size, limit);
  if (!slices.ok()) return Error(400, "InputException", slices.status().message());
  const std::string parent = slices->size() > 1 ? NextOrderId() : "";
  BrokerAnswer a;
  for (long long quantity : *slices) {
    OrderInput slice = *in;
    slice.quantity = quantity;
    SimOrder& o = NewOrder(slice, *inst, variety, parent, now_ms);
    o.rms_rejection = RmsRejection(slice, *inst, scenario_.circuit_percent);
    (a.order_id.empty() ? a.order_id : a.children.emplace_back()) = o.order.order_id;
  }
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
                       {"market_protection", std::to_string(o.protection)}};
  for (const auto& kv : params) merged.push_back(kv);
  auto in = ParseOrderInput(merged);
  if (!in.ok()) return Error(400, "InputException", in.status().message());
  in->autoslice = false;  // a modification is one order: the freeze limit applies as is
  const SimInstrument* inst = market_->FindByToken(o.order.instrument_token);
  if (Status s = CheckOrderInput(*in, *inst, FreezeLimit(*inst)); !s.ok()) {
    return Error(400, "InputException", s.message());
  }
  if (in->quantity < o.order.filled_quantity)
    return Error(400, "InputException", "Invalid `quantity`.");
  if (auto closed = MarketClosed(in->exchange, now_ms)) return *closed;
  o.order.order_type = in->order_type;
  o.protection = in->market_protection;
  if (in->order_type == "MARKET" && in->market_protection != 0) {  // as at placement
    o.order.order_type = "LIMIT";
    in->price = ProtectionPrice(in->transaction_type == "BUY",
                                market_->LtpByToken(o.order.instrument_token),
                                in->market_protection, inst->instrument.tick_size);
  }
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
  SimOrder& o = NewOrder(in, *inst, "regular", "", now_ms);
  o.visible_at_ms = now_ms;  // made in the app: no OMS delay for the book
  SetStatus(o, "OPEN", "", now_ms);
  Fill(o, in.quantity, in.price, now_ms);
  BrokerAnswer a;
  a.order_id = o.order.order_id;
  return a;
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

std::vector<kite::Order> Broker::BookOrders(int64_t now_ms) const {
  std::vector<kite::Order> out;
  for (const std::string& id : order_ids_) {
    const SimOrder& o = orders_.at(id);
    if (now_ms >= o.visible_at_ms) out.push_back(o.order);
  }
  return out;
}

const std::vector<kite::Order>* Broker::BookHistory(const std::string& order_id,
                                                    int64_t now_ms) const {
  auto it = orders_.find(order_id);
  if (it == orders_.end() || now_ms < it->second.visible_at_ms) return nullptr;
  return &it->second.history;
}

}  // namespace zm::sim
