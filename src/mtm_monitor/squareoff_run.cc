#include "mtm_monitor/squareoff_run.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cctype>
#include <cstdlib>
#include <regex>

#include "mtm_monitor/squareoff_util.h"
#include "mtm_monitor/tags.h"

namespace zm::monitor {

using boost::asio::awaitable;

std::string PositionKey(const std::string& exchange, const std::string& tradingsymbol,
                        const std::string& product) {
  return exchange + ":" + tradingsymbol + ":" + product;
}

bool IsMarketRefusal(const std::string& message) {
  std::string lower = message;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.find("market order") == std::string::npos) return false;
  // "Market orders without market protection ..." is about a missing parameter, which we
  // always send; still, a LIMIT is the right answer to it too.
  return lower.find("blocked") != std::string::npos ||
         lower.find("not allowed") != std::string::npos ||
         lower.find("limit order") != std::string::npos ||
         lower.find("illiquid") != std::string::npos;
}

void MergeCircuitFromMessage(const std::string& message, std::optional<CircuitBand>& band) {
  static const std::regex kCircuit(R"((upper|lower) circuit limit of ([0-9][0-9,]*\.?[0-9]*))");
  std::smatch match;
  if (!std::regex_search(message, match, kCircuit)) return;
  std::string number = match[2].str();
  number.erase(std::remove(number.begin(), number.end(), ','), number.end());
  double value = std::strtod(number.c_str(), nullptr);
  if (value <= 0) return;
  if (!band) band = CircuitBand{};
  (match[1].str() == "upper" ? band->upper : band->lower) = value;
}

SquareOffRun::SquareOffRun(RunDeps deps, JournaledSquareOff squareoff,
                           std::vector<JournaledOrder> rows)
    : deps_(deps), so_(std::move(squareoff)), rows_(std::move(rows)), pacer_(deps.tuning.pacer) {
  for (const auto& row : rows_) {
    next_slice_number_ = std::max(next_slice_number_, row.slice + 1);
    if (row.order_type == "LIMIT") limit_keys_.insert(InstrumentKey(row.exchange, row.tradingsymbol));
  }
}

awaitable<Result<SquareOffOutcome>> SquareOffRun::Execute() {
  // 1. Whatever the journal says may be at the broker is resolved from the order book (by
  //    tag) and tracked to a terminal state before anything new is sent.
  for (size_t i = 0; i < rows_.size(); ++i) {
    if (!rows_[i].live() || so_.dry_run) continue;
    Slice slice;
    const JournaledOrder& row = rows_[i];
    slice.plan = {row.exchange, row.tradingsymbol, row.product, row.transaction_type,
                  row.quantity, 1, row.tick_size, row.instrument_token, ""};
    slice.number = row.slice;
    slice.remaining = row.quantity;
    slice.next_attempt = row.attempt + 1;
    slice.row = static_cast<int>(i);
    slice.resume_only = true;
    slice.live_since = slice.last_touch = Steady::now();
    slices_.push_back(std::move(slice));
  }
  if (!slices_.empty()) {
    spdlog::warn("square-off {}: resuming, {} journaled order(s) to reconcile by tag", so_.id,
                 slices_.size());
    Status tracked = co_await TrackAll();
    if (!tracked.ok()) co_return tracked;
  }
  const auto& risk = deps_.config.risk_management;
  std::vector<std::string> remaining;
  // A resumed square-off gets at least one more round whatever it used before the restart.
  const int last_round = std::max(risk.max_verify_rounds, so_.rounds + 1);
  for (int round = so_.rounds + 1;; ++round) {
    if (risk.cancel_open_orders && !so_.dry_run) {
      Status cancelled = co_await CancelOpenOrders();
      if (!cancelled.ok()) spdlog::error("square-off {}: cancel open orders: {}", so_.id, cancelled.ToString());
    }
    auto book = co_await ReadOpenBook();
    if (!book.ok()) co_return book.status();
    remaining = DescribePositions(book->open);
    if (book->open.empty()) {
      co_return Finish("flat", {}, fmt::format("flat after {} round(s)", std::max(0, round - 1)));
    }
    if (round > last_round) break;
    std::vector<std::string> keys;
    for (const auto& p : book->to_close) keys.push_back(InstrumentKey(p.exchange, p.tradingsymbol));
    auto instruments = deps_.journal.LookupInstruments(keys);
    if (!instruments.ok()) spdlog::error("instruments cache: {}", instruments.status().ToString());
    Plan plan = PlanSquareOff(book->to_close, instruments.ok() ? *instruments : InstrumentIndex{},
                              deps_.config.instruments);
    for (const auto& note : plan.notes) spdlog::warn("square-off {}: {}", so_.id, note);
    planned_quantity_.clear();
    for (const auto& p : book->open) planned_quantity_[PositionKey(p.exchange, p.tradingsymbol, p.product)] = p.quantity;
    so_.rounds = round;
    Status journaled = JournalRound(plan);
    if (!journaled.ok()) co_return journaled;  // journal first: nothing is sent without it
    if (so_.dry_run) {
      co_return Finish("dry_run", remaining,
                       fmt::format("dry run: {} order(s) journaled, none sent", plan.slices.size()));
    }
    spdlog::info("square-off {} round {}: {} order(s) for {} position(s)", so_.id, round,
                 plan.slices.size(), book->to_close.size());
    for (auto& slice : slices_) {
      co_await PlaceAttempt(slice);
      if (crashed_) co_return Status(StatusCode::kCancelled, "simulated crash");
    }
    Status tracked = co_await TrackAll();
    if (!tracked.ok()) co_return tracked;
    if (plan.slices.empty()) co_await SleepFor(deps_.tuning.positions_settle);
  }
  co_return Finish("failed", remaining,
                   fmt::format("NOT FLAT after {} round(s): {}", so_.rounds,
                               fmt::join(remaining, ", ")));
}

Status SquareOffRun::JournalRound(const Plan& plan) {
  slices_.clear();
  std::vector<JournaledOrder> fresh;
  const long long now_ms = ToEpochMs(deps_.clock.Now());
  for (const auto& planned : plan.slices) {
    Slice slice;
    slice.plan = planned;
    slice.number = next_slice_number_++;
    slice.remaining = planned.quantity;
    slice.use_limit = limit_keys_.count(InstrumentKey(planned.exchange, planned.tradingsymbol)) > 0;
    JournaledOrder row = NewRow(so_, slice.plan, slice.number, slice.next_attempt++,
                                slice.remaining, slice.use_limit, deps_.config, now_ms);
    if (so_.dry_run) row.state = order_state::kDryRun;
    slice.prejournaled = static_cast<int>(rows_.size() + fresh.size());
    fresh.push_back(std::move(row));
    slices_.push_back(std::move(slice));
  }
  ZM_RETURN_IF_ERROR(deps_.journal.InsertOrders(fresh));
  rows_.insert(rows_.end(), fresh.begin(), fresh.end());
  return deps_.journal.UpdateSquareOff(so_);
}

awaitable<Status> SquareOffRun::CancelOpenOrders() {
  auto orders = co_await ReadOrdersWithRetry();
  if (!orders.ok()) co_return orders.status();
  std::set<std::string> cancelled;
  for (const auto& order : *orders) {
    if (kite::IsTerminalStatus(order.status) || ParseTag(order.tag)) continue;
    co_await Paced();
    std::string variety = order.variety.empty() ? "regular" : order.variety;
    auto result = co_await deps_.api.CancelOrder(variety, order.order_id);
    if (result.ok()) {
      spdlog::warn("square-off {}: cancelled open order {} {} {} {} ({})", so_.id, order.order_id,
                   order.transaction_type, order.quantity, order.tradingsymbol, order.status);
      cancelled.insert(order.order_id);
    } else {
      spdlog::error("square-off {}: cancel {} failed: {}", so_.id, order.order_id,
                    result.status().ToString());
      if (result.status().code() == StatusCode::kRateLimited) pacer_.OnRateLimited(Steady::now());
    }
  }
  // Wait (bounded) until the cancellations are final, so that a stop-loss that triggered
  // meanwhile shows in the positions read next.
  const auto deadline = Steady::now() + deps_.tuning.cancel_wait;
  while (!cancelled.empty() && Steady::now() < deadline) {
    co_await SleepFor(deps_.tuning.poll_interval);
    auto book = co_await deps_.api.GetOrders();
    if (!book.ok()) continue;
    bool pending = false;
    for (const auto& order : *book)
      if (cancelled.count(order.order_id) && !kite::IsTerminalStatus(order.status)) pending = true;
    if (!pending) break;
  }
  co_return Status::Ok();
}

awaitable<Result<SquareOffRun::OpenBook>> SquareOffRun::ReadOpenBook() {
  // What our fills of the last round should have done to each position: the broker's
  // positions may lag the order book, and planning from a stale read would close twice.
  std::map<std::string, long long> expected;
  if (!planned_quantity_.empty()) {
    expected = planned_quantity_;
    for (const auto& [key, delta] : FilledDeltaThisRound()) expected[key] += delta;
  }
  const auto deadline = Steady::now() + deps_.tuning.positions_settle;
  for (;;) {
    auto positions = co_await ReadPositionsWithRetry();
    if (!positions.ok()) co_return positions.status();
    OpenBook book;
    bool consistent = true;
    std::map<std::string, long long> seen;
    for (const auto& p : positions->net) {
      const std::string key = PositionKey(p.exchange, p.tradingsymbol, p.product);
      seen[key] = p.quantity;
      if (p.quantity == 0) continue;
      book.open.push_back(p);
      kite::Position close = p;
      if (auto it = expected.find(key); it != expected.end()) {
        close.quantity = ConservativeQuantity(p.quantity, it->second);
        if (close.quantity != p.quantity) consistent = false;
      }
      if (close.quantity != 0) book.to_close.push_back(close);
    }
    for (const auto& [key, qty] : expected)
      if (qty != 0 && !seen.count(key)) consistent = false;
    if (consistent || Steady::now() >= deadline) co_return book;
    co_await SleepFor(deps_.tuning.poll_interval);
  }
}

std::map<std::string, long long> SquareOffRun::FilledDeltaThisRound() const {
  std::map<std::string, long long> delta;
  for (const auto& row : rows_) {
    if (row.round != so_.rounds || row.filled_quantity == 0) continue;
    long long signed_fill = row.transaction_type == "BUY" ? row.filled_quantity : -row.filled_quantity;
    delta[PositionKey(row.exchange, row.tradingsymbol, row.product)] += signed_fill;
  }
  return delta;
}

template <typename T>
awaitable<Result<T>> SquareOffRun::ReadWithRetry(const char* what,
                                                 kite::Async<T> (kite::KiteApi::*call)()) {
  Status last;
  for (int i = 0; i < std::max(1, deps_.tuning.max_read_retries); ++i) {
    if (i > 0) co_await SleepFor(RetryDelay(deps_.config, i));
    auto read = co_await (deps_.api.*call)();
    if (read.ok()) co_return read;
    last = read.status();
    spdlog::warn("square-off {}: {} read failed: {}", so_.id, what, last.ToString());
  }
  co_return last;
}

awaitable<Result<kite::Positions>> SquareOffRun::ReadPositionsWithRetry() {
  return ReadWithRetry<kite::Positions>("positions", &kite::KiteApi::GetPositions);
}

awaitable<Result<std::vector<kite::Order>>> SquareOffRun::ReadOrdersWithRetry() {
  return ReadWithRetry<std::vector<kite::Order>>("order book", &kite::KiteApi::GetOrders);
}

Result<SquareOffOutcome> SquareOffRun::Finish(std::string outcome, std::vector<std::string> remaining,
                                              std::string summary) {
  so_.outcome = std::move(outcome);
  so_.finished_at_ms = ToEpochMs(deps_.clock.Now());
  so_.remaining = std::move(remaining);
  so_.summary = std::move(summary);
  ZM_RETURN_IF_ERROR(deps_.journal.UpdateSquareOff(so_));
  if (so_.outcome == "failed") {
    spdlog::critical("SQUARE-OFF {} INCOMPLETE, still open: {}. Square off manually in Kite now.",
                     so_.id, fmt::join(so_.remaining, ", "));
  } else {
    spdlog::info("square-off {}: {} ({})", so_.id, so_.outcome, so_.summary);
  }
  SquareOffOutcome out;
  out.squareoff_id = so_.id;
  out.flat = so_.outcome == "flat";
  out.dry_run = so_.dry_run;
  out.remaining = so_.remaining;
  out.summary = so_.summary;
  return out;
}

}  // namespace zm::monitor
