// LtpSubscriber: the zerodha_ltp_subscriber process. Keeps zerodha_trading.db true to the
// market (latest tick per instrument) and to the account (positions, order updates), and stays
// connected to the Kite ticker.
//
// Concurrent activities, each an Asio coroutine on the ONE io_context thread:
//   WsLoop        connect, (re)subscribe every open position, read; reconnect with backoff
//                 (ReconnectBackoff: 1 s doubling to 30 s; 60 s after a token rejection).
//   PositionsLoop GET /portfolio/positions at start, every position_check_interval and soon
//                 after an order update (PositionSchedule); adjusts the subscriptions.
//   FlushLoop     writes the coalesced ticks (TickCoalescer) in one transaction per batch:
//                 at once after a quiet spell, then at most every flush_interval; asleep
//                 while no tick arrives.
//   HeartbeatLoop the process_heartbeat row, once a second.
//   TokenLoop     polls the access token file; a new token -> reconnect with it.
// Stop() (SIGTERM/SIGINT, or a caller) ends them all; Finish() then writes the last batch and a
// final heartbeat. Owns its dependencies; not thread-safe: use from the io_context thread only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <random>
#include <set>
#include <string>

#include "common/config.h"
#include "common/kite/kite_api.h"
#include "common/log_throttle.h"
#include "common/net/ws_client.h"
#include "common/token_watch.h"
#include "common/trading_db.h"
#include "ltp_subscriber/backoff.h"
#include "ltp_subscriber/latency_histogram.h"
#include "ltp_subscriber/position_schedule.h"
#include "ltp_subscriber/tick_coalescer.h"

namespace zm::ltp {

struct SubscriberDeps {
  std::unique_ptr<kite::KiteApi> api;
  std::function<void(const Secret&)> set_api_token;  // the token file changed
  std::function<std::unique_ptr<net::WsClient>()> make_ws;
  std::function<void()> close_http;  // shutdown: abort pooled connections
};

struct SubscriberTimings {
  std::chrono::milliseconds flush_interval{50};  // ticks reach the DB within ~this
  // The runner calls a child hung after 15 s without one; each write also wakes the monitor.
  std::chrono::milliseconds heartbeat_interval{1000};
  std::chrono::milliseconds token_poll_interval{2000};
  std::chrono::milliseconds shutdown_deadline{5000};  // Stop() -> loops must end by then
};

class LtpSubscriber {
 public:
  // `token` may be empty (no token file yet): the subscriber then waits for the file.
  LtpSubscriber(boost::asio::io_context& io, const Config& config, Secret token,
                std::unique_ptr<TradingDb> db, SubscriberDeps deps, SubscriberTimings timings = {});

  // Spawns the loops and installs the SIGTERM/SIGINT handler.
  void Start();
  // Idempotent; loops end soon after, then io.run() returns.
  void Stop();
  // After io.run() returned: the last batch and a final heartbeat (not connected).
  void Finish();

 private:
  using Awaitable = boost::asio::awaitable<void>;
  void Spawn(Awaitable loop, const char* name);
  Awaitable WsLoop();
  Awaitable PositionsLoop();
  Awaitable FlushLoop();
  Awaitable HeartbeatLoop();
  Awaitable TokenLoop();
  // The day's order book stored as order updates (at every ticker connect), so that the
  // square-off engine knows the trader's open orders placed while the ticker was away.
  Awaitable SyncOrderBook();
  Awaitable Sleep(boost::asio::steady_timer& timer, std::chrono::milliseconds delay);

  net::WsHandlers MakeHandlers();
  void OnOpen();
  void OnBinary(std::string_view message);
  void OnText(std::string_view message);
  void OnSessionEnded(const Status& why);
  void ApplySubscriptions();
  Status FetchPositions();
  void OnPositions(const kite::Positions& positions);
  void OnTokenRejected(const char* where);
  void OnTokenAccepted();
  void OnNewToken(Secret token);
  void SetTokenState(const std::string& state);
  bool Flush();  // false: the write failed and the rows were requeued
  void WriteHeartbeat();
  void SetMeta(const char* key, const std::string& value);
  std::string WsUrl() const;

  boost::asio::io_context& io_;
  const Config& config_;
  Secret token_;
  Secret session_token_;  // the token the current ticker session connected with
  std::unique_ptr<TradingDb> db_;
  SubscriberDeps deps_;
  SubscriberTimings timings_;

  TokenFileWatch token_watch_;
  ReconnectBackoff backoff_;
  TickCoalescer coalescer_;
  PositionSchedule schedule_;
  std::mt19937 rng_;

  std::unique_ptr<net::WsClient> ws_;
  std::set<uint32_t> wanted_;      // open positions' tokens (last successful sync)
  std::set<uint32_t> subscribed_;  // what the current connection has been sent
  std::string limit_error_;        // last "> 3000" message, to log it once
  LogThrottle bad_binary_log_;     // bad tick frames: one warning a minute, with a count
  LogThrottle bad_text_log_;       // bad text frames: likewise

  boost::asio::steady_timer reconnect_timer_, positions_timer_, flush_timer_, heartbeat_timer_,
      token_timer_, deadline_timer_;
  boost::asio::signal_set signals_;

  bool stopping_ = false;
  bool reconnect_now_ = false;  // the session was closed on purpose (new token)
  bool ws_connected_ = false;
  bool session_had_message_ = false;
  bool token_rejection_logged_ = false;
  std::string token_state_;
  std::string last_token_file_error_;
  long long started_at_ms_ = 0;
  long long last_tick_ms_ = 0;
  long long positions_synced_ms_ = 0;
  long long flush_failures_ = 0;
  // Counters since start, in the heartbeat for status and measurements.
  long long ticks_received_ = 0;
  long long rows_written_ = 0;
  long long batches_written_ = 0;
  // Tick received -> its batch committed, summed over written rows (avg = sum / rows_written_),
  // and the slowest single commit.
  long long tick_to_db_ms_sum_ = 0;
  long long tick_to_db_ms_max_ = 0;
  long long commit_ms_max_ = 0;
  LatencyHistogram tick_to_db_ms_;  // the same per row: p50/p99 in the heartbeat
  int active_loops_ = 0;
  bool book_sync_running_ = false;
  bool ticks_unflushed_ = false;  // a tick arrived since FlushLoop last took a batch
  bool flush_idle_ = false;       // FlushLoop is asleep until the next tick
};

}  // namespace zm::ltp
