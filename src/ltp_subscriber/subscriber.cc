// LtpSubscriber: lifecycle and the loops. The ticker session's handlers, subscriptions and token
// handling are in subscriber_session.cc.
#include "ltp_subscriber/subscriber.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>

#include "common/clock.h"
#include "common/heartbeat.h"
#include "common/process_clock.h"
#include "common/spawned_task.h"

namespace zm::ltp {

namespace asio = boost::asio;
using std::chrono::milliseconds;

LtpSubscriber::LtpSubscriber(asio::io_context& io, const Config& config, Secret token,
                             std::unique_ptr<TradingDb> db, SubscriberDeps deps,
                             SubscriberTimings timings)
    : io_(io),
      config_(config),
      token_(token),
      db_(std::move(db)),
      deps_(std::move(deps)),
      timings_(timings),
      token_watch_(config.zerodha.access_token_file, token),
      schedule_(
          milliseconds(static_cast<long long>(config.websocket.position_check_interval * 1000))),
      rng_(std::random_device{}()),
      reconnect_timer_(io),
      positions_timer_(io),
      flush_timer_(io),
      heartbeat_timer_(io),
      token_timer_(io),
      deadline_timer_(io),
      signals_(io, SIGINT, SIGTERM) {}

void LtpSubscriber::Start() {
  started_at_ms_ = ProcessNowMs();
  SetTokenState(token_.empty() ? "missing" : "unknown");
  SetMeta(kMetaWsConnected, "0");
  WriteHeartbeat();
  signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) return;  // cancelled by Stop()
    spdlog::info("signal {} received: flushing and shutting down", signal);
    Stop();
  });
  Spawn(WsLoop(), "ticker");
  Spawn(PositionsLoop(), "positions");
  Spawn(FlushLoop(), "flush");
  Spawn(HeartbeatLoop(), "heartbeat");
  Spawn(TokenLoop(), "token watch");
}

void LtpSubscriber::Spawn(Awaitable loop, const char* name) {
  ++active_loops_;
  asio::co_spawn(io_, std::move(loop), [this, name](std::exception_ptr error) {
    if (error) {
      // Loops catch nothing on purpose: an escaped exception is a bug; stop cleanly so the
      // runner restarts the process rather than leaving a half-working subscriber.
      spdlog::critical("{} loop failed: {}", name, ExceptionText(error));
      Stop();
    }
    if (--active_loops_ == 0) deadline_timer_.cancel();
  });
}

void LtpSubscriber::Stop() {
  if (stopping_) return;
  stopping_ = true;
  boost::system::error_code ignored;
  signals_.cancel(ignored);
  for (auto* timer :
       {&reconnect_timer_, &positions_timer_, &flush_timer_, &heartbeat_timer_, &token_timer_}) {
    timer->cancel();
  }
  if (ws_) ws_->Close();
  if (deps_.close_http) deps_.close_http();
  deadline_timer_.expires_after(timings_.shutdown_deadline);
  deadline_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;  // every loop ended in time
    spdlog::warn("shutdown: {} activities still running after {} ms; stopping anyway",
                 active_loops_, timings_.shutdown_deadline.count());
    io_.stop();
  });
}

void LtpSubscriber::Finish() {
  Flush();
  ws_connected_ = false;
  SetMeta(kMetaWsConnected, "0");
  WriteHeartbeat();
  spdlog::info("stopped; {} instruments pending at exit", coalescer_.pending());
}

LtpSubscriber::Awaitable LtpSubscriber::Sleep(asio::steady_timer& timer, milliseconds delay) {
  timer.expires_after(delay);
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));  // cancelled = wake early
}

LtpSubscriber::Awaitable LtpSubscriber::WsLoop() {
  while (!stopping_) {
    if (token_.empty()) {  // no token file yet: TokenLoop wakes us
      co_await Sleep(reconnect_timer_, milliseconds(60000));
      continue;
    }
    ws_ = deps_.make_ws();
    session_had_message_ = false;
    reconnect_now_ = false;
    session_token_ = token_;
    Status why = co_await ws_->Run(WsUrl(), MakeHandlers());
    OnSessionEnded(why);
    if (stopping_) break;
    if (reconnect_now_) continue;  // closed on purpose to use a new token
    const bool rejected = why.code() == StatusCode::kToken;
    if (rejected) OnTokenRejected("the ticker upgrade");
    if (session_had_message_) backoff_.Reset();
    const auto delay =
        backoff_.NextDelay(rejected ? FailureKind::kTokenRejected : FailureKind::kTransient,
                           std::uniform_real_distribution<double>(0, 1)(rng_));
    spdlog::warn("ticker session ended ({}); reconnecting in {} ms", why.ToString(), delay.count());
    co_await Sleep(reconnect_timer_, delay);
  }
}

LtpSubscriber::Awaitable LtpSubscriber::PositionsLoop() {
  using Steady = std::chrono::steady_clock;
  while (!stopping_) {
    if (!schedule_.Due(Steady::now())) {
      positions_timer_.expires_at(schedule_.NextDue());
      co_await positions_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;  // due, or woken early by an order update / new token: re-evaluate
    }
    const uint64_t ticket = schedule_.OnFetchStart();
    bool ok = false;
    std::optional<milliseconds> retry_after;
    if (!token_.empty()) {
      auto positions = co_await deps_.api->GetPositions();
      if (stopping_) break;
      ok = positions.ok();
      if (ok) {
        OnPositions(*positions);
      } else if (positions.status().code() == StatusCode::kToken) {
        OnTokenRejected("GET /portfolio/positions");
        retry_after = milliseconds::max();  // the periodic pace: retrying sooner cannot help
      } else {
        spdlog::warn("positions fetch failed: {}", positions.status().ToString());
      }
    }
    schedule_.OnFetchDone(Steady::now(), ok, ticket, retry_after);
  }
}

LtpSubscriber::Awaitable LtpSubscriber::FlushLoop() {
  // Sleeps until a tick arrives (OnBinary wakes it): an idle market costs no wake-ups. A tick
  // after a quiet spell is written at once; under a stream of ticks, one batch per
  // flush_interval at most (fixed rate: a slow commit does not stretch the period).
  using Steady = std::chrono::steady_clock;
  Steady::time_point last_flush{};
  while (!stopping_) {
    if (!ticks_unflushed_) {
      flush_idle_ = true;
      flush_timer_.expires_at(Steady::time_point::max());
      co_await flush_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
      flush_idle_ = false;
      continue;
    }
    const auto due = last_flush + timings_.flush_interval;
    if (Steady::now() < due) {
      flush_timer_.expires_at(due);
      co_await flush_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
      if (stopping_) break;  // on stop, Finish() writes the last batch
    }
    last_flush = std::max(due, Steady::now());
    ticks_unflushed_ = false;
    if (!Flush()) ticks_unflushed_ = true;  // requeued: try again next period
  }
}

LtpSubscriber::Awaitable LtpSubscriber::HeartbeatLoop() {
  while (!stopping_) {
    WriteHeartbeat();
    co_await Sleep(heartbeat_timer_, timings_.heartbeat_interval);
  }
}

LtpSubscriber::Awaitable LtpSubscriber::TokenLoop() {
  while (!stopping_) {
    co_await Sleep(token_timer_, timings_.token_poll_interval);
    if (stopping_) break;
    auto polled = token_watch_.Poll();
    if (!polled.ok()) {
      if (polled.status().message() != last_token_file_error_) {
        last_token_file_error_ = polled.status().message();
        spdlog::error("{} (keeping the current token)", last_token_file_error_);
      }
      continue;
    }
    last_token_file_error_.clear();
    if (polled->has_value()) OnNewToken(std::move(**polled));
  }
}

bool LtpSubscriber::Flush() {
  std::vector<LtpRow> batch = coalescer_.TakeBatch();
  if (batch.empty()) return true;
  const long long started_ms = ProcessNowMs();
  Status written = db_->UpsertLtps(batch);
  if (written.ok()) {
    const long long committed_ms = ProcessNowMs();
    commit_ms_max_ = std::max(commit_ms_max_, committed_ms - started_ms);
    for (const LtpRow& row : batch) {
      tick_to_db_ms_sum_ += committed_ms - row.received_at_ms;
      tick_to_db_ms_max_ = std::max(tick_to_db_ms_max_, committed_ms - row.received_at_ms);
      tick_to_db_ms_.Add(committed_ms - row.received_at_ms);
    }
    coalescer_.Committed(batch);
    flush_failures_ = 0;
    rows_written_ += static_cast<long long>(batch.size());
    ++batches_written_;
    return true;
  }
  coalescer_.Requeue(batch);
  // A locked or failing database: say so once, then every 100th failure (every ~5 s).
  if (flush_failures_++ % 100 == 0) {
    spdlog::error("writing {} prices failed ({} in a row): {}", batch.size(), flush_failures_,
                  written.ToString());
  }
  return false;
}

void LtpSubscriber::WriteHeartbeat() {
  Heartbeat hb;
  hb.component = "ltp_subscriber";
  hb.pid = ::getpid();
  hb.started_at_ms = started_at_ms_;
  hb.updated_at_ms = ProcessNowMs();
  hb.details = {{"ws_connected", ws_connected_},
                {"last_tick_ms", last_tick_ms_},
                {"positions_synced_ms", positions_synced_ms_},
                {"token_state", token_state_},
                {"subscribed", subscribed_.size()},
                {"ticks_received", ticks_received_},
                {"rows_written", rows_written_},
                {"batches_written", batches_written_},
                {"tick_to_db_ms_sum", tick_to_db_ms_sum_},
                {"tick_to_db_ms_max", tick_to_db_ms_max_},
                {"tick_to_db_ms_p50", tick_to_db_ms_.Percentile(0.50)},
                {"tick_to_db_ms_p99", tick_to_db_ms_.Percentile(0.99)},
                {"commit_ms_max", commit_ms_max_}};
  Status written = zm::WriteHeartbeat(db_->db(), hb);
  if (!written.ok()) spdlog::warn("heartbeat: {}", written.ToString());
}

void LtpSubscriber::SetMeta(const char* key, const std::string& value) {
  Status written = db_->SetMeta(key, value);
  if (!written.ok()) spdlog::warn("meta {}: {}", key, written.ToString());
}

}  // namespace zm::ltp
