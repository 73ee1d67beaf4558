// SquareOffEngine tracking from the WebSocket order updates the subscriber stores in
// zerodha_trading.db: a terminal update ends the wait for one of our orders even while the order
// book (FakeKite, made to lag here) still shows it OPEN; non-terminal and foreign updates change
// nothing (the book stays the truth and the fallback).
#include <gtest/gtest.h>

#include <filesystem>

#include "common/trading_db.h"
#include "engine_fake_kite.h"
#include "engine_test_util.h"

namespace zm::monitor {
namespace {

using testing::PlaceScript;

constexpr const char* kPeKey = "NFO:NIFTY26DEC24000PE:NRML";

class EngineUpdatesTest : public EngineFixture {
 protected:
  void SetUp() override {
    path_ = std::filesystem::path(::testing::TempDir()) /
            ("engine_updates_" + std::string(::testing::UnitTest::GetInstance()
                                                 ->current_test_info()
                                                 ->name()) +
             ".db");
    std::filesystem::remove(path_);
    auto db = TradingDb::Open(path_, /*read_only=*/false);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    trading_db_ = std::move(*db);
    kite_.AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -150);
    kite_.rest_orders = true;  // the book never shows a fill by itself
    // Polling alone would never see these orders end; resting orders are left alone.
    tuning_.poll_interval = std::chrono::milliseconds(20);
    tuning_.rest_timeout = std::chrono::seconds(60);
    tuning_.round_timeout = std::chrono::milliseconds(1500);
    NewEngine();
    engine_->set_trading_db(trading_db_.get());
  }
  void TearDown() override {
    trading_db_.reset();
    std::filesystem::remove(path_);
  }
  // What the subscriber stores when the exchange fills `order` (the book not showing it yet);
  // the broker's positions do show the fill.
  void FillOnTheWebSocket(const kite::Order& order) {
    kite::Order filled = order;
    filled.status = "COMPLETE";
    filled.filled_quantity = order.quantity;
    filled.pending_quantity = 0;
    filled.average_price = 100;
    ASSERT_TRUE(trading_db_->InsertOrderUpdate(filled, 1).ok());
    kite_.positions[kPeKey].quantity += order.quantity;
  }
  std::vector<JournaledOrder> Journal() {
    JournalStore journal(db_);
    auto rows = journal.OrdersOf(1);
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? *rows : std::vector<JournaledOrder>{};
  }

  std::filesystem::path path_;
  std::unique_ptr<TradingDb> trading_db_;
};

TEST_F(EngineUpdatesTest, TerminalUpdateEndsTheWaitWhileTheBookLags) {
  kite_.on_create = [&](kite::Order& order) { FillOnTheWebSocket(order); };
  auto outcome = RunSquareOff();
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_TRUE(outcome->flat) << outcome->summary;
  EXPECT_EQ(kite_.placed.size(), 1u);
  EXPECT_TRUE(kite_.cancelled.empty());
  auto rows = Journal();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].state, order_state::kComplete);
  EXPECT_EQ(rows[0].filled_quantity, 150);
  EXPECT_EQ(rows[0].order_id, kite_.book.at(0).order_id);
}

TEST_F(EngineUpdatesTest, OutcomeUnknownPostResolvedByItsTagOnTheWebSocket) {
  kite_.place_script = {PlaceScript::kTimeoutAfterCreate};
  kite_.on_create = [&](kite::Order& order) { FillOnTheWebSocket(order); };
  auto outcome = RunSquareOff();
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_TRUE(outcome->flat) << outcome->summary;
  ASSERT_EQ(kite_.placed.size(), 1u);  // never re-sent
  auto rows = Journal();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].state, order_state::kComplete);
}

TEST_F(EngineUpdatesTest, NonTerminalAndForeignUpdatesChangeNothing) {
  kite_.on_create = [&](kite::Order& order) {
    ASSERT_TRUE(trading_db_->InsertOrderUpdate(order, 1).ok());  // OPEN: ours, not final
    kite::Order foreign = order;
    foreign.order_id = "someone_else";
    foreign.tag = "manual";
    foreign.status = "COMPLETE";
    foreign.filled_quantity = order.quantity;
    ASSERT_TRUE(trading_db_->InsertOrderUpdate(foreign, 2).ok());
  };
  auto outcome = RunSquareOff();
  ASSERT_FALSE(outcome.ok());  // still OPEN in the book when the round times out
  EXPECT_EQ(kite_.placed.size(), 1u);
  EXPECT_EQ(kite_.positions[kPeKey].quantity, -150);
  auto rows = Journal();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].state, order_state::kPlaced);
}

// A CANCELLED on the WebSocket never causes a re-send by itself: while the book still shows the
// order OPEN, nothing else is sent (the round times out instead).
TEST_F(EngineUpdatesTest, CancelledOnTheWebSocketAloneNeverCausesAResend) {
  kite_.on_create = [&](kite::Order& order) {
    kite::Order cancelled = order;
    cancelled.status = "CANCELLED";
    ASSERT_TRUE(trading_db_->InsertOrderUpdate(cancelled, 1).ok());
  };
  auto outcome = RunSquareOff();
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(kite_.placed.size(), 1u);
  auto rows = Journal();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].state, order_state::kPlaced);
}

}  // namespace
}  // namespace zm::monitor
