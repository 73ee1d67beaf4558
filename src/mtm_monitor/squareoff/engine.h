// SquareOffEngine: the exactly-once square-off of zerodha_mtm_monitor.
//
// Purpose: close every open net position of the account, never placing an order twice, and
// finish flat or raise a critical alert naming what remains. One run = one RunMachine (pure,
// run_machine.h: what to do and when) driven by a Driver (driver.h: the requests), with the
// journal (journal_store.h) written before every order is sent; the instruments dump and what
// the broker taught about lot sizes and freeze limits live in instruments_store.h.
// Resume: an unfinished square-off of the day is continued (never duplicated), its journaled
// orders tracked to their end by tag before their rest is planned again.
// dry_run: everything is journaled, nothing is sent, the outcome says dry_run.
// Scope: only risk_management.products are closed, and never the keys of the request's scope
// plus the sales from holdings (common/kite/book_scope.h), judged from a holdings read right
// before the run (bounded by kHoldingsReadBound; if it fails or is late, the monitor's last
// holdings; if none, every negative CNC equity row the monitor saw is left alone).
//
// Ownership: borrows the KiteApi, the zerodha_mtm.db connection, the Config and the clocks;
// all must outlive the engine. It opens zerodha_trading.db (read-only, lazily) itself for
// ticks and the stored WebSocket order updates, unless set_trading_db() gave one.
// Threading: one engine per process, used only from the process's io_context thread.
#pragma once

#include <SQLiteCpp/Database.h>

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/config.h"
#include "common/kite/kite_api.h"
#include "common/trading_db.h"
#include "mtm_monitor/squareoff/pacer.h"
#include "mtm_monitor/squareoff/service.h"

namespace zm::journal {
struct JournaledSquareOff;
}  // namespace zm::journal

namespace zm::monitor {

using journal::JournaledSquareOff;
class RateGate;
class JournalStore;
class InstrumentsStore;
class FactsBook;

// Engine timings that are not in the config (tests shorten them).
struct EngineTiming {
  MonoDuration poll_interval = std::chrono::milliseconds(400);       // book reads while live
  MonoDuration positions_interval = std::chrono::milliseconds(400);  // re-reads while settling
  MonoDuration update_check = std::chrono::milliseconds(50);         // stored WS updates
  MonoDuration rest_timeout = std::chrono::milliseconds(2000);       // OPEN this long = resting
  MonoDuration reprice_interval = std::chrono::milliseconds(1000);
  MonoDuration cancel_wait = std::chrono::seconds(5);
  MonoDuration unknown_hold = std::chrono::seconds(1);
  MonoDuration cancel_hold = std::chrono::seconds(3);
  MonoDuration run_timeout = std::chrono::seconds(120);
  OrderPacer::Options pacer;
};

class SquareOffEngine final : public SquareOffService {
 public:
  SquareOffEngine(kite::KiteApi& api, SQLite::Database& mtm_db, const Config& config,
                  const Clock& clock, const MonoClock& mono);
  ~SquareOffEngine() override;
  SquareOffEngine(const SquareOffEngine&) = delete;
  SquareOffEngine& operator=(const SquareOffEngine&) = delete;

  // Creates its tables.
  Status Init();

  boost::asio::awaitable<Status> RefreshInstruments(
      std::string trading_date, std::vector<std::string> must_have = {}) override;
  boost::asio::awaitable<Result<SquareOffOutcome>> Run(SquareOffRequest request) override;
  boost::asio::awaitable<Result<std::optional<SquareOffOutcome>>> ResumeUnfinished(
      std::string trading_date, SquareOffScope scope) override;
  Result<nlohmann::json> DaySquareOffsJson(const std::string& trading_date) override;

  bool busy() const { return busy_; }
  void set_timing(const EngineTiming& timing);
  // Where ticks (for LIMIT prices) and stored order updates come from; opened lazily from
  // config.trading_db_path() when not set. Not owned.
  void set_trading_db(TradingDb* trading_db) { trading_db_ = trading_db; }
  // The process's 1 request/s budget for GET /quote*, shared with the monitor. Not owned.
  void set_quote_gate(RateGate* gate) { quote_gate_ = gate; }

 private:
  class Depth;
  class Updates;
  static constexpr auto kHoldingsReadBound = std::chrono::milliseconds(500);
  boost::asio::awaitable<Result<SquareOffOutcome>> Execute(JournaledSquareOff squareoff,
                                                           SquareOffScope scope);
  boost::asio::awaitable<std::set<std::string>> ExcludedKeys(SquareOffScope scope);
  Status StartDay(const std::string& trading_date);
  TradingDb* Ticks();

  kite::KiteApi& api_;
  SQLite::Database& mtm_db_;
  const Config& config_;
  const Clock& clock_;
  const MonoClock& mono_;
  std::unique_ptr<JournalStore> journal_;
  std::unique_ptr<InstrumentsStore> instruments_;
  std::unique_ptr<FactsBook> facts_;
  std::unique_ptr<RateGate> own_quote_gate_;
  RateGate* quote_gate_ = nullptr;
  EngineTiming timing_;
  OrderPacer pacer_;
  std::string day_;  // the trading date the facts and the pacer belong to
  TradingDb* trading_db_ = nullptr;
  std::unique_ptr<TradingDb> owned_trading_db_;
  bool busy_ = false;
};

}  // namespace zm::monitor
