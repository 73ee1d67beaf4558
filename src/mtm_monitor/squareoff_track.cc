// SquareOffRun, part 2: sending attempts and tracking them to terminal states.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "mtm_monitor/squareoff_run.h"
#include "mtm_monitor/squareoff_util.h"
#include "mtm_monitor/tags.h"

namespace zm::monitor {

using boost::asio::awaitable;

namespace {

constexpr int kMaxModifications = 25;  // Kite's limit per order

const char* TerminalState(const std::string& status) {
  if (status == "COMPLETE") return order_state::kComplete;
  if (status == "REJECTED") return order_state::kRejected;
  return order_state::kCancelled;
}

}  // namespace

bool SquareOffRun::Save(JournaledOrder& row) {
  row.updated_at_ms = ToEpochMs(deps_.clock.Now());
  Status saved = deps_.journal.UpdateOrder(row);
  if (!saved.ok()) spdlog::error("journal {}: {}", row.tag, saved.ToString());
  return saved.ok();
}

awaitable<void> SquareOffRun::Paced() {
  auto now = Steady::now();
  auto at = pacer_.NextSendTime(now);
  if (at > now) co_await SleepFor(at - now);
  pacer_.OnSent(Steady::now());
}

bool SquareOffRun::AllSettled() const {
  for (const auto& slice : slices_) {
    if (slice.row >= 0) return false;
    if (slice.resend && !slice.given_up) return false;
  }
  return true;
}

void SquareOffRun::ScheduleRetry(Slice& slice, const std::string& error, bool counts_as_failure) {
  slice.row = -1;
  slice.last_error = error;
  if (slice.resume_only || slice.remaining <= 0) return;  // a new round re-plans from positions
  if (counts_as_failure &&
      ++slice.failures > deps_.config.risk_management.max_order_retries) {
    slice.given_up = true;
    spdlog::error("square-off {}: slice {} {} {} given up after {} failure(s): {}", so_.id,
                  slice.number, slice.plan.transaction_type, slice.plan.tradingsymbol,
                  slice.failures, error);
    return;
  }
  slice.resend = true;
  slice.resend_at = Steady::now();
  if (counts_as_failure) slice.resend_at += RetryDelay(deps_.config, slice.failures);
}

awaitable<Result<double>> SquareOffRun::LimitPrice(const Slice& slice) {
  Quote quote;
  const long long now_ms = ToEpochMs(deps_.clock.Now());
  const double freshness_ms = deps_.config.ltp_management.freshness_threshold_seconds * 1000;
  if (deps_.trading_db != nullptr && slice.plan.instrument_token != 0) {
    auto ltps = deps_.trading_db->ReadLtps();
    if (ltps.ok()) {
      auto it = ltps->find(slice.plan.instrument_token);
      if (it != ltps->end() && now_ms - it->second.received_at_ms <= freshness_ms) {
        quote = {it->second.last_price, it->second.best_bid, it->second.best_ask};
      }
    }
  }
  if (quote.last_price <= 0 && quote.best_bid <= 0 && quote.best_ask <= 0) {
    const std::string key = InstrumentKey(slice.plan.exchange, slice.plan.tradingsymbol);
    std::vector<std::string> keys{key};
    auto ltp = co_await deps_.api.GetLtp(std::move(keys));
    if (ltp.ok() && ltp->count(key)) quote.last_price = ltp->at(key).last_price;
  }
  // Each re-price of a resting order goes further through the touch.
  int modifications = slice.row >= 0 ? rows_[slice.row].modifications : 0;
  double margin = std::min(20.0, deps_.config.risk_management.limit_price_margin_percent *
                                     (1 + modifications));
  co_return MarketableLimitPrice(slice.plan.transaction_type, quote, margin, slice.plan.tick_size,
                                 slice.band);
}

awaitable<void> SquareOffRun::PlaceAttempt(Slice& slice) {
  slice.resend = false;
  if (slice.given_up || slice.remaining <= 0) co_return;
  const long long now_ms = ToEpochMs(deps_.clock.Now());
  int index = slice.prejournaled;
  slice.prejournaled = -1;
  if (index < 0) {
    if (slice.next_attempt > kMaxTagAttempt) {
      slice.given_up = true;
      co_return;
    }
    rows_.push_back(NewRow(so_, slice.plan, slice.number, slice.next_attempt++, slice.remaining,
                           slice.use_limit, deps_.config, now_ms));
    index = static_cast<int>(rows_.size()) - 1;
    if (!Save(rows_[index])) {  // journal first: never send what is not journaled
      rows_[index].state = order_state::kNotSent;
      ScheduleRetry(slice, "journal write failed", true);
      co_return;
    }
  }
  if (rows_[index].order_type == "LIMIT") {
    auto price = co_await LimitPrice(slice);
    if (!price.ok()) {
      rows_[index].state = order_state::kNotSent;
      rows_[index].error = price.status().message();
      Save(rows_[index]);
      ScheduleRetry(slice, price.status().message(), true);
      co_return;
    }
    rows_[index].price = *price;
    if (!Save(rows_[index])) {
      rows_[index].state = order_state::kNotSent;
      ScheduleRetry(slice, "journal write failed", true);
      co_return;
    }
  }
  slice.row = index;
  co_await Paced();
  // After the pacing wait (up to seconds after a 429): an order is "resting" only once it has
  // been at the broker for rest_timeout.
  slice.live_since = slice.last_touch = Steady::now();
  auto placed = co_await deps_.api.PlaceOrder(ToOrderRequest(rows_[index]));
  if (deps_.tuning.simulate_crash_after_sends > 0 &&
      ++sends_ >= deps_.tuning.simulate_crash_after_sends) {
    crashed_ = true;
    co_return;
  }
  JournaledOrder& row = rows_[index];
  if (placed.ok()) {
    pacer_.OnAnswered();
    row.state = order_state::kPlaced;
    row.order_id = *placed;
    Save(row);
    co_return;
  }
  const Status& error = placed.status();
  row.error = error.ToString();
  if (error.code() == StatusCode::kRateLimited) {
    pacer_.OnRateLimited(Steady::now());
    row.state = order_state::kNotSent;
    Save(row);
    slice.row = -1;
    if (++slice.rate_limits > deps_.tuning.max_rate_limit_retries) {
      ScheduleRetry(slice, row.error, true);
    } else {
      ScheduleRetry(slice, row.error, false);
    }
    co_return;
  }
  pacer_.OnAnswered();
  if (error.outcome_unknown() || error.http_status() >= 500) {
    // The order may exist: the row stays "journaled" until the order book shows its tag
    // (placed) or proves it absent (not_sent); only then may the slice be sent again.
    spdlog::warn("square-off {}: {} outcome unknown ({}); reconciling by tag", so_.id, row.tag,
                 error.ToString());
    Save(row);
    co_return;
  }
  row.state = order_state::kNotSent;
  Save(row);
  spdlog::warn("square-off {}: {} refused: {}", so_.id, row.tag, error.ToString());
  if (IsMarketRefusal(error.message()) && !slice.use_limit) {
    slice.use_limit = true;
    limit_keys_.insert(InstrumentKey(slice.plan.exchange, slice.plan.tradingsymbol));
    ScheduleRetry(slice, row.error, false);
    co_return;
  }
  MergeCircuitFromMessage(error.message(), slice.band);
  ScheduleRetry(slice, row.error, true);
}

awaitable<Status> SquareOffRun::TrackAll() {
  const auto deadline = Steady::now() + deps_.tuning.round_timeout;
  std::map<std::string, Steady::time_point> absent_since;
  auto next_poll = Steady::now() + deps_.tuning.poll_interval;
  while (!AllSettled()) {
    if (Steady::now() >= deadline) {
      std::vector<std::string> live;
      for (const auto& s : slices_)
        if (s.row >= 0) live.push_back(rows_[s.row].tag);
      co_return InternalError(fmt::format("square-off {}: orders not final after {} s: {}", so_.id,
                                          deps_.tuning.round_timeout.count() / 1000,
                                          fmt::join(live, ",")));
    }
    for (auto& slice : slices_) {
      if (slice.resend && !slice.given_up && Steady::now() >= slice.resend_at) {
        co_await PlaceAttempt(slice);
        if (crashed_) co_return Status(StatusCode::kCancelled, "simulated crash");
      }
    }
    co_await WaitForUpdates(next_poll);
    if (AllSettled() || (Steady::now() < next_poll && !poll_now_)) continue;
    poll_now_ = false;
    next_poll = Steady::now() + deps_.tuning.poll_interval;
    Status polled = co_await PollOnce(absent_since);
    if (!polled.ok()) spdlog::warn("square-off {}: order book: {}", so_.id, polled.ToString());
  }
  co_return Status::Ok();
}

awaitable<Status> SquareOffRun::PollOnce(std::map<std::string, Steady::time_point>& absent_since) {
  bool any_live = false;
  for (const auto& slice : slices_) any_live = any_live || slice.row >= 0;
  if (!any_live) co_return Status::Ok();
  auto orders = co_await deps_.api.GetOrders();
  if (!orders.ok()) co_return orders.status();
  std::map<std::string, const kite::Order*> by_tag, by_id;
  for (const auto& order : *orders) {
    if (!order.tag.empty()) by_tag[order.tag] = &order;
    by_id[order.order_id] = &order;
  }
  for (auto& slice : slices_) {
    if (slice.row < 0) continue;
    JournaledOrder& row = rows_[slice.row];
    const kite::Order* order = nullptr;
    if (auto it = by_tag.find(row.tag); it != by_tag.end()) order = it->second;
    if (!order && !row.order_id.empty()) {
      if (auto it = by_id.find(row.order_id); it != by_id.end()) order = it->second;
    }
    if (order) {
      absent_since.erase(row.tag);
      co_await HandleBookOrder(slice, *order);
    } else if (row.state == order_state::kJournaled) {
      HandleAbsent(slice, absent_since.try_emplace(row.tag, Steady::now()).first->second);
    }
  }
  co_return Status::Ok();
}

void SquareOffRun::HandleAbsent(Slice& slice, Steady::time_point& since) {
  // One missing read is not proof (the book may lag the order); a tag missing from every read
  // for absent_confirm is.
  if (Steady::now() - since < deps_.tuning.absent_confirm) return;
  JournaledOrder& row = rows_[slice.row];
  row.state = order_state::kNotSent;
  row.error += " | not in the order book";
  Save(row);
  spdlog::warn("square-off {}: {} proven absent from the order book", so_.id, row.tag);
  ScheduleRetry(slice, row.error, true);
}

awaitable<void> SquareOffRun::HandleBookOrder(Slice& slice, const kite::Order& order) {
  JournaledOrder& row = rows_[slice.row];
  const bool changed = row.status != order.status || row.filled_quantity != order.filled_quantity ||
                       row.state == order_state::kJournaled;
  if (row.state == order_state::kJournaled) {
    spdlog::info("square-off {}: {} found in the order book as {}", so_.id, row.tag, order.order_id);
    row.state = order_state::kPlaced;
    slice.live_since = slice.last_touch = Steady::now();
  }
  row.order_id = order.order_id;
  row.status = order.status;
  row.filled_quantity = order.filled_quantity;
  row.average_price = order.average_price;
  if (!kite::IsTerminalStatus(order.status)) {
    if (changed) Save(row);
    const auto now = Steady::now();
    const auto pause = row.order_type == "LIMIT" ? deps_.tuning.reprice_interval
                                                 : deps_.tuning.rest_timeout;
    if (order.status == "OPEN" && now - slice.live_since >= deps_.tuning.rest_timeout &&
        now - slice.last_touch >= pause) {
      co_await HandleResting(slice);
    }
    co_return;
  }
  row.state = TerminalState(order.status);
  row.error = order.status_message;
  Save(row);
  slice.row = -1;
  slice.remaining = std::max(0LL, slice.remaining - order.filled_quantity);
  const bool we_cancelled = slice.cancel_requested;
  slice.cancel_requested = false;
  if (slice.remaining == 0 || slice.resume_only) co_return;
  if (order.status == "REJECTED") {
    spdlog::warn("square-off {}: {} rejected: {}", so_.id, row.tag, order.status_message);
    if (IsMarketRefusal(order.status_message) && !slice.use_limit) {
      slice.use_limit = true;
      limit_keys_.insert(InstrumentKey(slice.plan.exchange, slice.plan.tradingsymbol));
      ScheduleRetry(slice, order.status_message, false);
    } else {
      MergeCircuitFromMessage(order.status_message, slice.band);
      ScheduleRetry(slice, order.status_message, true);
    }
  } else if (we_cancelled && ++slice.replaces <= deps_.tuning.max_replaces) {
    slice.use_limit = true;  // what rested as MARKET is re-placed as a marketable LIMIT
    ScheduleRetry(slice, "re-placed after resting", false);
  } else {
    ScheduleRetry(slice, "cancelled " + order.status_message, true);
  }
}

awaitable<void> SquareOffRun::HandleResting(Slice& slice) {
  JournaledOrder& row = rows_[slice.row];
  slice.last_touch = Steady::now();
  if (slice.cancel_requested) co_return;
  if (row.order_type == "LIMIT" && row.modifications < kMaxModifications && !slice.resume_only) {
    auto price = co_await LimitPrice(slice);
    if (price.ok() && *price != row.price) {
      co_await Paced();
      kite::OrderModify modify;
      modify.order_type = "LIMIT";
      modify.price = *price;
      auto modified = co_await deps_.api.ModifyOrder("regular", row.order_id, modify);
      if (modified.ok()) {
        row.price = *price;
        ++row.modifications;
        Save(row);
        co_return;
      }
      spdlog::warn("square-off {}: modify {}: {}", so_.id, row.tag, modified.status().ToString());
      if (modified.status().message().find("modification") == std::string::npos) co_return;
      row.modifications = kMaxModifications;  // the broker says no more: cancel and re-place
    } else if (price.ok()) {
      ++row.modifications;  // same price: the next re-price goes further through the touch
      co_return;
    }
  }
  co_await Paced();
  auto cancelled = co_await deps_.api.CancelOrder("regular", row.order_id);
  if (cancelled.ok() || cancelled.status().outcome_unknown()) {
    slice.cancel_requested = true;
    spdlog::info("square-off {}: {} rested, cancelling to re-place", so_.id, row.tag);
  } else {
    spdlog::warn("square-off {}: cancel {}: {}", so_.id, row.tag, cancelled.status().ToString());
  }
}

}  // namespace zm::monitor
