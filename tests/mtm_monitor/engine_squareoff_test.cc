// SquareOffEngine against FakeKite: order, slicing, exactly-once under timeouts/5xx/429,
// LIMIT fallback, re-pricing, partial fills, stop-loss cancel, dry run, verify rounds.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <set>

#include "engine_fake_kite.h"
#include "engine_test_util.h"
#include "mtm_monitor/tags.h"

namespace zm::monitor {
namespace {

using testing::PlaceScript;

class EngineTest : public EngineFixture {};

TEST_F(EngineTest, ClosesMixedBookShortsFirstFreezeSlicesSameProducts) {
  kite_.AddPosition("NFO", "NIFTY26DEC24000CE", "NRML", 75);
  kite_.AddPosition("NFO", "NIFTY26DEC24000PE", "MIS", -3750);
  kite_.AddPosition("NSE", "SBIN", "CNC", -10);
  auto outcome = RunSquareOff();
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_TRUE(outcome->flat);
  EXPECT_EQ(kite_.NetQuantity(), 0);
  ASSERT_EQ(kite_.placed.size(), 5u);
  std::vector<long long> quantities;
  std::set<std::string> tags;
  for (size_t i = 0; i < 5; ++i) {
    const auto& r = kite_.placed[i];
    quantities.push_back(r.quantity);
    tags.insert(r.tag);
    EXPECT_EQ(r.order_type, "MARKET");
    EXPECT_EQ(r.market_protection, -1);
    EXPECT_EQ(r.transaction_type, i < 4 ? "BUY" : "SELL") << i;
    EXPECT_TRUE(ParseTag(r.tag)) << r.tag;
  }
  EXPECT_EQ(tags.size(), 5u);
  EXPECT_EQ(quantities, (std::vector<long long>{1800, 1800, 150, 10, 75}));
  EXPECT_EQ(kite_.placed[0].product, "MIS");
  EXPECT_EQ(kite_.placed[3].product, "CNC");
  EXPECT_EQ(kite_.placed[4].product, "NRML");
  auto json = engine_->DaySquareOffsJson(kDate);
  ASSERT_TRUE(json.ok());
  ASSERT_EQ(json->size(), 1u);
  EXPECT_EQ((*json)[0]["outcome"], "flat");
  EXPECT_EQ((*json)[0]["orders"].size(), 5u);
  EXPECT_EQ((*json)[0]["orders"][0]["status"], "COMPLETE");
}

TEST_F(EngineTest, CancelsPendingStopLossBeforeFirstOrder) {
  kite_.AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -75);
  kite_.AddOpenOrder("TRIGGER PENDING", "NIFTY26DEC24000PE");
  kite_.AddOpenOrder("OPEN", "NIFTY26DEC24100PE");
  auto outcome = RunSquareOff();
  ASSERT_TRUE(outcome.ok() && outcome->flat);
  ASSERT_GE(kite_.events.size(), 3u);
  EXPECT_EQ(kite_.events[0], "cancel:manual0");
  EXPECT_EQ(kite_.events[1], "cancel:manual1");
  EXPECT_EQ(kite_.events[2].substr(0, 6), "place:");
}

TEST_F(EngineTest, TimeoutAfterCreateIsReconciledNotResent) {
  kite_.AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -150);
  kite_.place_script = {PlaceScript::kTimeoutAfterCreate};
  auto outcome = RunSquareOff();
  ASSERT_TRUE(outcome.ok() && outcome->flat) << outcome.status().ToString();
  EXPECT_EQ(kite_.placed.size(), 1u);
  EXPECT_EQ(kite_.NetQuantity(), 0);
}

TEST_F(EngineTest, TimeoutWithoutCreateResentOnlyAfterBookProof) {
  kite_.AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -150);
  kite_.place_script = {PlaceScript::kTimeoutNoCreate};
  auto outcome = RunSquareOff();
  ASSERT_TRUE(outcome.ok() && outcome->flat);
  ASSERT_EQ(kite_.placed.size(), 2u);
  EXPECT_NE(kite_.placed[0].tag, kite_.placed[1].tag);
  EXPECT_EQ(ParseTag(kite_.placed[1].tag)->attempt, 1);
  EXPECT_EQ(kite_.NetQuantity(), 0);
}

TEST_F(EngineTest, ServiceUnavailableThenSuccess) {
  kite_.AddPosition("NFO", "NIFTY26DEC24000CE", "NRML", 75);
  kite_.place_script = {PlaceScript::kHttp503, PlaceScript::kHttp503};
  auto outcome = RunSquareOff();
  ASSERT_TRUE(outcome.ok() && outcome->flat);
  EXPECT_EQ(kite_.placed.size(), 3u);
  EXPECT_EQ(kite_.NetQuantity(), 0);
}

TEST_F(EngineTest, RateLimitedIsPacedOut) {
  kite_.AddPosition("NFO", "NIFTY26DEC24000CE", "NRML", 75);
  kite_.AddPosition("NFO", "NIFTY26DEC24100CE", "NRML", 75);
  kite_.place_script = {PlaceScript::kRateLimited, PlaceScript::kRateLimited};
  auto outcome = RunSquareOff();
  ASSERT_TRUE(outcome.ok() && outcome->flat);
  EXPECT_EQ(kite_.placed.size(), 4u);
  EXPECT_EQ(kite_.NetQuantity(), 0);
}

TEST_F(EngineTest, MarketRefusedFallsBackToMarketableLimit) {
  kite_.AddPosition("NFO", "INFY26DEC1500CE", "NRML", -400);
  kite_.market_blocked = {"INFY26DEC1500CE"};
  auto outcome = RunSquareOff();
  ASSERT_TRUE(outcome.ok() && outcome->flat);
  ASSERT_EQ(kite_.placed.size(), 2u);
  EXPECT_EQ(kite_.placed[0].order_type, "MARKET");
  EXPECT_EQ(kite_.placed[1].order_type, "LIMIT");
  EXPECT_DOUBLE_EQ(kite_.placed[1].price, 100.5);  // LTP 100 + 0.5 %, on the 0.05 grid
  EXPECT_EQ(kite_.placed[1].market_protection, 0);
}

TEST_F(EngineTest, RestingLimitIsRepriced) {
  kite_.AddPosition("NFO", "INFY26DEC1500CE", "NRML", 400);
  kite_.market_blocked = {"INFY26DEC1500CE"};
  kite_.rest_orders = true;
  kite_.fill_on_modify = true;
  auto outcome = RunSquareOff();
  ASSERT_TRUE(outcome.ok() && outcome->flat);
  EXPECT_EQ(kite_.placed.size(), 2u);
  EXPECT_GE(kite_.modified.size(), 1u);
  EXPECT_EQ(kite_.NetQuantity(), 0);
}

TEST_F(EngineTest, PartialFillRemainderClosed) {
  kite_.AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -150);
  kite_.partial_fraction = 0.5;
  kite_.partial_orders = 1;
  auto outcome = RunSquareOff();
  ASSERT_TRUE(outcome.ok() && outcome->flat) << outcome.status().ToString();
  EXPECT_EQ(kite_.NetQuantity(), 0);
  ASSERT_EQ(kite_.placed.size(), 2u);
  EXPECT_EQ(kite_.placed[1].quantity, 75);  // only the remainder
  EXPECT_EQ(kite_.cancelled.size(), 1u);
}

TEST_F(EngineTest, LaggingPositionsNeverCloseTwice) {
  kite_.AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -150);
  kite_.stale_snapshot = kite_.positions;
  kite_.stale_from = 2;  // every read after the planning read shows the old book, 3 times
  kite_.stale_count = 3;
  auto outcome = RunSquareOff();
  ASSERT_TRUE(outcome.ok() && outcome->flat);
  EXPECT_EQ(kite_.placed.size(), 1u);
  EXPECT_EQ(kite_.NetQuantity(), 0);
}

TEST_F(EngineTest, DryRunSendsNothing) {
  config_.risk_management.dry_run = true;
  kite_.AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -3750);
  kite_.AddOpenOrder("TRIGGER PENDING", "NIFTY26DEC24000PE");
  auto outcome = RunSquareOff();
  ASSERT_TRUE(outcome.ok());
  EXPECT_TRUE(outcome->dry_run);
  EXPECT_FALSE(outcome->flat);
  EXPECT_TRUE(kite_.events.empty());
  auto json = engine_->DaySquareOffsJson(kDate);
  ASSERT_TRUE(json.ok());
  EXPECT_EQ((*json)[0]["outcome"], "dry_run");
  ASSERT_EQ((*json)[0]["orders"].size(), 3u);
  EXPECT_EQ((*json)[0]["orders"][0]["status"], "dry_run");
}

TEST_F(EngineTest, PersistentRefusalEndsInFailureNamingWhatRemains) {
  config_.risk_management.max_order_retries = 1;
  config_.risk_management.max_verify_rounds = 2;
  kite_.AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -75);
  for (int i = 0; i < 20; ++i) kite_.place_script.push_back(PlaceScript::kInputError);
  auto outcome = RunSquareOff();
  ASSERT_TRUE(outcome.ok());
  EXPECT_FALSE(outcome->flat);
  ASSERT_EQ(outcome->remaining.size(), 1u);
  EXPECT_EQ(outcome->remaining[0], "NFO:NIFTY26DEC24000PE NRML -75");
  EXPECT_EQ(kite_.placed.size(), 4u);  // 2 rounds x (1 + 1 retry)
}

TEST_F(EngineTest, BusyWhileRunningAndRefusesOverlap) {
  kite_.AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -75);
  EXPECT_FALSE(engine_->busy());
  auto outcome = RunSquareOff();
  ASSERT_TRUE(outcome.ok() && outcome->flat);
  EXPECT_FALSE(engine_->busy());
}

}  // namespace
}  // namespace zm::monitor
