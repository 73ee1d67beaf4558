// Monitor: the MTM cycle of zerodha_mtm_monitor.
//
// Every trading.mtm_check_interval seconds: read the positions snapshot and latest ticks from
// zerodha_trading.db (read-only; REST positions when the snapshot is missing or stale, or older
// than the last square-off), price every open position (mtm_calc.h; REST /quote/ltp fetched in
// the background at most once per second), compute MTM on both bases over the guarded rows
// (common/kite/book_scope.h), evaluate the triggers (trigger_policy.h: market sessions, square-off
// times by exchange), start a square-off in the background when told (cycles go on meanwhile,
// recording MTM), persist the day's state, append history, write the snapshot and print one line.
// Trading day (common/trading_day.h): the state belongs to the trading day starting at
// trading.day_starts_at; from midnight to that time the previous day's state and rows are shown
// and nothing is evaluated or sent. The instruments list is fetched when a trading day starts
// and again when an order names a symbol the cached list lacks.
// Holdings (GET /portfolio/holdings) are read at start, after each order update the subscriber
// stored (at most every 2 s) and every 5 minutes, never with every positions read; until one
// read succeeds every negative CNC equity row counts as a sale from holdings.
// A square-off whose remaining positions the broker refused as "market closed" (a holiday) is
// not re-run for that exchange for 30 minutes (DailyState.closed_until_ms) and alerts once.
// A heartbeat is written every second by its own loop, which also runs WatchStep(): the
// dead-man rule (dead_man.h: no valid MTM for risk_management.dead_man_seconds while positions
// are open -> critical alert, optionally a square-off with reason "dead_man") and, once a
// minute, the free space of data_dir (critical alert below system_monitoring.min_free_mb).
// The watch runs from the heartbeat loop, not the cycle, so that a stalled cycle is seen too.
//
// SquareOffService (squareoff/service.h) is the engine seen by the monitor, an interface so that
// tests use fakes; main gives it the real SquareOffEngine.
// Ownership: borrows everything given to the constructor; all must outlive Run().
// Threading: single-threaded, on the process's io_context; Stop() from the same thread.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>

#include "common/alerts/event.h"
#include "common/clock.h"
#include "common/config.h"
#include "common/kite/kite_api.h"
#include "common/trading_db.h"
#include "mtm_monitor/daily_state.h"
#include "mtm_monitor/dead_man.h"
#include "mtm_monitor/mtm_calc.h"
#include "mtm_monitor/mtm_store.h"
#include "mtm_monitor/squareoff/service.h"
#include "mtm_monitor/wal_watch.h"

namespace zm::monitor {

struct PolicyDecision;

// The positions and prices the MTM used, stored with a square-off for its report:
// {"positions": {"EX:SYM:PRODUCT": {price, multiplier, quantity, source}}, "mtm": total}.
nlohmann::json TriggerData(const std::vector<kite::Position>& net, const MtmResult& mtm);

class Monitor {
 public:
  Monitor(const Config& config, const Clock& clock, kite::KiteApi& api, SquareOffService& squareoff,
          MtmStore& store, std::ostream& out);

  // Creates the store's tables and loads today's state.
  Status Init();
  // Resumes an unfinished square-off (in the background), then cycles until Stop(); on stop
  // waits (bounded) for a running square-off to finish its step.
  boost::asio::awaitable<void> Run();
  // One cycle (Run() calls it; tests too). A full cycle also records history, the snapshot and
  // the console line; a quick one (new prices between full cycles) only evaluates the triggers.
  boost::asio::awaitable<void> RunCycle(bool full = true);
  // One watch step: the dead-man rule, and free space when a minute has passed since the last
  // check (the heartbeat loop calls it every second; tests too).
  boost::asio::awaitable<void> WatchStep();
  void Stop();

  // The process's 1 request/s budget for GET /quote*, shared with the engine. Not owned.
  void set_quote_gate(RateGate* gate) { quote_gate_ = gate; }
  // Where free space is read (default: AvailableBytes, common/disk_space.h); tests inject.
  using FreeSpaceProbe = std::function<Result<uint64_t>(const std::filesystem::path&)>;
  void set_free_space_probe(FreeSpaceProbe probe) { free_space_ = std::move(probe); }
  // Where alerts go (monitor_alerts.cc); null = nowhere. Not owned. Its channel health is
  // written into the heartbeat details ("alerts").
  void set_alerts(alerts::AlertSink* sink) { alerts_ = sink; }

  const DailyState& state() const { return state_; }
  bool squareoff_running() const { return squareoff_running_; }
  long long cycles() const { return cycles_; }

 private:
  struct PositionsRead {
    kite::Positions positions;
    std::string source;  // "db" | "rest" | "cached"
  };
  boost::asio::awaitable<std::optional<PositionsRead>> ReadPositions(long long now_ms);
  boost::asio::awaitable<void> FetchQuotes(std::vector<std::string> keys);
  boost::asio::awaitable<void> RunSquareOff(SquareOffRequest request);
  boost::asio::awaitable<void> ResumeAtStart();
  boost::asio::awaitable<void> RefreshInstruments(std::string trading_date,
                                                  std::vector<std::string> must_have = {});
  boost::asio::awaitable<void> HeartbeatLoop();
  boost::asio::awaitable<void> WaitForSquareOff(boost::asio::any_io_executor ex);
  bool RollDay(SysTime now);  // true when the trading day changed (state loaded or fresh)
  void OpenTradingDb();
  std::map<uint32_t, LtpRow> ReadLtps();
  boost::asio::awaitable<void> Evaluate(const MtmResult& mtm, SysTime now);
  // `exchanges`: whose positions to close (empty = every exchange that can be traded now).
  void StartSquareOff(boost::asio::any_io_executor ex, const std::string& reason, SysTime now,
                      double mtm, std::set<std::string> exchanges = {});
  // monitor_account.cc: holdings, stored order updates, scope, broker "market closed".
  void NoteOrderUpdates(boost::asio::any_io_executor ex);
  void MaybeReadHoldings(boost::asio::any_io_executor ex, long long now_ms);
  boost::asio::awaitable<void> ReadHoldings();
  MtmScope Scope() const;
  SquareOffScope ScopeFor(std::set<std::string> exchanges, SysTime now) const;
  // Marks exchanges whose positions the broker refused as market closed; true when that was
  // all that stayed open (not a failed run).
  bool NoteMarketClosed(const SquareOffOutcome& outcome, long long now_ms);
  bool InTail(SysTime now) const;
  void WatchDeadMan(boost::asio::any_io_executor ex, SysTime now);
  void WatchDisk(long long now_ms);
  void ReportFallbacks(const MtmResult& mtm, long long now_ms);
  void Record(const std::vector<kite::Position>& net, const MtmResult& mtm, long long now_ms);
  void Event(const std::string& kind, const std::string& message, long long at_ms,
             nlohmann::json details = nlohmann::json::object());
  void Critical(const std::string& message, long long at_ms);
  // A rejected access token makes every square-off fail: critical once per episode, cleared by
  // the next REST success.
  void NoteRestOutcome(const Status& status);
  void SaveState(long long now_ms);
  std::string StateName() const;
  std::string trading_day_now() const;
  void Alert(alerts::AlertEvent event);
  void AlertTrigger(const PolicyDecision& decision, double mtm, long long now_ms);
  void AlertSquareOffEnd(const Result<SquareOffOutcome>& outcome, const std::string& reason,
                         long long now_ms);

  const Config& config_;
  const Clock& clock_;
  kite::KiteApi& api_;
  SquareOffService& squareoff_;
  MtmStore& store_;
  std::ostream& out_;

  DailyState state_;
  std::unique_ptr<TradingDb> trading_db_;
  RestQuotes rest_quotes_;
  RateGate own_quote_gate_{std::chrono::milliseconds(1000)};
  RateGate* quote_gate_ = &own_quote_gate_;
  RateGate positions_gate_{std::chrono::milliseconds(1000)};
  bool quotes_in_flight_ = false;
  std::optional<kite::Positions> rest_positions_;  // last REST positions (fallback cache)
  long long rest_positions_at_ms_ = 0;
  long long positions_not_before_ms_ = 0;  // snapshots older than this are not trusted
  bool squareoff_running_ = false;
  bool stopping_ = false;
  long long cycles_ = 0;
  long long last_cycle_ms_ = 0;
  double last_mtm_ = 0;
  std::string last_fallbacks_key_;
  std::string last_positions_source_;
  bool token_rejected_ = false;
  nlohmann::json last_critical_ = nullptr;
  HistoryThrottle history_;
  DeadManWatch dead_man_;
  FreeSpaceProbe free_space_;
  long long next_disk_check_ms_ = 0;
  bool disk_low_ = false;
  // Holdings and the stored order updates (monitor_account.cc).
  std::optional<std::vector<kite::Holding>> holdings_;  // the last successful read
  long long holdings_at_ms_ = 0, next_holdings_ms_ = 0;
  bool holdings_in_flight_ = false;
  long long updates_cursor_ = -1;            // -1: not positioned yet (old updates are not news)
  std::set<std::string> instruments_asked_;  // "EX:SYM" named by orders, this trading day
  std::vector<kite::Position> last_net_;     // the last cycle's positions (square-off scope)
  bool have_view_ = false;                   // a cycle had positions
  std::set<std::string> closed_alerted_;     // exchanges alerted as "market closed" today
  alerts::AlertSink* alerts_ = nullptr;
  nlohmann::json trigger_data_ = nullptr;  // this cycle's TriggerData
  // The fast path to the exit: between full cycles (mtm_check_interval, the slowest cadence)
  // a write to zerodha_trading.db (WalWatch: inotify on its WAL, no polling) makes the monitor
  // check SQLite's data_version; a commit by the subscriber (new prices, positions, order
  // updates) runs a quick cycle at once, so a breach is acted on within milliseconds of the
  // tick being stored instead of up to a whole interval. Without a watch (no WAL file yet,
  // no inotify) data_version is polled every kPricePoll.
  static constexpr std::chrono::milliseconds kPricePoll{50};
  // A write is seen before its commit is visible (a commit is several writes, then SQLite
  // updates the WAL index): the monitor looks kCommitSettle after a write, and when
  // data_version has not moved yet, once more after kCommitRecheck.
  static constexpr std::chrono::milliseconds kCommitSettle{2};
  static constexpr std::chrono::milliseconds kCommitRecheck{10};
  boost::asio::awaitable<void> WaitForNextCycle(std::chrono::steady_clock::time_point next);
  boost::asio::awaitable<void> WatchTradingDb();
  bool TradingDbChanged();
  std::optional<long long> trading_db_version_;
  std::unique_ptr<WalWatch> wal_watch_;
  std::unique_ptr<boost::asio::steady_timer> watch_retry_timer_;  // re-arming the watch
  bool trading_db_written_ = false;  // the watch saw a write not looked at yet
  bool quick_cycle_ = false;    // the cycle being run is a quick one (named in the TRIGGER line)
  bool state_unsaved_ = false;  // state_ changed in a quick cycle, saved by the next full one
  // The last positions snapshot read from zerodha_trading.db: reused while its sync time is
  // unchanged (one indexed read instead of reading and parsing every row each cycle).
  std::optional<PositionsSnapshot> db_snapshot_;
  Result<PositionsSnapshot> ReadDbSnapshot();
  std::unique_ptr<boost::asio::steady_timer> cycle_timer_;
  std::unique_ptr<boost::asio::steady_timer> heartbeat_timer_;
};

}  // namespace zm::monitor
