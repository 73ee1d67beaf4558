#include "mtm_monitor/squareoff/engine.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/ist.h"
#include "common/kite/book_scope.h"
#include "common/kite/instruments.h"
#include "mtm_monitor/squareoff/driver.h"
#include "mtm_monitor/squareoff/facts.h"
#include "mtm_monitor/squareoff/instruments_store.h"
#include "mtm_monitor/squareoff/journal_store.h"
#include "mtm_monitor/squareoff/run_machine.h"
#include "mtm_monitor/squareoff/tags.h"

namespace zm::monitor {

namespace asio = boost::asio;
using asio::awaitable;

namespace {

class BusyGuard {
 public:
  explicit BusyGuard(bool& busy) : busy_(busy) { busy_ = true; }
  ~BusyGuard() { busy_ = false; }
  BusyGuard(const BusyGuard&) = delete;
  BusyGuard& operator=(const BusyGuard&) = delete;

 private:
  bool& busy_;
};

MonoDuration Seconds(double s) {
  return std::chrono::duration_cast<MonoDuration>(std::chrono::duration<double>(s));
}

// A holdings read that the square-off waits for at most a bound: the read goes on in the
// background when late, and its answer is then dropped.
struct HoldingsWait {
  explicit HoldingsWait(asio::any_io_executor ex) : timer(ex) {}
  std::optional<Result<std::vector<kite::Holding>>> result;
  asio::steady_timer timer;
};

awaitable<void> ReadHoldingsInto(kite::KiteApi& api, std::shared_ptr<HoldingsWait> wait) {
  auto read = co_await api.GetHoldings();
  wait->result = std::move(read);
  wait->timer.cancel();
}

}  // namespace

// LIMIT prices: the subscriber's fresh full-mode depth, else GET /quote (depth and circuit
// limits) inside the process's 1 request/s budget (waiting for it at most a second and a bit).
class SquareOffEngine::Depth final : public DepthSource {
 public:
  explicit Depth(SquareOffEngine& engine) : engine_(engine) {}

  awaitable<Result<QuoteBook>> Book(std::string exchange, std::string tradingsymbol,
                                    uint32_t instrument_token, long long quantity) override {
    (void)quantity;
    QuoteBook book;
    const long long now_ms = ToEpochMs(engine_.clock_.Now());
    const long long fresh_ms =
        static_cast<long long>(engine_.config_.ltp_management.freshness_threshold_seconds * 1000);
    if (TradingDb* db = engine_.Ticks(); db != nullptr && instrument_token != 0) {
      auto row = db->ReadLtp(instrument_token);
      if (row.ok() && row->has_value() && now_ms - (*row)->received_at_ms <= fresh_ms) {
        const LtpRow& r = **row;
        book.last_price = r.last_price;
        for (const DepthPoint& level : r.bids) {
          if (level.price > 0) book.bids.push_back({level.price, level.quantity});
        }
        for (const DepthPoint& level : r.offers) {
          if (level.price > 0) book.offers.push_back({level.price, level.quantity});
        }
        if (book.bids.empty() && r.best_bid > 0)
          book.bids.push_back({r.best_bid, r.best_bid_quantity});
        if (book.offers.empty() && r.best_ask > 0)
          book.offers.push_back({r.best_ask, r.best_ask_quantity});
      }
    }
    if (book.last_price > 0) co_return book;
    const std::string key = InstrumentKey(exchange, tradingsymbol);
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (int i = 0; i < 25 && !engine_.quote_gate_->TryAcquire(ToEpochMs(engine_.clock_.Now()));
         ++i) {
      timer.expires_after(std::chrono::milliseconds(50));
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    std::vector<std::string> keys{key};  // a named local: GCC 12 mishandles temporaries here
    auto quote = co_await engine_.api_.GetQuote(std::move(keys));
    if (!quote.ok()) co_return quote.status();
    auto it = quote->find(key);
    if (it == quote->end() || it->second.last_price <= 0)
      co_return InvalidArgument("no quote for " + key);
    const kite::FullQuote& q = it->second;
    book.last_price = q.last_price;
    for (const auto& level : q.buy) {
      if (level.price > 0)
        book.bids.push_back({level.price, static_cast<long long>(level.quantity)});
    }
    for (const auto& level : q.sell) {
      if (level.price > 0)
        book.offers.push_back({level.price, static_cast<long long>(level.quantity)});
    }
    book.circuit_lower = q.lower_circuit_limit;
    book.circuit_upper = q.upper_circuit_limit;
    co_return book;
  }

 private:
  SquareOffEngine& engine_;
};

// The subscriber's stored WebSocket order updates (zerodha_trading.db order_updates).
class SquareOffEngine::Updates final : public OrderUpdateFeed {
 public:
  explicit Updates(TradingDb* db) : db_(db) {}

  // The latest update of every order received since `since_ms` (the trading day's start).
  std::vector<kite::Order> Latest(long long since_ms) {
    std::map<std::string, kite::Order> latest;
    for (const OrderUpdateRow& row : Read()) {
      if (row.received_at_ms >= since_ms) latest[row.order.order_id] = row.order;
    }
    std::vector<kite::Order> out;
    for (auto& [id, order] : latest) out.push_back(std::move(order));
    return out;
  }

  std::vector<kite::Order> Poll() override {
    std::vector<kite::Order> out;
    for (OrderUpdateRow& row : Read()) out.push_back(std::move(row.order));
    return out;
  }

 private:
  std::vector<OrderUpdateRow> Read() {
    if (db_ == nullptr) return {};
    auto rows = db_->ReadOrderUpdatesAfter(cursor_);
    if (!rows.ok()) {
      spdlog::debug("stored order updates: {}", rows.status().ToString());
      return {};
    }
    for (const auto& row : *rows) cursor_ = std::max(cursor_, row.id);
    return std::move(*rows);
  }

  TradingDb* db_;
  long long cursor_ = 0;
};

SquareOffEngine::SquareOffEngine(kite::KiteApi& api, SQLite::Database& mtm_db, const Config& config,
                                 const Clock& clock, const MonoClock& mono)
    : api_(api),
      mtm_db_(mtm_db),
      config_(config),
      clock_(clock),
      mono_(mono),
      journal_(std::make_unique<JournalStore>(mtm_db)),
      instruments_(std::make_unique<InstrumentsStore>(mtm_db)),
      own_quote_gate_(std::make_unique<RateGate>(std::chrono::milliseconds(1000))),
      quote_gate_(own_quote_gate_.get()) {}

SquareOffEngine::~SquareOffEngine() = default;

Status SquareOffEngine::Init() {
  ZM_RETURN_IF_ERROR(journal_->Init());
  return instruments_->Init();
}

void SquareOffEngine::set_timing(const EngineTiming& timing) {
  timing_ = timing;
  pacer_ = OrderPacer(timing.pacer);
  day_.clear();
}

TradingDb* SquareOffEngine::Ticks() {
  if (trading_db_ == nullptr && !owned_trading_db_) {
    auto opened = TradingDb::Open(config_.trading_db_path(), /*read_only=*/true);
    if (opened.ok()) {
      owned_trading_db_ = std::move(*opened);
    } else {
      spdlog::debug("no zerodha_trading.db: {}", opened.status().ToString());
    }
  }
  return trading_db_ != nullptr ? trading_db_ : owned_trading_db_.get();
}

Status SquareOffEngine::StartDay(const std::string& trading_date) {
  if (day_ == trading_date && facts_) return Status::Ok();
  day_ = trading_date;
  std::map<std::string, long long> user_freeze;
  for (const auto& [name, ic] : config_.instruments) user_freeze[name] = ic.volume_freeze_quantity;
  facts_ = std::make_unique<FactsBook>(user_freeze, config_.freeze_limits);
  Status restored = instruments_->RestoreLearnt(trading_date, *facts_);
  if (!restored.ok()) spdlog::error("{}", restored.ToString());
  auto sent = journal_->RequestsOn(trading_date);
  pacer_.StartDay(trading_date, sent.ok() ? *sent : 0);
  return Status::Ok();
}

awaitable<Status> SquareOffEngine::RefreshInstruments(std::string trading_date,
                                                      std::vector<std::string> must_have) {
  auto cached = instruments_->CachedDate();
  if (cached.ok() && *cached && **cached == trading_date) {
    if (must_have.empty()) co_return Status::Ok();
    auto found = instruments_->Lookup(must_have);
    if (found.ok() && found->size() >= must_have.size()) co_return Status::Ok();
    spdlog::info("instruments: {} not in the cached list: fetching it again",
                 fmt::join(must_have, ", "));
  }
  auto csv = co_await api_.GetInstrumentsCsv();
  if (!csv.ok()) {
    spdlog::warn("instruments list unavailable ({}); lot sizes will be learnt from the broker",
                 csv.status().ToString());
    co_return csv.status();
  }
  kite::CsvSkips skips;
  auto rows = kite::ParseInstrumentsCsv(*csv, &skips);
  if (!rows.ok()) co_return rows.status();
  if (skips.count > 0) {
    spdlog::warn("instruments list: {} row(s) skipped, e.g. {}", skips.count,
                 skips.first_reasons.empty() ? "" : skips.first_reasons.front());
  }
  ZM_CO_RETURN_IF_ERROR(instruments_->Replace(trading_date, *rows));
  spdlog::info("instruments cached for {}: {} row(s)", trading_date, rows->size());
  co_return Status::Ok();
}

awaitable<Result<SquareOffOutcome>> SquareOffEngine::Run(SquareOffRequest request) {
  if (busy_) co_return Status(StatusCode::kInternal, "a square-off is already running");
  BusyGuard guard(busy_);
  auto unfinished = journal_->FindUnfinished(request.trading_date);
  if (!unfinished.ok()) co_return unfinished.status();
  if (*unfinished) {
    spdlog::warn("square-off {} of {} is unfinished: continuing it", (*unfinished)->id,
                 request.trading_date);
    co_return co_await Execute(**unfinished, std::move(request.scope));
  }
  JournaledSquareOff squareoff;
  squareoff.trading_date = request.trading_date;
  squareoff.reason = request.reason;
  squareoff.mtm_at_trigger = request.mtm_at_trigger;
  squareoff.started_at_ms = ToEpochMs(request.now);
  squareoff.dry_run = config_.risk_management.dry_run;
  if (!request.trigger.is_null()) squareoff.trigger_json = request.trigger.dump();
  auto id = journal_->CreateSquareOff(squareoff);
  if (!id.ok()) {
    // The journal is the record, the exit is the point: go on with an id only this process
    // knows (tags stay unique by the time part), and say so loudly.
    spdlog::critical("square-off journal unavailable ({}): exiting without a square-off row",
                     id.status().ToString());
    co_return id.status();
  }
  squareoff.id = *id;
  spdlog::warn("square-off {} started: reason {}, MTM {:.2f}{}", squareoff.id, request.reason,
               request.mtm_at_trigger, squareoff.dry_run ? " (DRY RUN: nothing is sent)" : "");
  co_return co_await Execute(std::move(squareoff), std::move(request.scope));
}

awaitable<Result<std::optional<SquareOffOutcome>>> SquareOffEngine::ResumeUnfinished(
    std::string trading_date, SquareOffScope scope) {
  if (busy_) co_return Status(StatusCode::kInternal, "a square-off is already running");
  BusyGuard guard(busy_);
  auto unfinished = journal_->FindUnfinished(trading_date);
  if (!unfinished.ok()) co_return unfinished.status();
  if (!*unfinished) co_return std::optional<SquareOffOutcome>();
  spdlog::warn("square-off {} of {} was interrupted: resuming from the journal", (*unfinished)->id,
               trading_date);
  auto outcome = co_await Execute(**unfinished, std::move(scope));
  if (!outcome.ok()) co_return outcome.status();
  co_return std::optional<SquareOffOutcome>(std::move(*outcome));
}

awaitable<std::set<std::string>> SquareOffEngine::ExcludedKeys(SquareOffScope scope) {
  auto wait = std::make_shared<HoldingsWait>(co_await asio::this_coro::executor);
  wait->timer.expires_after(kHoldingsReadBound);
  asio::co_spawn(wait->timer.get_executor(), ReadHoldingsInto(api_, wait), asio::detached);
  co_await wait->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  std::optional<std::vector<kite::Holding>> holdings = scope.holdings;
  std::string source = holdings ? "the monitor's last holdings" : "no holdings known";
  if (wait->result && wait->result->ok()) {
    holdings = std::move(**wait->result);
    source = "a fresh holdings read";
  } else {
    spdlog::warn("holdings read before the square-off {}: using {}",
                 wait->result ? wait->result->status().ToString() : "late", source);
  }
  const kite::HoldingsCover cover = holdings ? kite::CoverOf(*holdings) : kite::HoldingsCover{};
  std::set<std::string> keys =
      kite::SquareOffExcludedKeys(scope.net, cover, config_.risk_management.products);
  keys.insert(scope.excluded_keys.begin(), scope.excluded_keys.end());
  if (!keys.empty()) {
    spdlog::info("square-off leaves {} key(s) alone ({}): {}", keys.size(), source,
                 fmt::join(keys, ", "));
  }
  co_return keys;
}

awaitable<Result<SquareOffOutcome>> SquareOffEngine::Execute(JournaledSquareOff squareoff,
                                                             SquareOffScope scope) {
  const std::string date = squareoff.trading_date;
  ZM_CO_RETURN_IF_ERROR(StartDay(date));
  RunSetup setup;
  setup.squareoff = squareoff;
  auto rows = journal_->OrdersOn(date);
  if (!rows.ok()) co_return rows.status();
  setup.day_rows = std::move(*rows);
  for (const JournaledOrder& r : setup.day_rows) {
    if (r.order_type == "LIMIT")
      setup.limit_instruments.insert(InstrumentKey(r.exchange, r.tradingsymbol));
  }
  auto ledger = journal_->LedgerOn(date);
  if (ledger.ok()) setup.ledger = std::move(*ledger);
  auto cancelled = journal_->CancelledOn(date);
  if (cancelled.ok()) setup.cancelled_before = std::move(*cancelled);
  Updates updates(Ticks());
  setup.known_orders = updates.Latest(ToEpochMs(IstDayStart(date).value_or(SysTime{})));

  const RiskConfig& risk = config_.risk_management;
  RunPolicy policy;
  policy.slice.rest_timeout = timing_.rest_timeout;
  policy.slice.reprice_interval = timing_.reprice_interval;
  policy.slice.absence_window = Seconds(risk.unknown_order_absence_seconds);
  policy.slice.cancel_wait = timing_.cancel_wait;
  policy.slice.max_failures = risk.max_order_retries;
  policy.slice.retry_delay = Seconds(risk.order_retry_delay);
  policy.slice.walk = {risk.limit_price_margin_percent, risk.limit_price_step_percent,
                       risk.limit_price_max_percent};
  policy.slice.market_protection = risk.market_protection;
  policy.dry_run = squareoff.dry_run;
  policy.cancel_open_orders = risk.cancel_open_orders;
  policy.delete_gtt = risk.delete_gtt;
  policy.max_rounds = risk.max_verify_rounds;
  policy.unknown_hold = timing_.unknown_hold;
  policy.cancel_hold = timing_.cancel_hold;
  policy.poll_interval = timing_.poll_interval;
  policy.positions_interval = timing_.positions_interval;
  policy.run_timeout = timing_.run_timeout;
  policy.lag_max_ms = static_cast<long long>(risk.positions_lag_max_seconds * 1000);
  policy.products = risk.products;
  policy.excluded_keys = co_await ExcludedKeys(std::move(scope));

  const Instant now{mono_.Now(), ToEpochMs(clock_.Now())};
  RunMachine machine(std::move(setup), policy, facts_.get(), now);
  Depth depth(*this);
  DriverDeps deps{api_,
                  *journal_,
                  *instruments_,
                  *facts_,
                  pacer_,
                  depth,
                  &updates,
                  clock_,
                  mono_,
                  policy.slice.walk,
                  DriverTuning{timing_.update_check, 4}};
  Driver driver(deps, machine);
  co_await driver.Run();

  const JournaledSquareOff& done = machine.squareoff();
  SquareOffOutcome out;
  out.squareoff_id = done.id;
  out.flat = done.outcome == "flat";
  out.dry_run = done.outcome == "dry_run";
  out.remaining = done.remaining;
  out.summary = done.summary;
  co_return out;
}

Result<nlohmann::json> SquareOffEngine::DaySquareOffsJson(const std::string& trading_date) {
  auto squareoffs = journal_->SquareOffsOn(trading_date);
  if (!squareoffs.ok()) return squareoffs.status();
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : *squareoffs) {
    auto rows = journal_->OrdersOf(s.id);
    if (!rows.ok()) return rows.status();
    nlohmann::json orders = nlohmann::json::array();
    for (const auto& r : *rows) {
      orders.push_back({{"tag", r.tag},
                        {"tradingsymbol", r.tradingsymbol},
                        {"transaction_type", r.transaction_type},
                        {"quantity", r.quantity},
                        {"order_type", r.order_type},
                        {"status", r.status.empty() ? r.state : r.status},
                        {"order_id", r.order_id},
                        {"filled_quantity", r.filled_quantity},
                        {"average_price", r.average_price}});
    }
    out.push_back({{"id", s.id},
                   {"reason", s.reason},
                   {"started_at_ms", s.started_at_ms},
                   {"finished_at_ms", s.finished_at_ms > 0 ? nlohmann::json(s.finished_at_ms)
                                                           : nlohmann::json(nullptr)},
                   {"outcome", s.outcome},
                   {"remaining", s.remaining},
                   {"orders", std::move(orders)}});
  }
  return out;
}

}  // namespace zm::monitor
