#include "mtm_monitor/squareoff/driver.h"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>

#include "common/spawned_task.h"
#include "mtm_monitor/squareoff/instruments_store.h"

namespace zm::monitor {

namespace asio = boost::asio;

// What spawned reads and sends share with the loop: events to apply, and the timer that wakes
// the loop when one arrives. Outlives the Driver when a task finishes late (then it is ignored).
struct Driver::Shared {
  explicit Shared(asio::any_io_executor ex) : wake(ex) {}
  std::deque<Event> events;
  asio::steady_timer wake;
  bool closed = false;
  void Push(Event e) {
    if (closed) return;
    events.push_back(std::move(e));
    wake.cancel();
  }
};

namespace {

// Awaits one read of the broker and queues its result (a failure too) for the machine's handler.
template <typename T, typename SharedPtr>
asio::awaitable<void> DeliverRead(kite::Async<T> read_call, SharedPtr shared,
                                  RunActions (RunMachine::*handler)(const Result<T>&, Instant)) {
  auto read = co_await std::move(read_call);
  shared->Push([read = std::move(read), handler](RunMachine& m, Instant now) {
    return (m.*handler)(read, now);
  });
}

kite::OrderRequest ToRequest(const JournaledOrder& row) {
  return {.exchange = row.exchange,
          .tradingsymbol = row.tradingsymbol,
          .transaction_type = row.transaction_type,
          .order_type = row.order_type,
          .product = row.product,
          .quantity = row.quantity,
          .price = row.order_type == "LIMIT" ? row.price : 0,
          .market_protection = row.order_type == "MARKET" ? row.market_protection : 0,
          .autoslice = row.autoslice,
          .tag = row.tag};
}

void LogAt(int level, const std::string& text) {
  switch (level) {
    case 0:
      spdlog::info("{}", text);
      break;
    case 1:
      spdlog::warn("{}", text);
      break;
    case 2:
      spdlog::error("{}", text);
      break;
    default:
      spdlog::critical("{}", text);
      break;
  }
}

}  // namespace

Driver::Driver(DriverDeps deps, RunMachine& machine) : deps_(deps), machine_(machine) {}

Driver::~Driver() = default;

Instant Driver::Now() const { return {deps_.mono.Now(), ToEpochMs(deps_.wall.Now())}; }

void Driver::Spawn(asio::awaitable<void> task) {
  ++tasks_in_flight_;
  asio::co_spawn(shared_->wake.get_executor(), std::move(task),
                 [this, shared = shared_](std::exception_ptr error) {
                   LogIfThrown("square-off")(error);
                   --tasks_in_flight_;
                   shared->wake.cancel();
                 });
}

asio::awaitable<void> Driver::Run() {
  shared_ = std::make_shared<Shared>(co_await asio::this_coro::executor);
  Execute(machine_.Start(Now()));
  auto next_update_check = deps_.mono.Now();
  while (!machine_.finished()) {
    if (shared_->events.empty()) {
      MonoTime wake = std::min(machine_.NextWakeup(), next_update_check);
      if (!sends_.empty() && sends_in_flight_ < deps_.tuning.max_sends_in_flight) {
        wake = std::min(wake, deps_.pacer.NextSendTime(deps_.mono.Now()));
      }
      const auto wait = wake - deps_.mono.Now();
      if (wait > MonoDuration::zero()) {
        shared_->wake.expires_after(std::min<MonoDuration>(wait, std::chrono::seconds(1)));
        co_await shared_->wake.async_wait(asio::as_tuple(asio::use_awaitable));
      }
    }
    while (!shared_->events.empty() && !machine_.finished()) {
      Event event = std::move(shared_->events.front());
      shared_->events.pop_front();
      Execute(event(machine_, Now()));
    }
    if (machine_.finished()) break;
    if (deps_.updates != nullptr && deps_.mono.Now() >= next_update_check) {
      next_update_check = deps_.mono.Now() + deps_.tuning.update_check;
      for (const kite::Order& order : deps_.updates->Poll()) {
        Execute(machine_.OnOrderUpdate(order, Now()));
      }
    } else if (deps_.updates == nullptr) {
      next_update_check = MonoTime::max();
    }
    Execute(machine_.OnTimer(Now()));
    PumpSends();
    RetryJournal();
  }
  shared_->closed = true;
  // Requests still in flight (a run that timed out) hold this driver: wait for their answers,
  // which the HTTP client's per-phase timeouts bound.
  while (tasks_in_flight_ > 0) {
    shared_->wake.expires_after(std::chrono::milliseconds(100));
    co_await shared_->wake.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  RetryJournal();
}

void Driver::Execute(RunActions actions) {
  for (RunAction& action : actions) ExecuteOne(action);
  PumpSends();
}

void Driver::ExecuteOne(RunAction& a) {
  auto shared = shared_;
  const std::string date = machine_.squareoff().trading_date;
  switch (a.kind) {
    case RunAction::Kind::kReadPositions:
      Spawn([](Driver* self, std::shared_ptr<Shared> shared) -> asio::awaitable<void> {
        const Instant started = self->Now();
        kite::KiteApi& api = self->deps_.api;
        auto read = co_await api.GetPositions();
        if (shared->closed) co_return;
        if (read.ok()) self->EnsureFacts(*read);
        shared->Push([read = std::move(read), started](RunMachine& m, Instant now) {
          return m.OnPositions(read, started, now);
        });
      }(this, shared));
      break;
    case RunAction::Kind::kReadBook:
      Spawn(DeliverRead(deps_.api.GetOrders(), shared, &RunMachine::OnBook));
      break;
    case RunAction::Kind::kListGtts:
      Spawn(DeliverRead(deps_.api.GetGtts(), shared, &RunMachine::OnGtts));
      break;
    case RunAction::Kind::kDeleteGtt:
      Spawn([](kite::KiteApi& api, std::shared_ptr<Shared> shared,
               long long id) -> asio::awaitable<void> {
        auto done = co_await api.DeleteGtt(id);
        shared->Push([status = done.status(), id](RunMachine& m, Instant now) {
          return m.OnGttDeleted(id, status, now);
        });
      }(deps_.api, shared, a.gtt_id));
      break;
    case RunAction::Kind::kPlace:
    case RunAction::Kind::kModify:
    case RunAction::Kind::kCancel:
      sends_.push_back(a);
      break;
    case RunAction::Kind::kJournal:
      Journal(a.row);
      break;
    case RunAction::Kind::kSaveLedger:
      if (Status s = deps_.journal.SaveLedger(a.ledger); !s.ok()) spdlog::error("{}", s.ToString());
      break;
    case RunAction::Kind::kSaveCancelled:
      if (Status s = deps_.journal.SaveCancelled(date, a.order_id, Now().wall_ms); !s.ok())
        spdlog::error("{}", s.ToString());
      break;
    case RunAction::Kind::kSaveLearnt: {
      const std::string key = InstrumentKey(a.row.exchange, a.row.tradingsymbol);
      auto it = deps_.facts.learnt().find(key);
      if (it == deps_.facts.learnt().end()) break;
      if (Status s = deps_.instruments.SaveLearnt(date, key, it->second); !s.ok())
        spdlog::error("{}", s.ToString());
      break;
    }
    case RunAction::Kind::kSaveSquareOff:
      if (Status s = deps_.journal.UpdateSquareOff(machine_.squareoff()); !s.ok())
        spdlog::critical("{} (the square-off goes on)", s.ToString());
      break;
    case RunAction::Kind::kLog:
      LogAt(a.level, a.text);
      break;
    case RunAction::Kind::kFinish:
      break;
  }
}

void Driver::EnsureFacts(const kite::Positions& positions) {
  std::vector<std::string> keys;
  for (const kite::Position& p : positions.net) {
    std::string key = InstrumentKey(p.exchange, p.tradingsymbol);
    if (facts_loaded_.insert(key).second) keys.push_back(std::move(key));
  }
  if (keys.empty()) return;
  auto rows = deps_.instruments.Lookup(keys);
  if (!rows.ok()) {
    spdlog::error("instruments cache: {}", rows.status().ToString());
    return;
  }
  for (const kite::Instrument& row : *rows) deps_.facts.AddDumpRow(row);
}

void Driver::Journal(const JournaledOrder& row) {
  Status s = deps_.journal.UpsertOrder(row);
  if (s.ok()) {
    unwritten_.erase(row.tag);
    return;
  }
  unwritten_[row.tag] = row;
  if (!journal_failing_) {
    spdlog::critical(
        "journal write failed ({}): the exit goes on, the journal is kept in memory "
        "and written once the database accepts it",
        s.ToString());
  }
  journal_failing_ = true;
}

void Driver::RetryJournal() {
  if (unwritten_.empty()) return;
  std::map<std::string, JournaledOrder> rows;
  rows.swap(unwritten_);
  for (const auto& [tag, row] : rows) Journal(row);
  if (unwritten_.empty() && journal_failing_) {
    spdlog::warn("journal writes succeed again: {} row(s) caught up", rows.size());
    journal_failing_ = false;
  }
}

void Driver::PumpSends() {
  while (!sends_.empty() && sends_in_flight_ < deps_.tuning.max_sends_in_flight) {
    const MonoTime now = deps_.mono.Now();
    if (deps_.pacer.NextSendTime(now) > now) {
      if (deps_.pacer.day_exhausted() && !budget_noted_) {
        budget_noted_ = true;
        spdlog::critical(
            "Kite's {} order requests for today are used up: {} exit request(s) "
            "cannot be sent. Square off in the Kite app now.",
            deps_.pacer.sent_today(), sends_.size());
      }
      return;
    }
    RunAction a = std::move(sends_.front());
    sends_.pop_front();
    deps_.pacer.OnSent(now);
    const std::string date = machine_.squareoff().trading_date;
    if (Status s = deps_.journal.SaveRequests(date, deps_.pacer.sent_today()); !s.ok())
      spdlog::error("{}", s.ToString());
    ++sends_in_flight_;
    switch (a.kind) {
      case RunAction::Kind::kPlace:
        Spawn(SendPlace(std::move(a)));
        break;
      case RunAction::Kind::kModify:
        Spawn(SendModify(std::move(a)));
        break;
      default:
        Spawn(SendCancel(std::move(a)));
        break;
    }
  }
}

asio::awaitable<Result<double>> Driver::PriceFor(const JournaledOrder& row, int walk_step) {
  const InstrumentFacts facts = deps_.facts.Resolve(row.exchange, row.tradingsymbol);
  const double tick = facts.tick_size > 0 ? facts.tick_size : row.tick_size;
  const long long open = row.quantity - row.filled_quantity;
  auto book =
      co_await deps_.prices.Book(row.exchange, row.tradingsymbol, row.instrument_token, open);
  if (!book.ok()) co_return book.status();
  co_return ExitLimitPrice(row.transaction_type, open, *book, walk_step, tick, deps_.walk);
}

asio::awaitable<void> Driver::SendPlace(RunAction a) {
  auto shared = shared_;
  JournaledOrder row = a.row;
  PlaceAnswer answer;
  if (row.order_type == "LIMIT") {
    auto price = co_await PriceFor(row, a.walk_step);
    if (!price.ok()) {
      answer.sent = false;
      answer.status = price.status();
      --sends_in_flight_;
      shared->Push([tag = row.tag, answer](RunMachine& m, Instant now) {
        return m.OnPlaceAnswer(tag, answer, now);
      });
      co_return;
    }
    row.price = *price;
    answer.price = *price;
  }
  Journal(row);  // journal first: the row (with its price) is written before the request
  auto placed = co_await deps_.api.PlaceOrder(ToRequest(row));
  --sends_in_flight_;
  if (placed.ok()) {
    deps_.pacer.OnAnswered();
    answer.order_ids = {*placed};
  } else {
    answer.status = placed.status();
    if (placed.status().code() == StatusCode::kRateLimited) {
      deps_.pacer.OnRateLimited(deps_.mono.Now());
    } else {
      deps_.pacer.OnAnswered();
    }
  }
  shared->Push([tag = row.tag, answer](RunMachine& m, Instant now) {
    return m.OnPlaceAnswer(tag, answer, now);
  });
}

asio::awaitable<void> Driver::SendModify(RunAction a) {
  auto shared = shared_;
  ModifyAnswer answer;
  auto price = co_await PriceFor(a.row, a.walk_step);
  if (!price.ok() || *price == a.row.price) {
    answer.skipped = true;
    answer.status = price.ok() ? Status::Ok() : price.status();
  } else {
    kite::OrderModify modify;
    modify.order_type = "LIMIT";
    modify.price = *price;
    auto modified = co_await deps_.api.ModifyOrder("regular", a.order_id, modify);
    answer.price = *price;
    answer.status = modified.status();
    if (modified.status().code() == StatusCode::kRateLimited) {
      deps_.pacer.OnRateLimited(deps_.mono.Now());
    } else {
      deps_.pacer.OnAnswered();
    }
  }
  --sends_in_flight_;
  shared->Push([tag = a.row.tag, answer](RunMachine& m, Instant now) {
    return m.OnModifyAnswer(tag, answer, now);
  });
}

asio::awaitable<void> Driver::SendCancel(RunAction a) {
  auto shared = shared_;
  auto cancelled = co_await deps_.api.CancelOrder(a.variety, a.order_id);
  --sends_in_flight_;
  if (cancelled.status().code() == StatusCode::kRateLimited) {
    deps_.pacer.OnRateLimited(deps_.mono.Now());
  } else {
    deps_.pacer.OnAnswered();
  }
  shared->Push([id = a.order_id, own = a.own, status = cancelled.status()](
                   RunMachine& m, Instant now) { return m.OnCancelAnswer(id, own, status, now); });
}

}  // namespace zm::monitor
