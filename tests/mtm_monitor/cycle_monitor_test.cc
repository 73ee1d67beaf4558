// Monitor with fakes (no network): snapshot vs REST positions, REST quotes for a position with
// no tick, the engine called on a trigger, the lock reloaded by a new Monitor (restart), the
// dead-man rule and the free-space watch.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <sstream>

#include "common/ist.h"
#include "mtm_monitor/monitor.h"
#include "support/sim_harness.h"

namespace zm::monitor {
namespace {

namespace asio = boost::asio;
template <typename T>
using Async = kite::Async<T>;

class FakeApi final : public kite::KiteApi {
 public:
  kite::Positions positions;
  kite::LtpQuotes quotes;
  int positions_calls = 0, ltp_calls = 0;
  bool positions_fail = false;
  bool token_rejected = false;  // every REST call answers 403 TokenException
  Async<kite::Profile> GetProfile() override { co_return Fail(); }
  Async<kite::Positions> GetPositions() override {
    ++positions_calls;
    if (token_rejected) co_return TokenRejected();
    if (positions_fail) co_return Fail();
    co_return positions;
  }
  Async<std::vector<kite::Order>> GetOrders() override { co_return Fail(); }
  Async<std::vector<kite::Order>> GetOrderHistory(std::string) override { co_return Fail(); }
  Async<std::vector<kite::Trade>> GetTrades() override { co_return Fail(); }
  Async<kite::LtpQuotes> GetLtp(std::vector<std::string>) override {
    ++ltp_calls;
    if (token_rejected) co_return TokenRejected();
    co_return quotes;
  }
  Async<std::string> PlaceOrder(kite::OrderRequest) override { co_return Fail(); }
  Async<std::string> ModifyOrder(std::string, std::string, kite::OrderModify) override {
    co_return Fail();
  }
  Async<std::string> CancelOrder(std::string, std::string) override { co_return Fail(); }
  Async<std::string> GetInstrumentsCsv() override { co_return Fail(); }
  Async<kite::FullQuotes> GetQuote(std::vector<std::string>) override { co_return Fail(); }
  Async<std::vector<kite::Gtt>> GetGtts() override { co_return Fail(); }
  Async<std::vector<kite::Holding>> GetHoldings() override { co_return Fail(); }
  Async<long long> DeleteGtt(long long) override { co_return Fail(); }
  Async<kite::SessionToken> CreateSession(std::string, std::string) override { co_return Fail(); }

 private:
  static Status Fail() { return InternalError("not in this fake"); }
  static Status TokenRejected() {
    return Status(StatusCode::kToken, "Incorrect `api_key` or `access_token`.")
        .WithHttp(403, "TokenException");
  }
};

class FakeService final : public SquareOffService {
 public:
  std::vector<SquareOffRequest> runs;
  asio::awaitable<Result<SquareOffOutcome>> Run(SquareOffRequest request) override {
    runs.push_back(request);
    SquareOffOutcome outcome;
    outcome.squareoff_id = static_cast<long long>(runs.size());
    outcome.flat = true;
    co_return outcome;
  }
  asio::awaitable<Result<std::optional<SquareOffOutcome>>> ResumeUnfinished(std::string) override {
    co_return std::optional<SquareOffOutcome>();
  }
  asio::awaitable<Status> RefreshInstruments(std::string) override { co_return Status::Ok(); }
  Result<nlohmann::json> DaySquareOffsJson(const std::string&) override {
    return nlohmann::json::array();
  }
};

kite::Position Long(uint32_t token, long long qty, double avg) {
  kite::Position p;
  p.exchange = "NFO";
  p.tradingsymbol = "SYM" + std::to_string(token);
  p.product = "NRML";
  p.instrument_token = token;
  p.quantity = qty;
  p.average_price = avg;
  p.last_price = avg;
  p.buy_quantity = qty;
  p.buy_value = qty * avg;
  return p;
}

class MonitorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir("cycle_monitor");
    auto loaded = ParseConfig(
        "zerodha: {api_key: testkey, api_secret: testsecret}\n"
        "trading: {mtm_loss_threshold: -1000, daily_max_profit_target: 2000,"
        " mtm_check_interval: 1}\n"
        "websocket: {position_check_interval: 1}\n"
        "ltp_management: {freshness_threshold_seconds: 5}\n",
        dir_ / "config.yaml");
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    config_ = loaded->config;
    auto db = OpenMtmDb(config_.mtm_db_path());
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
    store_ = std::make_unique<MtmStore>(*db_);
    NewMonitor();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void NewMonitor() {
    monitor_ = std::make_unique<Monitor>(config_, clock_, api_, service_, *store_, out_);
    ASSERT_TRUE(monitor_->Init().ok());
  }
  void Cycle() {
    asio::io_context io;
    asio::co_spawn(io, monitor_->RunCycle(), asio::detached);
    io.run();  // the cycle and what it spawned (quotes, square-off) run to completion
    clock_.Advance(std::chrono::seconds(1));
  }
  void Watch() {
    asio::io_context io;
    asio::co_spawn(io, monitor_->WatchStep(), asio::detached);
    io.run();
  }
  void Reconfigure(const std::string& extra_yaml) {
    auto loaded = ParseConfig(
        "zerodha: {api_key: sim_key, api_secret: sim_secret}\n"
        "trading: {mtm_loss_threshold: -1000, daily_max_profit_target: 2000,"
        " mtm_check_interval: 1}\n"
        "websocket: {position_check_interval: 1}\n"
        "ltp_management: {freshness_threshold_seconds: 5}\n" +
            extra_yaml,
        dir_ / "config.yaml");
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    config_ = loaded->config;
    NewMonitor();
  }
  int Events(const std::string& kind, const std::string& text) {
    int n = 0;
    auto events = store_->ReadEvents(IstDate(clock_.Now()));
    EXPECT_TRUE(events.ok());
    for (const auto& e : *events) n += e.kind == kind && e.message.find(text) != std::string::npos;
    return n;
  }
  std::unique_ptr<TradingDb> WriterDb() {
    auto db = TradingDb::Open(config_.trading_db_path(), /*read_only=*/false);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? std::move(db).value() : nullptr;
  }
  long long NowMs() const { return ToEpochMs(clock_.Now()); }

  std::filesystem::path dir_;
  Config config_;
  FakeClock clock_{FromEpochMs(1795667400000LL)};  // 2026-11-26 10:00 IST
  FakeApi api_;
  FakeService service_;
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<MtmStore> store_;
  std::ostringstream out_;
  std::unique_ptr<Monitor> monitor_;
};

TEST_F(MonitorTest, NoTradingDbUsesRestPositionsAndQuotesThenTriggers) {
  api_.positions.net = {Long(11, 20, 100)};
  api_.quotes["NFO:SYM11"] = {11, 105};
  Cycle();  // positions from REST; the quote is fetched in the background
  Cycle();
  EXPECT_EQ(api_.positions_calls, 2);
  EXPECT_EQ(api_.ltp_calls, 2);  // at most once per second: once per 1 s cycle
  EXPECT_NE(out_.str().find("MTM 100.00"), std::string::npos) << out_.str();  // REST quote
  api_.quotes["NFO:SYM11"] = {11, 0};  // ignored: a price is never zero
  Cycle();
  EXPECT_EQ(service_.runs.size(), 0u);
  api_.quotes["NFO:SYM11"] = {11, 40};  // MTM -1,200
  Cycle();
  Cycle();
  ASSERT_EQ(service_.runs.size(), 1u) << out_.str();
  EXPECT_EQ(service_.runs[0].reason, "loss");
  EXPECT_EQ(monitor_->state().lock, DayLock::kLoss);
  EXPECT_EQ(monitor_->state().squareoff_ids, std::vector<long long>{1});
  auto events = store_->ReadEvents(IstDate(clock_.Now()));
  ASSERT_TRUE(events.ok());
  int triggers = 0;
  for (const auto& e : *events) triggers += e.kind == "trigger";
  EXPECT_EQ(triggers, 1);
}

TEST_F(MonitorTest, FreshSnapshotAndTicksNeedNoRest) {
  auto writer = WriterDb();
  ASSERT_TRUE(writer);
  kite::Positions positions;
  positions.net = {Long(11, 10, 100)};
  ASSERT_TRUE(writer->ReplacePositions(positions, NowMs()).ok());
  LtpRow tick;
  tick.instrument_token = 11;
  tick.last_price = 120;
  tick.received_at_ms = NowMs();
  ASSERT_TRUE(writer->UpsertLtps({tick}).ok());
  Cycle();
  EXPECT_EQ(api_.positions_calls, 0);
  EXPECT_EQ(api_.ltp_calls, 0);
  EXPECT_NE(out_.str().find("MTM 200.00"), std::string::npos) << out_.str();
  // The snapshot ages past 2 * 1 + 1 s: REST positions.
  api_.positions.net = {Long(11, 10, 100)};
  clock_.Advance(std::chrono::seconds(3));
  Cycle();
  EXPECT_EQ(api_.positions_calls, 1);
}

TEST_F(MonitorTest, TargetLockSurvivesANewMonitor) {
  api_.positions.net = {Long(11, 10, 100)};
  api_.quotes["NFO:SYM11"] = {11, 400};  // MTM 3,000 >= 2,000
  Cycle();
  Cycle();
  ASSERT_EQ(service_.runs.size(), 1u);
  EXPECT_EQ(service_.runs[0].reason, "target");
  NewMonitor();  // restart
  EXPECT_EQ(monitor_->state().lock, DayLock::kTarget);
  api_.quotes["NFO:SYM11"] = {11, 100};  // MTM 0: only the lock can trigger now
  clock_.Advance(std::chrono::seconds(5));
  Cycle();
  Cycle();
  ASSERT_EQ(service_.runs.size(), 2u);
  EXPECT_EQ(service_.runs[1].reason, "locked");
  auto history = store_->ReadHistory(IstDate(clock_.Now()));
  ASSERT_TRUE(history.ok());
  EXPECT_GE(history->size(), 2u);
}

// The day boundary is 00:00 IST (18:30 UTC): the lock and the maximum of the previous day do
// not carry over, and the previous day's state stays in the store.
TEST_F(MonitorTest, ANewIstDayStartsFresh) {
  clock_.Set(FromEpochMs(1795717740000LL));  // 2026-11-26 23:59:00 IST
  api_.positions.net = {Long(11, 10, 100)};
  api_.quotes["NFO:SYM11"] = {11, 400};  // MTM 3,000 >= 2,000
  Cycle();
  Cycle();
  ASSERT_EQ(service_.runs.size(), 1u);
  EXPECT_EQ(monitor_->state().trading_date, "2026-11-26");
  EXPECT_EQ(monitor_->state().lock, DayLock::kTarget);
  EXPECT_DOUBLE_EQ(monitor_->state().max_mtm, 3000);

  // A position open after midnight: MTM 500, not a breach, and the old lock is gone.
  api_.quotes["NFO:SYM11"] = {11, 150};
  clock_.Set(FromEpochMs(1795717740000LL + 90 * 1000));  // 2026-11-27 00:00:30 IST
  EXPECT_EQ(IstDate(clock_.Now()), "2026-11-27");
  Cycle();
  Cycle();
  EXPECT_EQ(monitor_->state().trading_date, "2026-11-27");
  EXPECT_EQ(monitor_->state().lock, DayLock::kNone);
  EXPECT_DOUBLE_EQ(monitor_->state().max_mtm, 500);
  EXPECT_TRUE(monitor_->state().triggers.empty());
  EXPECT_TRUE(monitor_->state().squareoff_ids.empty());
  EXPECT_EQ(service_.runs.size(), 1u);  // the open position is not squared off
  EXPECT_NE(out_.str().find("state=monitoring positions=1"), std::string::npos) << out_.str();

  // The previous day's state is kept; a restart on the new day continues the new day.
  auto previous = store_->LoadDailyState("2026-11-26");
  ASSERT_TRUE(previous.ok());
  ASSERT_TRUE(previous->has_value());
  EXPECT_EQ((*previous)->lock, DayLock::kTarget);
  NewMonitor();
  EXPECT_EQ(monitor_->state().trading_date, "2026-11-27");
  EXPECT_EQ(monitor_->state().lock, DayLock::kNone);
}

// REST positions failing (a rejected token): the cached positions are used, and once they are
// older than the staleness bound a critical alert says so (once, not every cycle).
TEST_F(MonitorTest, FailingRestPositionsRaiseACriticalOnceTheCacheIsStale) {
  api_.positions.net = {Long(11, 10, 100)};
  api_.quotes["NFO:SYM11"] = {11, 100};
  Cycle();
  api_.positions_fail = true;
  Cycle();  // 1 s old: still fresh enough
  auto criticals = [&] {
    int n = 0;
    auto events = store_->ReadEvents(IstDate(clock_.Now()));
    EXPECT_TRUE(events.ok());
    for (const auto& e : *events)
      n += e.kind == "critical" && e.message.find("REST failing") != std::string::npos;
    return n;
  };
  EXPECT_EQ(criticals(), 0);
  clock_.Advance(std::chrono::seconds(3));  // > 2 * 1 + 1 s
  Cycle();
  Cycle();
  EXPECT_EQ(criticals(), 1);
  EXPECT_NE(out_.str().find("positions=1"), std::string::npos);  // still valued, never dropped
  api_.positions_fail = false;
  Cycle();
  EXPECT_EQ(criticals(), 1);
}

TEST_F(MonitorTest, RejectedTokenIsCriticalOncePerEpisode) {
  api_.positions.net = {Long(11, 10, 100)};
  api_.quotes["NFO:SYM11"] = {11, 100};
  Cycle();
  auto token_criticals = [&] {
    int n = 0;
    auto events = store_->ReadEvents(IstDate(clock_.Now()));
    EXPECT_TRUE(events.ok());
    for (const auto& e : *events)
      n += e.kind == "critical" && e.message.find("zerodha_runner login") != std::string::npos;
    return n;
  };
  api_.token_rejected = true;
  for (int i = 0; i < 4; ++i) {
    clock_.Advance(std::chrono::seconds(2));
    Cycle();
  }
  EXPECT_EQ(token_criticals(), 1);
  api_.token_rejected = false;  // the daily login happened
  clock_.Advance(std::chrono::seconds(2));
  Cycle();
  api_.token_rejected = true;  // a new episode alerts again
  clock_.Advance(std::chrono::seconds(2));
  Cycle();
  EXPECT_EQ(token_criticals(), 2);
}

// Live prices gone (no tick, no REST quote): the MTM rests on the positions' last_price, which
// is not a valid MTM. After dead_man_seconds: one critical alert, and with dead_man_action
// square_off one square-off with reason "dead_man"; a live price again ends the episode.
TEST_F(MonitorTest, DeadManSquaresOffWhenLivePricesAreGone) {
  Reconfigure("risk_management: {dead_man_seconds: 5, dead_man_action: square_off}\n");
  api_.positions.net = {Long(11, 10, 100)};
  for (int i = 0; i < 4; ++i) {
    Cycle();
    Watch();
  }
  EXPECT_EQ(Events("critical", "dead-man"), 0);
  EXPECT_TRUE(service_.runs.empty());
  for (int i = 0; i < 3; ++i) {
    Cycle();
    Watch();
  }
  EXPECT_EQ(Events("critical", "dead-man: no valid MTM for"), 1);
  EXPECT_EQ(Events("critical", "with 1 open position(s)"), 1);
  ASSERT_EQ(service_.runs.size(), 1u);
  EXPECT_EQ(service_.runs[0].reason, "dead_man");
  for (int i = 0; i < 3; ++i) {  // once per episode
    Cycle();
    Watch();
  }
  EXPECT_EQ(Events("critical", "dead-man"), 1);
  EXPECT_EQ(service_.runs.size(), 1u);
  api_.quotes["NFO:SYM11"] = {11, 101};  // a live price again
  Cycle();
  Cycle();
  Watch();
  EXPECT_EQ(Events("info", "dead-man: a valid MTM again"), 1);
}

TEST_F(MonitorTest, DeadManOnlyAlertsByDefault) {
  Reconfigure("risk_management: {dead_man_seconds: 3}\n");
  api_.positions.net = {Long(11, 10, 100)};
  for (int i = 0; i < 6; ++i) {
    Cycle();
    Watch();
  }
  EXPECT_EQ(Events("critical", "nothing can see the loss"), 1);
  EXPECT_TRUE(service_.runs.empty());
}

TEST_F(MonitorTest, DeadManStaysQuietWithLivePricesOrNothingOpen) {
  Reconfigure("risk_management: {dead_man_seconds: 2, dead_man_action: square_off}\n");
  api_.positions.net = {Long(11, 10, 100)};
  api_.quotes["NFO:SYM11"] = {11, 100};  // live REST quotes
  for (int i = 0; i < 6; ++i) {
    Cycle();
    Watch();
  }
  api_.positions.net = {};  // flat: nothing to guard, whatever the prices
  api_.quotes.clear();
  for (int i = 0; i < 6; ++i) {
    Cycle();
    Watch();
  }
  EXPECT_EQ(Events("critical", "dead-man"), 0);
  EXPECT_TRUE(service_.runs.empty());
}

TEST_F(MonitorTest, LowFreeSpaceIsCriticalOncePerEpisodeCheckedEveryMinute) {
  uint64_t free_bytes = 50ull << 20;  // 50 MiB < 200 MB default
  int probes = 0;
  monitor_->set_free_space_probe([&](const std::filesystem::path&) -> Result<uint64_t> {
    ++probes;
    return free_bytes;
  });
  Watch();
  EXPECT_EQ(Events("critical", "disk almost full"), 1);
  EXPECT_EQ(Events("critical", "50 MB free (minimum 200 MB)"), 1);
  clock_.Advance(std::chrono::seconds(30));
  Watch();
  EXPECT_EQ(probes, 1);  // once a minute
  clock_.Advance(std::chrono::seconds(31));
  Watch();
  EXPECT_EQ(probes, 2);
  EXPECT_EQ(Events("critical", "disk almost full"), 1);  // still low: no repeat
  free_bytes = 1ull << 30;
  clock_.Advance(std::chrono::seconds(61));
  Watch();
  free_bytes = 10ull << 20;
  clock_.Advance(std::chrono::seconds(61));
  Watch();
  EXPECT_EQ(Events("critical", "disk almost full"), 2);  // a new episode
}

}  // namespace
}  // namespace zm::monitor
