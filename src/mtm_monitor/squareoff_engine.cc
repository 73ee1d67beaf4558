#include "mtm_monitor/squareoff_engine.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "common/ist.h"
#include "common/kite/instruments.h"
#include "mtm_monitor/journal_store.h"
#include "mtm_monitor/squareoff_run.h"

namespace zm::monitor {

using boost::asio::awaitable;

namespace {

// Clears busy_ however the coroutine ends.
class BusyGuard {
 public:
  explicit BusyGuard(bool& busy) : busy_(busy) { busy_ = true; }
  ~BusyGuard() { busy_ = false; }
  BusyGuard(const BusyGuard&) = delete;
  BusyGuard& operator=(const BusyGuard&) = delete;

 private:
  bool& busy_;
};

}  // namespace

SquareOffEngine::SquareOffEngine(kite::KiteApi& api, SQLite::Database& mtm_db,
                                 const Config& config, const Clock& clock)
    : api_(api),
      mtm_db_(mtm_db),
      config_(config),
      clock_(clock),
      journal_(std::make_unique<JournalStore>(mtm_db)) {}

SquareOffEngine::~SquareOffEngine() = default;

Status SquareOffEngine::Init() { return journal_->Init(); }

awaitable<Status> SquareOffEngine::RefreshInstruments(std::string trading_date) {
  auto cached = journal_->InstrumentsDate();
  if (cached.ok() && *cached && **cached == trading_date) co_return Status::Ok();
  auto csv = co_await api_.GetInstrumentsCsv();
  if (!csv.ok()) {
    spdlog::warn("instruments list unavailable ({}); lot size 1 for unknown instruments",
                 csv.status().ToString());
    co_return csv.status();
  }
  auto instruments = kite::ParseInstrumentsCsv(*csv);
  if (!instruments.ok()) co_return instruments.status();
  Status stored = journal_->ReplaceInstruments(trading_date, *instruments);
  if (!stored.ok()) co_return stored;
  spdlog::info("instruments cached for {}: {}", trading_date, instruments->size());
  co_return Status::Ok();
}

TradingDb* SquareOffEngine::QuotesDb() {
  if (trading_db_ == nullptr && !owned_trading_db_) {
    auto opened = TradingDb::Open(config_.trading_db_path(), /*read_only=*/true);
    if (opened.ok()) {
      owned_trading_db_ = std::move(*opened);
    } else {
      spdlog::debug("no quotes database: {}", opened.status().ToString());
    }
  }
  return trading_db_ != nullptr ? trading_db_ : owned_trading_db_.get();
}

awaitable<Result<SquareOffOutcome>> SquareOffEngine::Run(SquareOffRequest request) {
  if (busy_) co_return Status(StatusCode::kInternal, "a square-off is already running");
  BusyGuard guard(busy_);
  // An unfinished square-off of the day is continued, never duplicated.
  auto unfinished = journal_->FindUnfinished(request.trading_date);
  if (!unfinished.ok()) co_return unfinished.status();
  if (*unfinished) {
    spdlog::warn("square-off {} of {} is unfinished: continuing it", (*unfinished)->id,
                 request.trading_date);
    co_return co_await Execute(**unfinished);
  }
  JournaledSquareOff squareoff;
  squareoff.trading_date = request.trading_date;
  squareoff.reason = request.reason;
  squareoff.mtm_at_trigger = request.mtm_at_trigger;
  squareoff.started_at_ms = ToEpochMs(request.now);
  squareoff.dry_run = config_.risk_management.dry_run;
  auto id = journal_->CreateSquareOff(squareoff);
  if (!id.ok()) co_return id.status();
  squareoff.id = *id;
  spdlog::warn("square-off {} started: reason {}, MTM {:.2f}{}", squareoff.id, request.reason,
               request.mtm_at_trigger, squareoff.dry_run ? " (DRY RUN: nothing is sent)" : "");
  co_return co_await Execute(std::move(squareoff));
}

awaitable<Result<std::optional<SquareOffOutcome>>> SquareOffEngine::ResumeUnfinished(
    std::string trading_date) {
  if (busy_) co_return Status(StatusCode::kInternal, "a square-off is already running");
  BusyGuard guard(busy_);
  auto unfinished = journal_->FindUnfinished(trading_date);
  if (!unfinished.ok()) co_return unfinished.status();
  if (!*unfinished) co_return std::optional<SquareOffOutcome>();
  spdlog::warn("square-off {} of {} was interrupted: resuming from the journal",
               (*unfinished)->id, trading_date);
  auto outcome = co_await Execute(**unfinished);
  if (!outcome.ok()) co_return outcome.status();
  co_return std::optional<SquareOffOutcome>(std::move(*outcome));
}

awaitable<Result<SquareOffOutcome>> SquareOffEngine::Execute(JournaledSquareOff squareoff) {
  auto rows = journal_->OrdersOf(squareoff.id);
  if (!rows.ok()) co_return rows.status();
  RunDeps deps{api_, *journal_, config_, clock_, tuning_, QuotesDb()};
  SquareOffRun run(deps, std::move(squareoff), std::move(*rows));
  co_return co_await run.Execute();
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
