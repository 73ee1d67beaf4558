#include "virtual_broker.h"

#include <algorithm>
#include <cstdlib>

namespace zm::monitor::testing {

std::string VirtualBroker::AddTraderOrder(const std::string& key, const std::string& side,
                                          long long qty, long long fill_at_ms) {
  Order order;
  order.trader = true;
  order.key = key;
  const size_t a = key.find(':'), b = key.rfind(':');
  order.o.order_id = fmt::format("T{}", next_id_++);
  order.o.exchange = key.substr(0, a);
  order.o.tradingsymbol = key.substr(a + 1, b - a - 1);
  order.o.product = key.substr(b + 1);
  order.o.transaction_type = side;
  order.o.quantity = qty;
  order.o.order_type = "SL-M";
  order.o.variety = "regular";
  order.o.status = "TRIGGER PENDING";
  order.fill_at_ms = fill_at_ms;
  orders_.push_back(order);
  return order.o.order_id;
}

void VirtualBroker::Create(const JournaledOrder& row, long long now_ms, long long id_time) {
  (void)id_time;
  Order order;
  order.key = row.position_key();
  order.created_ms = now_ms;
  order.o.order_id = fmt::format("{}", 100000 + next_id_++);
  order.o.exchange = row.exchange;
  order.o.tradingsymbol = row.tradingsymbol;
  order.o.product = row.product;
  order.o.transaction_type = row.transaction_type;
  order.o.order_type = row.order_type;
  order.o.quantity = row.quantity;
  order.o.variety = "regular";
  order.o.tag = row.tag;
  order.o.tags = {"mktp", row.tag};
  order.o.status = "OPEN";
  const bool rests = row.order_type == "MARKET" && rest_market;
  order.fill_at_ms = rests ? -1 : now_ms + fill_delay_ms;
  orders_.push_back(order);
  placed_tags.push_back(row.tag);
}

void VirtualBroker::ApplyFill(Order& order, long long now_ms) {
  const long long qty = order.o.quantity - order.o.filled_quantity;
  const long long delta = order.o.transaction_type == "BUY" ? qty : -qty;
  if (!start_.count(order.key)) start_[order.key] = truth_[order.key];
  truth_[order.key] += delta;
  fill_log_.push_back({now_ms, {order.key, delta}});
  order.o.filled_quantity = order.o.quantity;
  order.o.pending_quantity = 0;
  order.o.average_price = 100;
  order.o.status = "COMPLETE";
}

void VirtualBroker::Advance(long long now_ms) {
  for (auto it = late_.begin(); it != late_.end();) {
    if (it->first > now_ms) {
      ++it;
      continue;
    }
    Create(it->second, it->first, now_ms);
    it = late_.erase(it);
  }
  for (Order& order : orders_) {
    if (kite::IsTerminalStatus(order.o.status) || order.fill_at_ms < 0) continue;
    if (now_ms >= order.fill_at_ms) ApplyFill(order, order.fill_at_ms);
  }
}

Result<std::vector<kite::Order>> VirtualBroker::Book(long long now_ms) {
  Advance(now_ms);
  if (fail_book_reads > 0) {
    --fail_book_reads;
    return Status(StatusCode::kBroker, "Service unavailable").WithHttp(503, "NetworkException");
  }
  std::vector<kite::Order> out;
  for (const Order& order : orders_) {
    if (!order.trader && now_ms < order.created_ms + book_delay_ms) continue;
    out.push_back(order.o);
  }
  return out;
}

Result<kite::Positions> VirtualBroker::Positions(long long now_ms) {
  Advance(now_ms);
  if (fail_positions_reads > 0) {
    --fail_positions_reads;
    return Status(StatusCode::kTimeout, "timed out");
  }
  std::map<std::string, long long> view = truth_;
  for (const auto& [at, change] : fill_log_) {
    if (now_ms - at < positions_lag_ms) view[change.first] -= change.second;
  }
  kite::Positions p;
  for (const auto& [key, qty] : view) {
    kite::Position row;
    const size_t a = key.find(':'), b = key.rfind(':');
    row.exchange = key.substr(0, a);
    row.tradingsymbol = key.substr(a + 1, b - a - 1);
    row.product = key.substr(b + 1);
    row.quantity = qty;
    p.net.push_back(row);
  }
  return p;
}

PlaceAnswer VirtualBroker::Place(const JournaledOrder& row, long long now_ms) {
  Advance(now_ms);
  PlaceAnswer answer;
  answer.price = row.price;
  const auto inst = instruments_.find(row.exchange + ":" + row.tradingsymbol);
  auto refuse = [&](std::string message) {
    answer.status = Status(StatusCode::kBroker, std::move(message)).WithHttp(400, "InputException");
    return answer;
  };
  if (inst != instruments_.end()) {
    const VirtualInstrument& i = inst->second;
    if (row.quantity % i.lot_size != 0) {
      return refuse(
          fmt::format("Quantity should be a multiple of lot size. Lot size for this "
                      "instrument is {}.",
                      i.lot_size));
    }
    if (i.freeze > 0 && row.quantity > i.freeze && !row.autoslice) {
      const long long max_lots = i.freeze / i.lot_size;
      return refuse(
          fmt::format("The order quantity {} ({} lots) is higher than the maximum "
                      "quantity of {} ({} lots) allowed by the exchanges",
                      row.quantity, row.quantity / i.lot_size, max_lots * i.lot_size, max_lots));
    }
    if (i.market_blocked && row.order_type == "MARKET") {
      return refuse("RMS:Rule: Market orders are blocked for stock option contracts.");
    }
  }
  if (timeouts_after_create > 0) {
    --timeouts_after_create;
    Create(row, now_ms, now_ms);
    answer.status = Status(StatusCode::kTimeout, "read timed out");
    return answer;
  }
  if (timeouts_without_create > 0) {
    --timeouts_without_create;
    if (late_create_ms >= 0) late_.push_back({now_ms + late_create_ms, row});
    answer.status = Status(StatusCode::kTimeout, "read timed out");
    return answer;
  }
  Create(row, now_ms, now_ms);
  answer.order_ids = {orders_.back().o.order_id};
  return answer;
}

Status VirtualBroker::Cancel(const std::string& order_id, long long now_ms) {
  Advance(now_ms);
  for (Order& order : orders_) {
    if (order.o.order_id != order_id) continue;
    if (kite::IsTerminalStatus(order.o.status)) {
      return Status(StatusCode::kBroker,
                    "Order cannot be cancelled as it is already " + order.o.status)
          .WithHttp(400, "InputException");
    }
    order.o.status = "CANCELLED";
    if (order.trader) ++cancels_of_trader_orders;
    return Status::Ok();
  }
  return Status(StatusCode::kBroker, "Invalid `order_id`.").WithHttp(400, "InputException");
}

Status VirtualBroker::Modify(const std::string& order_id, double price, long long now_ms) {
  Advance(now_ms);
  for (Order& order : orders_) {
    if (order.o.order_id != order_id || kite::IsTerminalStatus(order.o.status)) continue;
    order.o.price = price;
    order.fill_at_ms = now_ms + fill_delay_ms;  // a LIMIT through the touch fills
    return Status::Ok();
  }
  return Status(StatusCode::kBroker, "Order cannot be modified").WithHttp(400, "InputException");
}

int VirtualBroker::tag_sent_twice() const {
  std::map<std::string, int> seen;
  for (const Order& order : orders_) {
    if (!order.trader) ++seen[order.o.tag];
  }
  int twice = 0;
  for (const auto& [tag, n] : seen) twice += n > 1;
  return twice;
}

long long VirtualBroker::overshoot() const {
  long long total = 0;
  for (const auto& [key, start] : start_) {
    const long long now = truth_.at(key);
    if ((start < 0 && now > 0) || (start > 0 && now < 0)) total += std::llabs(now);
  }
  return total;
}

void VirtualRun::Later(long long delay, std::function<RunActions()> event) {
  events_[{now_ + delay, seq_++}] = std::move(event);
}

void VirtualRun::Execute(RunActions actions) {
  for (RunAction& a : actions) {
    switch (a.kind) {
      case RunAction::Kind::kReadPositions: {
        const long long started = now_;
        Later(latency_ms, [this, started] {
          auto read = broker_.Positions(now_ - latency_ms / 2);
          return machine_.OnPositions(read, At(started), At(now_));
        });
        break;
      }
      case RunAction::Kind::kReadBook:
        Later(latency_ms,
              [this] { return machine_.OnBook(broker_.Book(now_ - latency_ms / 2), At(now_)); });
        break;
      case RunAction::Kind::kListGtts:
        Later(latency_ms, [this] { return machine_.OnGtts(std::vector<kite::Gtt>{}, At(now_)); });
        break;
      case RunAction::Kind::kDeleteGtt:
        break;
      case RunAction::Kind::kPlace: {
        if (!first_place_ms) first_place_ms = now_;
        JournaledOrder row = a.row;
        if (row.order_type == "LIMIT") row.price = 101;
        journal[row.tag] = row;  // journal first
        Later(latency_ms, [this, row] {
          PlaceAnswer answer = broker_.Place(row, now_ - latency_ms / 2);
          return machine_.OnPlaceAnswer(row.tag, answer, At(now_));
        });
        break;
      }
      case RunAction::Kind::kModify: {
        const std::string tag = a.row.tag, id = a.order_id;
        const double price = a.row.price + 1;
        Later(latency_ms, [this, tag, id, price] {
          ModifyAnswer answer{broker_.Modify(id, price, now_ - latency_ms / 2), price, false};
          return machine_.OnModifyAnswer(tag, answer, At(now_));
        });
        break;
      }
      case RunAction::Kind::kCancel: {
        const std::string id = a.order_id;
        const bool own = a.own;
        if (!own) cancelled_trader_orders.insert(id);
        Later(latency_ms, [this, id, own] {
          return machine_.OnCancelAnswer(id, own, broker_.Cancel(id, now_ - latency_ms / 2),
                                         At(now_));
        });
        break;
      }
      case RunAction::Kind::kJournal:
        journal[a.row.tag] = a.row;
        break;
      case RunAction::Kind::kSaveLedger:
        ledger.push_back(a.ledger);
        break;
      case RunAction::Kind::kLog:
        log.push_back(a.text);
        break;
      default:
        break;
    }
  }
}

bool VirtualRun::Run(long long limit_ms) {
  Execute(machine_.Start(At(now_)));
  while (!machine_.finished() && now_ < limit_ms) {
    const MonoTime wake = machine_.NextWakeup();
    long long next =
        wake == MonoTime::max()
            ? limit_ms
            : std::chrono::duration_cast<std::chrono::milliseconds>(wake.time_since_epoch())
                  .count();
    if (!events_.empty()) next = std::min(next, events_.begin()->first.first);
    now_ = std::max(now_, std::min(next, limit_ms));
    broker_.Advance(now_);
    while (!events_.empty() && events_.begin()->first.first <= now_ && !machine_.finished()) {
      auto event = std::move(events_.begin()->second);
      events_.erase(events_.begin());
      Execute(event());
    }
    if (!machine_.finished()) Execute(machine_.OnTimer(At(now_)));
    if (events_.empty() && machine_.NextWakeup() == MonoTime::max() && !machine_.finished()) break;
  }
  return machine_.finished();
}

}  // namespace zm::monitor::testing
