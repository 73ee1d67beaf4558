// The square-off engine end to end against the simulator: the classic cases (book shapes,
// dry run, 5xx, hangs, 429, MARKET refused, partial fills, the trader's stops, 20 positions).
#include "engine_e2e_fixture.h"

namespace zm::monitor {
namespace {

TEST_F(SquareOffE2eTest, LossBreachClosesMixedBookShortsFirstInFreezeSlices) {
  StartBasicSim();
  AddPosition("NFO", "NIFTY26DEC24000CE", "NRML", 150);
  AddPosition("NFO", "NIFTY26DEC24000PE", "MIS", -3750);
  AddPosition("NFO", "BANKNIFTY26DEC52000CE", "NRML", -1050);
  MakeEngine();
  auto outcome = SquareOff();
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_TRUE(outcome->flat) << outcome->summary;
  ExpectFlatAndNoDuplicateTags();
  auto posts = OrderPosts();
  ASSERT_EQ(posts.size(), 6u);  // PE 1800+1800+150, BANKNIFTY 875+175, CE 150
  std::map<std::string, std::string> product = {{"NIFTY26DEC24000CE", "NRML"},
                                                {"NIFTY26DEC24000PE", "MIS"},
                                                {"BANKNIFTY26DEC52000CE", "NRML"}};
  for (size_t i = 0; i < posts.size(); ++i) {
    const Json& p = posts[i]["params"];
    EXPECT_EQ(posts[i]["http_status"], 200) << posts[i].dump();
    EXPECT_EQ(p["transaction_type"], i < 5 ? "BUY" : "SELL") << i;
    EXPECT_EQ(p["order_type"], "MARKET");
    EXPECT_EQ(p["market_protection"], "-1");
    EXPECT_EQ(p["product"], product[p["tradingsymbol"]]);
    long long qty = std::stoll(p["quantity"].get<std::string>());
    EXPECT_LE(qty, p["tradingsymbol"].get<std::string>().rfind("BANK", 0) == 0 ? 900 : 1800);
  }
}

TEST_F(SquareOffE2eTest, DryRunSendsNothingToTheBroker) {
  config_.risk_management.dry_run = true;
  StartBasicSim();
  AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -3750);
  AddPosition("NSE", "INFY", "CNC", 50, 1500);
  MakeEngine();
  auto outcome = SquareOff();
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_TRUE(outcome->dry_run);
  // Nothing reached the broker: no order request of any kind (place, modify or cancel).
  EXPECT_TRUE(harness_->OrderLog().empty()) << Json(harness_->OrderLog()).dump();
  auto state = harness_->State();
  ASSERT_TRUE(state.ok());
  long long open = 0;
  for (auto& p : (*state)["positions"]["net"]) open += p["quantity"].get<long long>() != 0;
  EXPECT_EQ(open, 2);
  // ... but the journal shows what would have been sent: the short first, in freeze slices.
  auto day = engine_->DaySquareOffsJson(kDay);
  ASSERT_TRUE(day.ok());
  ASSERT_EQ(day->size(), 1u);
  const Json& orders = (*day)[0]["orders"];
  ASSERT_EQ(orders.size(), 4u) << day->dump();  // 1800 + 1800 + 150 BUY, then 50 SELL
  EXPECT_EQ(orders[0]["transaction_type"], "BUY");
  EXPECT_EQ(orders[3]["tradingsymbol"], "INFY");
}

TEST_F(SquareOffE2eTest, ServiceUnavailableThenSuccess) {
  StartBasicSim();
  AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -150);
  MakeEngine();
  ASSERT_TRUE(
      harness_
          ->Fault(
              {{"kind", "http_error"}, {"endpoint", "POST /orders"}, {"status", 503}, {"count", 1}})
          .ok());
  auto outcome = SquareOff();
  ASSERT_TRUE(outcome.ok() && outcome->flat) << outcome.status().ToString();
  ExpectFlatAndNoDuplicateTags();
  auto posts = OrderPosts();
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[0]["http_status"], 503);
  EXPECT_EQ(posts[1]["http_status"], 200);
}

TEST_F(SquareOffE2eTest, PostThatTimedOutAfterCreatingIsNotDuplicated) {
  StartBasicSim();
  AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -150);
  MakeEngine(std::chrono::milliseconds(700));
  ASSERT_TRUE(harness_->Fault({{"kind", "order_hang"}, {"count", 1}, {"seconds", 3}}).ok());
  auto outcome = SquareOff();
  ASSERT_TRUE(outcome.ok() && outcome->flat) << outcome.status().ToString();
  ExpectFlatAndNoDuplicateTags();
  auto state = harness_->State();
  ASSERT_TRUE(state.ok());
  int created = 0;
  for (auto& o : (*state)["orders"])
    if (o["tag"].is_string() && o["tag"].get<std::string>().rfind("ZM", 0) == 0) ++created;
  EXPECT_EQ(created, 1);
}

TEST_F(SquareOffE2eTest, RateLimitedRequestsArePacedOut) {
  StartBasicSim();
  AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -150);
  AddPosition("NFO", "NIFTY26DEC24000CE", "NRML", 75);
  MakeEngine();
  ASSERT_TRUE(
      harness_
          ->Fault(
              {{"kind", "http_error"}, {"endpoint", "POST /orders"}, {"status", 429}, {"count", 2}})
          .ok());
  auto outcome = SquareOff();
  ASSERT_TRUE(outcome.ok() && outcome->flat) << outcome.status().ToString();
  ExpectFlatAndNoDuplicateTags();
  auto posts = OrderPosts();
  ASSERT_EQ(posts.size(), 4u) << Json(posts).dump();
  EXPECT_EQ(posts[0]["http_status"], 429);
  EXPECT_EQ(posts[1]["http_status"], 429);
  EXPECT_GE(posts[2]["at_ms"].get<long long>() - posts[1]["at_ms"].get<long long>(), 400);
}

TEST_F(SquareOffE2eTest, StockOptionMarketRefusedLimitFallbackFilled) {
  StartBasicSim();
  AddPosition("NFO", "RELIANCE26DEC1500CE", "NRML", -1000, 22.4);
  MakeEngine();
  auto outcome = SquareOff();
  ASSERT_TRUE(outcome.ok() && outcome->flat) << outcome.status().ToString();
  ExpectFlatAndNoDuplicateTags();
  auto posts = OrderPosts();
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[0]["params"]["order_type"], "MARKET");
  EXPECT_EQ(posts[1]["params"]["order_type"], "LIMIT");
  double price = std::stod(posts[1]["params"]["price"].get<std::string>());
  EXPECT_GT(price, 22.4);  // a BUY through the market
  EXPECT_EQ(posts[1]["params"].count("market_protection"), 0u);
}

TEST_F(SquareOffE2eTest, PartialFillRemainderClosed) {
  StartBasicSim();
  AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -300);
  MakeEngine();
  ASSERT_TRUE(harness_->Fault({{"kind", "partial_fill"}, {"fraction", 0.5}}).ok());
  auto outcome = SquareOff();
  ASSERT_TRUE(outcome.ok() && outcome->flat) << outcome.status().ToString();
  ExpectFlatAndNoDuplicateTags();
  bool cancelled = false;
  for (auto& r : harness_->OrderLog()) cancelled = cancelled || r["method"] == "DELETE";
  EXPECT_TRUE(cancelled);
}

TEST_F(SquareOffE2eTest, StopKnownFromStoredUpdatesIsCancelledBeforeItsExit) {
  StartBasicSim();
  AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -75, 95.5);
  AddPosition("NFO", "NIFTY26DEC24000CE", "NRML", 75, 120);
  MakeEngine();
  const std::string stop = PlaceStop();
  // The subscriber stored the stop's order update (WebSocket), so the engine knows it at once.
  auto db = TradingDb::Open(dir_ / "zerodha_trading.db", /*read_only=*/false);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  auto book = Drive(api_->GetOrders());
  ASSERT_TRUE(book && book->ok());
  for (const auto& order : **book) {
    ASSERT_TRUE((*db)->InsertOrderUpdate(order, ToEpochMs(clock_.Now())).ok());
  }
  engine_->set_trading_db(db->get());
  auto outcome = SquareOff();
  ASSERT_TRUE(outcome.ok() && outcome->flat) << outcome.status().ToString();
  auto log = harness_->OrderLog();
  int delete_at = -1, pe_post_at = -1;
  for (size_t i = 0; i < log.size(); ++i) {
    if (log[i]["method"] == "DELETE" &&
        log[i]["path"].get<std::string>().find(stop) != std::string::npos)
      delete_at = static_cast<int>(i);
    if (log[i]["method"] == "POST" && log[i]["params"]["tradingsymbol"] == "NIFTY26DEC24000PE" &&
        log[i]["params"].value("tag", "").rfind("ZM", 0) == 0 && pe_post_at < 0)
      pe_post_at = static_cast<int>(i);
  }
  ASSERT_GE(delete_at, 0) << Json(log).dump();
  ASSERT_GE(pe_post_at, 0);
  EXPECT_LT(delete_at, pe_post_at) << "the stop is cancelled before its instrument's exit";
  ExpectFlatAndNoDuplicateTags();
}

TEST_F(SquareOffE2eTest, StopSeenOnlyInTheBookIsCancelledRightAfterTheExits) {
  StartBasicSim();
  AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -75, 95.5);
  MakeEngine();
  const std::string stop = PlaceStop();
  auto outcome = SquareOff();
  ASSERT_TRUE(outcome.ok() && outcome->flat) << outcome.status().ToString();
  bool cancelled = false;
  for (auto& r : harness_->OrderLog()) {
    cancelled = cancelled || (r["method"] == "DELETE" &&
                              r["path"].get<std::string>().find(stop) != std::string::npos);
  }
  EXPECT_TRUE(cancelled);
  ExpectFlatAndNoDuplicateTags();
}

TEST_F(SquareOffE2eTest, MeasureTwentyPositionsFortySlices) {
  StartSim(TwentyPositionScenario());
  SquareOffAndMeasureTwentyPositions("20 positions / 40 slices");
}

}  // namespace
}  // namespace zm::monitor
