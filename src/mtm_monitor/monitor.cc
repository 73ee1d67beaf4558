// Monitor: the cycle loop and one cycle's steps. The I/O helpers (positions, quotes, the
// square-off task, the heartbeat) are in monitor_io.cc.
#include "mtm_monitor/monitor.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/ist.h"
#include "common/monitor_snapshot.h"
#include "common/trading_day.h"
#include "mtm_monitor/cycle_report.h"
#include "mtm_monitor/monitor_internal.h"
#include "mtm_monitor/trigger_policy.h"

namespace zm::monitor {

namespace asio = boost::asio;

Monitor::Monitor(const Config& config, const Clock& clock, kite::KiteApi& api,
                 SquareOffService& squareoff, MtmStore& store, std::ostream& out)
    : config_(config),
      clock_(clock),
      api_(api),
      squareoff_(squareoff),
      store_(store),
      out_(out),
      dead_man_(ToEpochMs(clock.Now())) {}

Status Monitor::Init() {
  ZM_RETURN_IF_ERROR(store_.Init());
  RollDay(clock_.Now());
  return Status::Ok();
}

void Monitor::Stop() {
  stopping_ = true;
  if (cycle_timer_) cycle_timer_->cancel();
  if (heartbeat_timer_) heartbeat_timer_->cancel();
  if (wal_watch_) wal_watch_->Cancel();
  if (watch_retry_timer_) watch_retry_timer_->cancel();
}

asio::awaitable<void> Monitor::Run() {
  auto ex = co_await asio::this_coro::executor;
  cycle_timer_ = std::make_unique<asio::steady_timer>(ex);
  wal_watch_ = std::make_unique<WalWatch>(ex);
  watch_retry_timer_ = std::make_unique<asio::steady_timer>(ex);
  asio::co_spawn(ex, HeartbeatLoop(), LogIfThrown("heartbeat"));
  asio::co_spawn(ex, WatchTradingDb(), LogIfThrown("trading db watch"));
  squareoff_running_ = true;  // until the journal says nothing is unfinished
  asio::co_spawn(ex, ResumeAtStart(), LogIfThrown("resume"));
  asio::co_spawn(ex, RefreshInstruments(trading_day_now()), LogIfThrown("instruments"));

  const auto interval = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(config_.trading.mtm_check_interval));
  auto next = std::chrono::steady_clock::now();
  while (!stopping_) {
    try {
      co_await RunCycle();
    } catch (const std::exception& e) {
      spdlog::error("MTM cycle failed: {}", e.what());
    }
    next += interval;
    const auto now = std::chrono::steady_clock::now();
    if (next < now) next = now;  // overran: start the next cycle at once, never bunch up
    co_await WaitForNextCycle(next);
  }
  co_await WaitForSquareOff(ex);
  spdlog::info("monitor stopped after {} cycles", cycles_);
}

asio::awaitable<void> Monitor::WaitForNextCycle(std::chrono::steady_clock::time_point next) {
  using Steady = std::chrono::steady_clock;
  Steady::time_point recheck_at = Steady::time_point::max();
  while (!stopping_) {
    const auto now = Steady::now();
    if (now >= next) co_return;
    if (!trading_db_written_) {
      auto wake = std::min(next, recheck_at);
      // Polled without a watch, and while a square-off runs (writes seen meanwhile are not
      // looked at; the first look after it compares with the baseline from before).
      if (!wal_watch_->armed() || squareoff_running_) wake = std::min(wake, now + kPricePoll);
      cycle_timer_->expires_at(wake);  // WatchTradingDb() cancels it on a write
      co_await cycle_timer_->async_wait(asio::as_tuple(asio::use_awaitable));
      if (stopping_ || Steady::now() >= next) co_return;
    }
    const bool written = trading_db_written_;
    if (written) {
      // One commit is several writes and is visible only after the last: let it finish, so
      // that one look sees it (instead of a look per write and a recheck).
      // (Its own timer: the watch cancels cycle_timer_ at every further write.)
      asio::steady_timer settle(co_await asio::this_coro::executor, kCommitSettle);
      co_await settle.async_wait(asio::as_tuple(asio::use_awaitable));
      if (stopping_) co_return;
    }
    trading_db_written_ = false;
    recheck_at = Steady::time_point::max();
    if (squareoff_running_) continue;
    if (!TradingDbChanged()) {
      if (written) recheck_at = Steady::now() + kCommitRecheck;
      continue;
    }
    quick_cycle_ = true;
    try {
      co_await RunCycle(/*full=*/false);
    } catch (const std::exception& e) {
      spdlog::error("quick MTM cycle failed: {}", e.what());
    }
    quick_cycle_ = false;
  }
}

asio::awaitable<void> Monitor::WatchTradingDb() {
  while (!stopping_) {
    if (!wal_watch_->armed() && !wal_watch_->Arm(config_.trading_db_path())) {
      watch_retry_timer_->expires_after(std::chrono::seconds(1));  // meanwhile: polled
      co_await watch_retry_timer_->async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    const bool written = co_await wal_watch_->Wait();
    if (stopping_) break;
    // A write, or the watch ended (the WAL was deleted or replaced): either way the cycle loop
    // must look now - after an ended watch it polls until the new file is watched.
    if (written || !wal_watch_->armed()) {
      trading_db_written_ = true;
      cycle_timer_->cancel();
    }
  }
}

bool Monitor::TradingDbChanged() {
  OpenTradingDb();
  if (!trading_db_) return false;
  auto version = trading_db_->DataVersion();
  if (!version.ok()) {
    trading_db_.reset();  // reopened by the next read
    trading_db_version_.reset();
    return false;
  }
  const bool changed = trading_db_version_ && *trading_db_version_ != *version;
  trading_db_version_ = *version;
  return changed;
}

asio::awaitable<void> Monitor::RunCycle(bool full) {
  // Locals first, then co_spawn: no co_await or temporaries inside the call (GCC 12 coroutine
  // temporaries are fragile).
  const auto ex = co_await asio::this_coro::executor;
  const SysTime now = clock_.Now();
  const long long now_ms = ToEpochMs(now);
  if (RollDay(now) && cycles_ > 0) {
    std::string date = state_.trading_date;
    asio::co_spawn(ex, RefreshInstruments(std::move(date)), LogIfThrown("instruments"));
  }
  // A full cycle takes the baseline the WAL watch's wakes compare with before it reads: a commit
  // after this point runs a quick cycle; one before it is in what this cycle reads.
  if (full) TradingDbChanged();
  NoteOrderUpdates(ex);
  MaybeReadHoldings(ex, now_ms);
  auto read = co_await ReadPositions(now_ms);
  if (!read) {
    dead_man_.NoteCycle(now_ms, /*valid_mtm=*/false, std::nullopt);
    last_cycle_ms_ = now_ms;
    out_ << CycleLine(now, state_.last_mtm, state_.max_mtm, "no_positions", 0, 0) << std::endl;
    co_return;
  }
  std::map<uint32_t, LtpRow> ltps = ReadLtps();
  const PricingContext ctx{
      &ltps, &rest_quotes_, now_ms,
      static_cast<long long>(config_.ltp_management.freshness_threshold_seconds * 1000)};
  const std::vector<kite::Position>& net = read->positions.net;
  const MtmScope scope = Scope();
  std::vector<std::string> keys = KeysNeedingRest(net, ctx, scope);
  if (!keys.empty() && !quotes_in_flight_ && quote_gate_->TryAcquire(now_ms)) {
    quotes_in_flight_ = true;
    asio::co_spawn(ex, FetchQuotes(std::move(keys)), LogIfThrown("quotes"));
  }
  const MtmResult mtm = ComputeMtm(net, ctx, scope);
  last_net_ = net;
  have_view_ = true;
  trigger_data_ = TriggerData(net, mtm);
  dead_man_.NoteCycle(now_ms, ValidMtm(mtm, read->source), mtm.open_positions);
  ReportFallbacks(mtm, now_ms);
  // The previous trading day's tail (midnight to day_starts_at): shown, never acted on anew.
  if (!InTail(now)) co_await Evaluate(mtm, now);
  if (full) Record(net, mtm, now_ms);
}

bool Monitor::RollDay(SysTime now) {
  const std::string date = TradingDayOf(now, config_.trading.day_starts_at);
  if (state_.trading_date == date) return false;
  instruments_asked_.clear();
  closed_alerted_.clear();
  auto loaded = store_.LoadDailyState(date);
  if (!loaded.ok()) spdlog::error("loading the day's state: {}", loaded.status().ToString());
  if (loaded.ok() && loaded->has_value()) {
    state_ = **loaded;
    spdlog::info("continuing trading day {} (lock: {}, max MTM {:.2f})", date,
                 DayLockName(state_.lock), state_.max_mtm);
  } else {
    state_ = FreshDay(date);
    spdlog::info("new trading day {}", date);
  }
  return true;
}

std::map<uint32_t, LtpRow> Monitor::ReadLtps() {
  OpenTradingDb();
  if (!trading_db_) return {};
  auto ltps = trading_db_->ReadLtps();
  if (ltps.ok()) return std::move(ltps).value();
  spdlog::warn("reading ticks from zerodha_trading.db: {}", ltps.status().ToString());
  trading_db_.reset();  // reopen next cycle
  return {};
}

void Monitor::OpenTradingDb() {
  if (trading_db_) return;
  auto db = TradingDb::Open(config_.trading_db_path(), /*read_only=*/true);
  if (!db.ok()) return;
  trading_db_ = std::move(db).value();
  db_snapshot_.reset();
}

asio::awaitable<void> Monitor::Evaluate(const MtmResult& mtm, SysTime now) {
  const auto ex = co_await asio::this_coro::executor;
  const long long now_ms = ToEpochMs(now);
  DailyState before = state_;
  PolicyInput input{mtm.total, mtm.open_positions, now, squareoff_running_,
                    GuardedOpenByExchange(last_net_, Scope())};
  PolicyResult result = EvaluateTriggers(state_, input, config_.trading, config_.risk_management,
                                         config_.market_hours);
  state_ = std::move(result.state);
  const PolicyDecision& d = result.decision;
  if (!d.deferred_message.empty()) {
    Critical(d.deferred_message, now_ms);
    Event("alert", d.deferred_message, now_ms,
          {{"reason", "outside_market_hours"}, {"mtm", mtm.total}});
  }
  if (d.new_trigger) {
    spdlog::warn("TRIGGER {}: MTM {:.2f} ({}{}): {}", d.trigger, mtm.total,
                 d.action == Action::kNone ? "no action" : "acting",
                 quick_cycle_ ? ", new prices between cycles" : "", d.message);
    Event("trigger", "trigger " + d.trigger + " at MTM " + FormatRupees(mtm.total), now_ms,
          {{"reason", d.trigger}, {"mtm", mtm.total}, {"open_positions", mtm.open_positions}});
    AlertTrigger(d, mtm.total, now_ms);
  }
  if (d.action == Action::kAlert) {
    Critical(d.message, now_ms);
    Event("alert", d.message, now_ms, {{"reason", d.reason}, {"mtm", mtm.total}});
  } else if (d.action == Action::kSquareOff) {
    spdlog::critical("{}", d.message);
    Event("squareoff", "starting: " + d.message, now_ms, {{"reason", d.reason}});
    StartSquareOff(ex, d.reason, now, mtm.total, d.exchanges);
  }
  before.last_mtm = state_.last_mtm;  // the last MTM alone is not worth a write per cycle
  if (!(before == state_)) state_unsaved_ = true;
  // A quick cycle (a tick between full cycles) keeps a mere new day's max in memory until the
  // next full cycle: a durable write per tick would cost more than the whole evaluation. Any
  // trigger or action is written at once.
  const bool acted = d.new_trigger || d.action != Action::kNone;
  if (state_unsaved_ && (!quick_cycle_ || acted)) {
    SaveState(now_ms);
    state_unsaved_ = false;
  }
}

void Monitor::StartSquareOff(asio::any_io_executor ex, const std::string& reason, SysTime now,
                             double mtm, std::set<std::string> exchanges) {
  squareoff_running_ = true;
  SquareOffRequest request;
  request.reason = reason;
  request.trading_date = state_.trading_date;
  request.now = now;
  request.mtm_at_trigger = mtm;
  request.scope = ScopeFor(std::move(exchanges), now);
  request.trigger = trigger_data_;
  Alert(alerts::SquareOffStarted(reason, mtm, dead_man_.open_positions(), ToEpochMs(now)));
  asio::co_spawn(ex, RunSquareOff(std::move(request)), LogIfThrown("square-off"));
}

void Monitor::ReportFallbacks(const MtmResult& mtm, long long now_ms) {
  std::string key;
  for (const auto& line : mtm.fallbacks) key += line + "; ";
  if (key == last_fallbacks_key_) return;
  last_fallbacks_key_ = key;
  if (mtm.fallbacks.empty()) {
    spdlog::info("every open position is priced from live ticks again");
    return;
  }
  spdlog::warn("price fallbacks: {}", key);
  Event("fallback", key, now_ms, {{"fallbacks", mtm.fallbacks}});
  Alert(alerts::StaleFeed(mtm.fallbacks, !mtm.critical.empty(), now_ms));
  for (const auto& line : mtm.critical) Critical(line, now_ms);
}

void Monitor::Record(const std::vector<kite::Position>& net, const MtmResult& mtm,
                     long long now_ms) {
  const std::string& date = state_.trading_date;
  if (history_.ShouldRecord(date, mtm.total, mtm.open_positions, now_ms)) {
    Status st = store_.AppendHistory(
        {now_ms, date, mtm.total, mtm.realised, mtm.unrealised, mtm.open_positions});
    if (st.ok())
      history_.Recorded(date, mtm.total, mtm.open_positions, now_ms);
    else
      spdlog::error("{}", st.ToString());
  }
  auto square_offs = squareoff_.DaySquareOffsJson(date);
  SnapshotInput in{now_ms,
                   &config_,
                   &state_,
                   StateName(),
                   &net,
                   &mtm,
                   square_offs.ok() ? *square_offs : nlohmann::json::array(),
                   last_critical_};
  Status st = Status::Ok();
  {
    NotDurable rewritten_next_cycle(store_.db());
    st = WriteMonitorSnapshot(store_.db(), BuildSnapshot(in));
  }
  if (!st.ok()) spdlog::error("{}", st.ToString());
  out_ << CycleLine(FromEpochMs(now_ms), mtm.total, state_.max_mtm, StateName(), mtm.open_positions,
                    mtm.fallbacks.size())
       << std::endl;
  last_cycle_ms_ = now_ms;
  last_mtm_ = mtm.total;
  ++cycles_;
}

void Monitor::Event(const std::string& kind, const std::string& message, long long at_ms,
                    nlohmann::json details) {
  Status st = store_.AddEvent({0, at_ms, state_.trading_date, kind, message, std::move(details)});
  if (!st.ok()) spdlog::error("{}", st.ToString());
}

void Monitor::Critical(const std::string& message, long long at_ms) {
  spdlog::critical("{}", message);
  Event("critical", message, at_ms);
  last_critical_ = {{"at_ms", at_ms}, {"message", message}};
}

void Monitor::SaveState(long long now_ms) {
  Status st = store_.SaveDailyState(state_, now_ms);
  if (!st.ok()) spdlog::error("{}", st.ToString());
}

std::string Monitor::StateName() const {
  if (InTail(clock_.Now()) && !squareoff_running_) return "previous_day";
  return MonitorStateName(state_, squareoff_running_, config_.risk_management);
}

std::string Monitor::trading_day_now() const {
  return TradingDayOf(clock_.Now(), config_.trading.day_starts_at);
}

bool Monitor::InTail(SysTime now) const {
  return InTradingDayTail(now, config_.trading.day_starts_at);
}

}  // namespace zm::monitor
