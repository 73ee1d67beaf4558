// The real zerodha_ltp_subscriber against the simulator on loopback (see sim_fixture.h).
#include <SQLiteCpp/Statement.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <thread>

#include "sim_fixture.h"

namespace zm::ltp::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using zm::testing::WaitUntil;

const char* kFourPositions =
    "  - {exchange: NFO, tradingsymbol: NIFTY26DEC24000CE, product: MIS, quantity: -75, price: "
    "120}\n"
    "  - {exchange: BFO, tradingsymbol: SENSEX26DEC80000CE, product: NRML, quantity: -20, price: "
    "250}\n"
    "  - {exchange: NSE, tradingsymbol: INFY, product: CNC, quantity: 10, price: 1500}\n"
    "  - {exchange: CDS, tradingsymbol: USDINR26DECFUT, product: NRML, quantity: 1, price: "
    "84.25}\n";

const char* kOnePosition =
    "  - {exchange: NFO, tradingsymbol: NIFTY26DEC24000CE, product: MIS, quantity: -75, price: "
    "120}\n";

bool Subscribed(const nlohmann::json& stats, uint32_t token) {
  for (const auto& t : stats.value("subscribed", nlohmann::json::array())) {
    if (t.get<uint32_t>() == token) return true;
  }
  return false;
}

TEST_F(SubscriberSimTest, TicksForAllSubscribedInstrumentsLandDecoded) {
  ASSERT_NO_FATAL_FAILURE(StartSim(ScenarioWithPositions(kFourPositions)));
  ASSERT_NO_FATAL_FAILURE(StartSubscriber());
  ASSERT_TRUE(WaitUntil([&] { return Ltps().size() == 4; }, seconds(10)));
  auto rows = Ltps();
  EXPECT_EQ(rows.count(kNiftyCe) + rows.count(kSensexCe) + rows.count(kInfy) + rows.count(kUsdInr),
            4u);
  EXPECT_NEAR(rows[kUsdInr].last_price, 84.25, 1e-9);  // CDS: prices divided by 1e7
  EXPECT_NEAR(rows[kInfy].last_price, 1500.0, 1e-9);
  EXPECT_GT(rows[kNiftyCe].received_at_ms, 0);

  ASSERT_TRUE(sim_->SetPrice("NFO:NIFTY26DEC24000CE", 123.45).ok());
  ASSERT_TRUE(sim_->SetPrice("CDS:USDINR26DECFUT", 84.3125).ok());
  EXPECT_TRUE(WaitForPrice(kNiftyCe, 123.45, seconds(3)));
  EXPECT_TRUE(WaitForPrice(kUsdInr, 84.3125, seconds(3)));
  auto nifty = Ltp(kNiftyCe);
  ASSERT_TRUE(nifty);
  EXPECT_GT(nifty->best_bid, 0);  // mode full: depth is stored
  EXPECT_GT(nifty->best_ask, nifty->best_bid);
  EXPECT_GT(nifty->exchange_time_ms, 0);

  // Positions stored whole with their sync time; heartbeat says connected.
  PositionsSnapshot positions = Positions();
  EXPECT_EQ(positions.positions.net.size(), 4u);
  EXPECT_GT(positions.synced_at_ms, 0);
  // The heartbeat (every 0.5 s) catches up.
  nlohmann::json hb;
  EXPECT_TRUE(WaitUntil(
      [&] {
        hb = HeartbeatDetails();
        return hb.value("positions_synced_ms", 0LL) > 0 && hb.value("last_tick_ms", 0LL) > 0;
      },
      seconds(3)));
  EXPECT_TRUE(hb.value("ws_connected", false));
  EXPECT_GT(hb.value("last_tick_ms", 0LL), 0);
  EXPECT_GT(hb.value("positions_synced_ms", 0LL), 0);
  EXPECT_EQ(hb.value("token_state", ""), "ok");
  EXPECT_EQ(Meta(kMetaSubscribedCount).value_or(""), "4");
}

TEST_F(SubscriberSimTest, NewPositionIsSubscribedAndPricedWithinTwoSeconds) {
  ASSERT_NO_FATAL_FAILURE(StartSim(ScenarioWithPositions(kOnePosition)));
  // A slow periodic poll: only the order update can explain a fast pick-up.
  ASSERT_NO_FATAL_FAILURE(StartSubscriber("websocket: {position_check_interval: 60}"));
  ASSERT_TRUE(WaitUntil([&] { return Ltp(kNiftyCe).has_value(); }, seconds(10)));
  ASSERT_FALSE(Ltp(kBankNiftyCe).has_value());

  const auto opened = std::chrono::steady_clock::now();
  ASSERT_TRUE(sim_->Control("POST", "/_sim/position",
                            {{"exchange", "NFO"},
                             {"tradingsymbol", "BANKNIFTY26DEC52000CE"},
                             {"product", "MIS"},
                             {"quantity", -35},
                             {"price", 310}})
                  .ok());
  EXPECT_TRUE(WaitUntil([&] { return Ltp(kBankNiftyCe).has_value(); }, seconds(2)));
  const auto took = std::chrono::steady_clock::now() - opened;
  std::cout << "new position priced after "
            << std::chrono::duration_cast<milliseconds>(took).count() << " ms\n";
  EXPECT_TRUE(Subscribed(Stats(), kBankNiftyCe));
  // The order update itself is stored for the monitor.
  auto db = TradingDb::Open(dir_ / "zerodha_trading.db", true);
  ASSERT_TRUE(db.ok());
  auto updates = (*db)->ReadOrderUpdatesAfter(0);
  ASSERT_TRUE(updates.ok());
  ASSERT_FALSE(updates->empty());
  EXPECT_EQ(updates->back().order.tradingsymbol, "BANKNIFTY26DEC52000CE");
}

TEST_F(SubscriberSimTest, ClosedPositionIsUnsubscribed) {
  ASSERT_NO_FATAL_FAILURE(StartSim(ScenarioWithPositions(kFourPositions)));
  ASSERT_NO_FATAL_FAILURE(StartSubscriber());
  ASSERT_TRUE(WaitUntil([&] { return Subscribed(Stats(), kInfy); }, seconds(10)));
  ASSERT_TRUE(sim_->Control("POST", "/_sim/position",
                            {{"exchange", "NSE"},
                             {"tradingsymbol", "INFY"},
                             {"product", "CNC"},
                             {"quantity", -10},
                             {"price", 1500}})
                  .ok());
  EXPECT_TRUE(WaitUntil([&] { return !Subscribed(Stats(), kInfy); }, seconds(3)));
  EXPECT_TRUE(Subscribed(Stats(), kNiftyCe));
}

TEST_F(SubscriberSimTest, DroppedTickerIsReconnectedResubscribedAndPricesResume) {
  ASSERT_NO_FATAL_FAILURE(StartSim(ScenarioWithPositions(kFourPositions)));
  ASSERT_NO_FATAL_FAILURE(StartSubscriber());
  ASSERT_TRUE(WaitUntil([&] { return Ltps().size() == 4; }, seconds(10)));
  const int connections = Stats().value("ws_upgrades", 0);
  ASSERT_TRUE(sim_->Fault({{"kind", "ws_drop"}, {"refuse_seconds", 2}}).ok());
  EXPECT_TRUE(
      WaitUntil([&] { return !HeartbeatDetails().value("ws_connected", true); }, seconds(3)));
  // Refused for 2 s, then backoff (1 s, 2 s, ...): back within ~10 s.
  ASSERT_TRUE(WaitUntil(
      [&] {
        nlohmann::json stats = Stats();
        return stats.value("ws_upgrades", 0) > connections && Subscribed(stats, kNiftyCe) &&
               Subscribed(stats, kUsdInr) && Subscribed(stats, kSensexCe) &&
               Subscribed(stats, kInfy);
      },
      seconds(15)));
  ASSERT_TRUE(sim_->SetPrice("NFO:NIFTY26DEC24000CE", 131.5).ok());
  EXPECT_TRUE(WaitForPrice(kNiftyCe, 131.5, seconds(3)));
  EXPECT_TRUE(WaitConnected(seconds(2)));
}

TEST_F(SubscriberSimTest, AccessTokenFileChangeIsPickedUpWithoutRestart) {
  ASSERT_NO_FATAL_FAILURE(StartSim(ScenarioWithPositions(kOnePosition)));
  ASSERT_NO_FATAL_FAILURE(StartSubscriber());
  ASSERT_TRUE(WaitUntil([&] { return Ltp(kNiftyCe).has_value(); }, seconds(10)));
  const int connections = Stats().value("ws_upgrades", 0);
  ASSERT_TRUE(sim_->Control("POST", "/_sim/token", {{"access_token", "fresh_token_2"}}).ok());
  std::ofstream(dir_ / "access_token" / "access_token.txt", std::ios::trunc) << "fresh_token_2\n";
  // The watch polls every ~2 s, then reconnects with the new token.
  ASSERT_TRUE(WaitUntil([&] { return Stats().value("ws_upgrades", 0) > connections; }, seconds(8)));
  ASSERT_TRUE(WaitConnected(seconds(3)));
  ASSERT_TRUE(sim_->SetPrice("NFO:NIFTY26DEC24000CE", 117.25).ok());
  EXPECT_TRUE(WaitForPrice(kNiftyCe, 117.25, seconds(3)));
  // REST uses the new token too: positions keep syncing (interval 1 s in the suite config).
  const long long synced = Positions().synced_at_ms;
  EXPECT_TRUE(WaitUntil([&] { return Positions().synced_at_ms > synced; }, seconds(4)));
  EXPECT_TRUE(child_->running());
  // Secrets never reach the console or the log file.
  std::ifstream log_file(dir_ / "ltp_subscriber.log");
  const std::string log((std::istreambuf_iterator<char>(log_file)),
                        std::istreambuf_iterator<char>());
  EXPECT_NE(log.find("access token file changed"), std::string::npos);
  for (const char* secret : {"fresh_token_2", "sim_token", "sim_secret"}) {
    EXPECT_EQ(child_->ReadStderr().find(secret), std::string::npos) << secret;
    EXPECT_EQ(log.find(secret), std::string::npos) << secret;
  }
}

TEST_F(SubscriberSimTest, ExpiredTokenCostsAtMostOneAttemptPerMinute) {
  ASSERT_NO_FATAL_FAILURE(StartSim(ScenarioWithPositions(kOnePosition)));
  ASSERT_NO_FATAL_FAILURE(StartSubscriber());
  ASSERT_TRUE(WaitUntil([&] { return Ltp(kNiftyCe).has_value(); }, seconds(10)));
  ASSERT_TRUE(sim_->Fault({{"kind", "token_expired"}, {"on", true}}).ok());
  ASSERT_TRUE(sim_->Fault({{"kind", "ws_drop"}, {"refuse_seconds", 0}}).ok());
  // The reconnect after the drop is refused (REST may notice the expiry first).
  ASSERT_TRUE(WaitUntil([&] { return Stats().value("ws_upgrades_refused", 0) >= 1; }, seconds(5)));
  ASSERT_TRUE(
      WaitUntil([&] { return Meta(kMetaTokenState).value_or("") == "rejected"; }, seconds(5)));
  const int refused_at_detection = Stats().value("ws_upgrades_refused", 0);
  std::this_thread::sleep_for(seconds(6));  // a spinning client would try ~5 more times
  const int refused = Stats().value("ws_upgrades_refused", 0);
  EXPECT_LE(refused, 1) << "upgrade attempts refused while the token was expired";
  EXPECT_EQ(refused, refused_at_detection);
  EXPECT_EQ(HeartbeatDetails().value("token_state", ""), "rejected");
  EXPECT_FALSE(HeartbeatDetails().value("ws_connected", true));
  // Logged once, as critical, with what to do.
  const std::string err = child_->ReadStderr();
  const size_t first = err.find("zerodha_runner login");
  ASSERT_NE(first, std::string::npos) << err;
  EXPECT_EQ(err.find("zerodha_runner login", first + 1), std::string::npos) << err;
  EXPECT_NE(err.find("critical"), std::string::npos);

  // Server-side renewal: REST succeeds again, the ticker is retried at once, not in a minute.
  ASSERT_TRUE(sim_->Fault({{"kind", "token_expired"}, {"on", false}}).ok());
  EXPECT_TRUE(WaitConnected(seconds(5)));
  EXPECT_EQ(Meta(kMetaTokenState).value_or(""), "ok");
}

TEST_F(SubscriberSimTest, SigtermFlushesClosesAndExitsZero) {
  ASSERT_NO_FATAL_FAILURE(StartSim(ScenarioWithPositions(kFourPositions)));
  ASSERT_NO_FATAL_FAILURE(StartSubscriber());
  ASSERT_TRUE(WaitUntil([&] { return Ltps().size() == 4; }, seconds(10)));
  ASSERT_TRUE(sim_->SetPrice("NFO:NIFTY26DEC24000CE", 140.05).ok());
  ASSERT_TRUE(sim_->SetPrice("NSE:INFY", 1510.5).ok());
  std::this_thread::sleep_for(milliseconds(150));  // the ticks are on the wire
  ASSERT_TRUE(child_->Signal(SIGTERM));
  auto code = child_->WaitExit(seconds(10));
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0);
  auto db = TradingDb::Open(dir_ / "zerodha_trading.db", true);
  ASSERT_TRUE(db.ok());
  SQLite::Statement check((*db)->db(), "PRAGMA integrity_check");
  ASSERT_TRUE(check.executeStep());
  EXPECT_EQ(check.getColumn(0).getString(), "ok");
  auto rows = (*db)->ReadLtps();
  ASSERT_TRUE(rows.ok());
  EXPECT_NEAR(rows->at(kNiftyCe).last_price, 140.05, 1e-9);
  EXPECT_NEAR(rows->at(kInfy).last_price, 1510.5, 1e-9);
  EXPECT_FALSE(HeartbeatDetails().value("ws_connected", true));
  EXPECT_EQ(Meta(kMetaWsConnected).value_or(""), "0");
  // The simulator saw the socket close.
  EXPECT_TRUE(WaitUntil(
      [&] { return Stats().value("subscribed", nlohmann::json::array()).empty(); }, seconds(3)));
}

TEST_F(SubscriberSimTest, MoreThan3000InstrumentsIsAClearErrorNotSilentTruncation) {
  ASSERT_NO_FATAL_FAILURE(StartSim(ManyInstrumentsScenario(3001)));
  ASSERT_NO_FATAL_FAILURE(StartSubscriber());
  ASSERT_TRUE(
      WaitUntil([&] { return !Meta(kMetaSubscriptionError).value_or("").empty(); }, seconds(15)));
  const std::string error = Meta(kMetaSubscriptionError).value_or("");
  EXPECT_NE(error.find("3001 instruments"), std::string::npos) << error;
  EXPECT_NE(error.find("1 of them get NO live price"), std::string::npos) << error;
  // The 3000 it can carry are still watched (a partial watch beats none), and it says so.
  EXPECT_TRUE(
      WaitUntil([&] { return Meta(kMetaSubscribedCount).value_or("") == "3000"; }, seconds(5)));
  EXPECT_NE(child_->ReadStderr().find("critical"), std::string::npos);
}

TEST_F(SubscriberSimTest, HelpAndBadConfig) {
  auto help = zm::testing::ChildProcess::Start(zm::testing::BinaryPath("zerodha_ltp_subscriber"),
                                               {"--help"});
  ASSERT_TRUE(help.ok());
  EXPECT_EQ((*help)->WaitExit(seconds(5)).value_or(-1), 0);
  EXPECT_NE((*help)->ReadStdout().find("usage"), std::string::npos);
  auto bad = zm::testing::ChildProcess::Start(zm::testing::BinaryPath("zerodha_ltp_subscriber"),
                                              {"--config", "/nonexistent/config.yaml"});
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ((*bad)->WaitExit(seconds(5)).value_or(-1), 2);
}

}  // namespace
}  // namespace zm::ltp::testing
