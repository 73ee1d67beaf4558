// Monitor: the I/O helpers of a cycle (positions, REST quotes), the background square-off and
// resume tasks, and the heartbeat loop.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/heartbeat.h"
#include "mtm_monitor/cycle_report.h"
#include "mtm_monitor/monitor.h"
#include "mtm_monitor/monitor_internal.h"
#include "mtm_monitor/trigger_policy.h"

namespace zm::monitor {

namespace asio = boost::asio;

namespace {
constexpr auto kHeartbeatEvery = std::chrono::milliseconds(1000);
constexpr auto kStopWaitPoll = std::chrono::milliseconds(50);
constexpr int kStopWaitPolls = 600;    // 30 s for a running square-off step on SIGTERM
constexpr int kResumeViewPolls = 200;  // 10 s for a first view of the book before a resume
}  // namespace

asio::awaitable<std::optional<Monitor::PositionsRead>> Monitor::ReadPositions(long long now_ms) {
  OpenTradingDb();
  std::optional<PositionsSnapshot> snapshot;
  std::string why = "zerodha_trading.db not available";
  if (trading_db_) {
    auto read = ReadDbSnapshot();
    if (read.ok())
      snapshot = std::move(read).value();
    else
      why = "reading positions: " + read.status().ToString();
  }
  if (snapshot) {
    const bool stale =
        PositionsSnapshotStale(snapshot->synced_at_ms, now_ms, config_.trading.mtm_check_interval,
                               config_.websocket.position_check_interval);
    const bool before_squareoff = snapshot->synced_at_ms < positions_not_before_ms_;
    if (!stale && !before_squareoff) {
      last_positions_source_ = "db";
      co_return PositionsRead{std::move(snapshot->positions), "db"};
    }
    why = stale ? "positions snapshot stale" : "positions snapshot older than the last square-off";
  }
  const bool cache_fresh = rest_positions_ && rest_positions_at_ms_ >= positions_not_before_ms_ &&
                           now_ms - rest_positions_at_ms_ < 1000;
  if (!cache_fresh && positions_gate_.TryAcquire(now_ms)) {
    auto rest = co_await api_.GetPositions();
    NoteRestOutcome(rest.status());
    if (rest.ok()) {
      rest_positions_ = std::move(rest).value();
      rest_positions_at_ms_ = ToEpochMs(clock_.Now());
    } else {
      spdlog::warn("REST positions failed: {}", rest.status().ToString());
    }
  }
  if (rest_positions_) {
    // REST failing (e.g. a rejected token): the cache ages; past the snapshot's own staleness
    // bound a trade made meanwhile is invisible, so say so loudly, once per episode.
    const bool cache_stale =
        PositionsSnapshotStale(rest_positions_at_ms_, now_ms, config_.trading.mtm_check_interval,
                               config_.websocket.position_check_interval);
    const std::string source = cache_stale ? "rest_stale" : "rest";
    if (last_positions_source_ != source) {
      if (cache_stale) {
        Critical("positions: REST failing, using REST positions " +
                     std::to_string((now_ms - rest_positions_at_ms_) / 1000) + " s old (" + why +
                     ")",
                 now_ms);
      } else {
        spdlog::warn("positions from REST: {}", why);
        Event("fallback", "positions fetched over REST: " + why, now_ms);
      }
      last_positions_source_ = source;
    }
    co_return PositionsRead{*rest_positions_, source};
  }
  if (snapshot && snapshot->synced_at_ms > 0) {
    if (last_positions_source_ != "stale") {
      Critical("positions: REST unavailable, using a stale snapshot (" + why + ")", now_ms);
      last_positions_source_ = "stale";
    }
    co_return PositionsRead{std::move(snapshot->positions), "stale"};
  }
  if (last_positions_source_ != "none") {
    Critical("no positions available: " + why + " and REST failed", now_ms);
    last_positions_source_ = "none";
  }
  co_return std::nullopt;
}

Result<PositionsSnapshot> Monitor::ReadDbSnapshot() {
  if (db_snapshot_ && db_snapshot_->synced_at_ms > 0) {
    auto synced_at = trading_db_->PositionsSyncedAt();
    if (!synced_at.ok()) return synced_at.status();
    // The rows and their sync time are written in one transaction: same time, same rows.
    if (*synced_at == db_snapshot_->synced_at_ms) return *db_snapshot_;
  }
  auto read = trading_db_->ReadPositions();
  if (read.ok()) db_snapshot_ = *read;
  return read;
}

void Monitor::NoteRestOutcome(const Status& status) {
  if (status.ok()) {
    token_rejected_ = false;
    return;
  }
  if (status.code() != StatusCode::kToken || token_rejected_) return;
  token_rejected_ = true;
  Alert(alerts::TokenRejected(ToEpochMs(clock_.Now())));
  Critical(
      "access token rejected by Kite (403 TokenException): prices and positions cannot be "
      "refreshed and a square-off would fail; run `zerodha_runner login` now",
      ToEpochMs(clock_.Now()));
}

asio::awaitable<void> Monitor::FetchQuotes(std::vector<std::string> keys) {
  auto quotes = co_await api_.GetLtp(keys);
  quotes_in_flight_ = false;
  NoteRestOutcome(quotes.status());
  if (!quotes.ok()) {
    spdlog::warn("REST /quote/ltp failed: {}", quotes.status().ToString());
    co_return;
  }
  const long long at_ms = ToEpochMs(clock_.Now());
  for (const auto& [key, quote] : *quotes) {
    if (quote.last_price > 0) rest_quotes_[key] = {quote.last_price, at_ms};
  }
}

asio::awaitable<void> Monitor::RunSquareOff(SquareOffRequest request) {
  const std::string reason = request.reason;
  if (state_.failed_runs > 0) {
    // One line per automatic re-run, so that a human sees them pile up.
    Critical("square-off re-run #" + std::to_string(state_.failed_runs) + " (" + reason +
                 ") after " + std::to_string(state_.failed_runs) + " failed run(s)",
             ToEpochMs(clock_.Now()));
  }
  Result<SquareOffOutcome> outcome = InternalError("square-off did not run");
  try {
    outcome = co_await squareoff_.Run(std::move(request));
  } catch (const std::exception& e) {
    outcome = InternalError(std::string("square-off threw: ") + e.what());
  } catch (...) {
    outcome = InternalError("square-off threw");
  }
  const long long now_ms = ToEpochMs(clock_.Now());
  state_.last_squareoff_finished_ms = now_ms;
  positions_not_before_ms_ = now_ms;  // the subscriber's snapshot must catch up first
  AlertSquareOffEnd(outcome, reason, now_ms);
  if (!outcome.ok()) {
    ++state_.failed_runs;
    Critical("square-off (" + reason + ") failed: " + outcome.status().ToString(), now_ms);
  } else {
    const SquareOffOutcome& o = *outcome;
    // Positions the broker refused as "market closed" are not a failed run: their exchange
    // waits (closed_until_ms) instead of re-running in a loop.
    const bool only_closed = NoteMarketClosed(o, now_ms);
    state_.failed_runs = o.flat || o.dry_run || only_closed ? 0 : state_.failed_runs + 1;
    state_.squareoff_ids.push_back(o.squareoff_id);
    std::string message = "square-off #" + std::to_string(o.squareoff_id) + " (" + reason + "): " +
                          (o.dry_run ? "dry run"
                           : o.flat  ? "flat"
                                     : "NOT flat") +
                          (o.summary.empty() ? "" : ": " + o.summary);
    Event("squareoff", message, now_ms,
          {{"squareoff_id", o.squareoff_id},
           {"flat", o.flat},
           {"dry_run", o.dry_run},
           {"remaining", o.remaining}});
    if (o.flat || o.dry_run) {
      spdlog::warn("{}", message);
    } else if (only_closed) {
      spdlog::warn("{}", message);  // NoteMarketClosed() raised the one alert
    } else {
      std::string open;
      for (const auto& r : o.remaining) open += " " + r;
      Critical(message + "; still open:" + open + "; next automatic run in " +
                   std::to_string(RerunDelay(state_.failed_runs).count() / 1000) + " s",
               now_ms);
    }
  }
  // Fail-closed: whatever happened above, the next cycle may act again.
  squareoff_running_ = false;
  SaveState(now_ms);
}

asio::awaitable<void> Monitor::ResumeAtStart() {
  // The resumed run gets the same scope as any run: wait (bounded) for a first view of the book.
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (int i = 0; !have_view_ && !stopping_ && i < kResumeViewPolls; ++i) {
    timer.expires_after(kStopWaitPoll);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  const SysTime now = clock_.Now();
  const std::string trading_date = state_.trading_date;
  SquareOffScope scope = ScopeFor({}, now);
  bool tradable = false;
  for (const auto& [exchange, open] : GuardedOpenByExchange(last_net_, Scope())) {
    tradable = tradable || Tradable(exchange, now, config_.market_hours, state_);
  }
  if (InTail(now) || (have_view_ && !tradable && !last_net_.empty())) {
    // Nothing could be sent now: an unfinished square-off is continued by the next one today.
    spdlog::info("no session open: an unfinished square-off of {} (if any) waits", trading_date);
    squareoff_running_ = false;
    co_return;
  }
  Result<std::optional<SquareOffOutcome>> resumed = InternalError("resume did not run");
  try {
    resumed = co_await squareoff_.ResumeUnfinished(trading_date, std::move(scope));
  } catch (const std::exception& e) {
    resumed = InternalError(std::string("resume threw: ") + e.what());
  } catch (...) {
    resumed = InternalError("resume threw");
  }
  const long long now_ms = ToEpochMs(clock_.Now());
  if (!resumed.ok()) {
    Critical("resuming an unfinished square-off failed: " + resumed.status().ToString(), now_ms);
  } else if (resumed->has_value()) {
    const SquareOffOutcome& o = **resumed;
    AlertSquareOffEnd(o, "resumed", now_ms);
    state_.last_squareoff_finished_ms = now_ms;
    positions_not_before_ms_ = now_ms;
    state_.squareoff_ids.push_back(o.squareoff_id);
    NoteMarketClosed(o, now_ms);
    const std::string message = "resumed square-off #" + std::to_string(o.squareoff_id) + ": " +
                                (o.flat ? "flat" : "NOT flat") + " " + o.summary;
    Event("squareoff", message, now_ms, {{"squareoff_id", o.squareoff_id}, {"flat", o.flat}});
    if (o.flat || o.dry_run)
      spdlog::warn("{}", message);
    else
      Critical(message, now_ms);
    SaveState(now_ms);
  }
  squareoff_running_ = false;
}

asio::awaitable<void> Monitor::RefreshInstruments(std::string trading_date,
                                                  std::vector<std::string> must_have) {
  Status st = co_await squareoff_.RefreshInstruments(trading_date, std::move(must_have));
  if (!st.ok()) spdlog::warn("instruments refresh: {}", st.ToString());
}

asio::awaitable<void> Monitor::HeartbeatLoop() {
  heartbeat_timer_ = std::make_unique<asio::steady_timer>(co_await asio::this_coro::executor);
  Heartbeat hb;
  hb.component = "mtm_monitor";
  hb.pid = ::getpid();
  hb.started_at_ms = ToEpochMs(clock_.Now());
  bool failing = false;
  while (!stopping_) {
    hb.updated_at_ms = ToEpochMs(clock_.Now());
    hb.details = HeartbeatDetails(last_cycle_ms_, StateName(), last_mtm_,
                                  dead_man_.open_positions(), dead_man_.last_valid_ms());
    if (alerts_ != nullptr) hb.details["alerts"] = alerts_->HealthJson();
    Status st = Status::Ok();
    {
      NotDurable rewritten_in_a_second(store_.db());
      st = WriteHeartbeat(store_.db(), hb);
    }
    if (!st.ok() && !failing) spdlog::error("{}", st.ToString());
    failing = !st.ok();
    co_await WatchStep();
    heartbeat_timer_->expires_after(kHeartbeatEvery);
    co_await heartbeat_timer_->async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

asio::awaitable<void> Monitor::WaitForSquareOff(asio::any_io_executor ex) {
  asio::steady_timer timer(ex);
  for (int i = 0; squareoff_running_ && i < kStopWaitPolls; ++i) {
    if (i == 0) spdlog::warn("stopping: waiting for the running square-off step to finish");
    timer.expires_after(kStopWaitPoll);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  if (squareoff_running_) {
    spdlog::critical("stopping with a square-off still running: it resumes from its journal");
  }
}

}  // namespace zm::monitor
