// Crash-resume of the square-off engine: a journal left at each step of a square-off is
// finished by a new engine without any order being sent twice.
#include <gtest/gtest.h>

#include <set>

#include "engine_test_util.h"
#include "mtm_monitor/planner.h"
#include "mtm_monitor/squareoff_util.h"
#include "mtm_monitor/tags.h"

namespace zm::monitor {
namespace {

class EngineResumeTest : public EngineFixture {
 protected:
  EngineResumeTest() : journal_(db_) {}

  // A square-off "running" in round 1, as a killed monitor leaves it.
  JournaledSquareOff StartJournal() {
    JournaledSquareOff so;
    so.trading_date = kDate;
    so.reason = "loss";
    so.started_at_ms = ToEpochMs(clock_.Now());
    auto id = journal_.CreateSquareOff(so);
    EXPECT_TRUE(id.ok());
    so.id = *id;
    so.rounds = 1;
    EXPECT_TRUE(journal_.UpdateSquareOff(so).ok());
    return so;
  }

  JournaledOrder Row(const JournaledSquareOff& so, int slice, long long qty, std::string side) {
    PlannedSlice plan{"NFO", "NIFTY26DEC24000PE", "NRML", std::move(side), qty, 1, 0.05, 0, ""};
    return NewRow(so, plan, slice, 0, qty, false, config_, ToEpochMs(clock_.Now()));
  }

  // Sends a row to the fake broker as the killed monitor did, then forgets the calls.
  std::string SendBeforeCrash(const JournaledOrder& row) {
    auto id = RunBounded(kite_.PlaceOrder(ToOrderRequest(row)));
    EXPECT_TRUE(id && id->ok());
    kite_.placed.clear();
    kite_.events.clear();
    return id && id->ok() ? **id : "";
  }

  long long PlacedQuantity() const {
    long long total = 0;
    for (const auto& r : kite_.placed) total += r.quantity;
    return total;
  }

  JournalStore journal_;
};

TEST_F(EngineResumeTest, NothingToResume) {
  auto resumed = Resume();
  ASSERT_TRUE(resumed.ok());
  EXPECT_FALSE(resumed->has_value());
  EXPECT_TRUE(kite_.events.empty());
}

TEST_F(EngineResumeTest, KilledAfterTheSquareOffRowBeforeAnyOrder) {
  kite_.AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -150);
  JournaledSquareOff so = StartJournal();
  so.rounds = 0;
  ASSERT_TRUE(journal_.UpdateSquareOff(so).ok());
  auto resumed = Resume();
  ASSERT_TRUE(resumed.ok() && resumed->has_value()) << resumed.status().ToString();
  EXPECT_TRUE((*resumed)->flat);
  EXPECT_EQ((*resumed)->squareoff_id, so.id);
  EXPECT_EQ(kite_.placed.size(), 1u);
}

TEST_F(EngineResumeTest, KilledAfterJournalingBeforeSending) {
  kite_.AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -150);
  JournaledSquareOff so = StartJournal();
  JournaledOrder row = Row(so, 0, 150, "BUY");
  ASSERT_TRUE(journal_.InsertOrders({row}).ok());
  auto resumed = Resume();
  ASSERT_TRUE(resumed.ok() && resumed->has_value());
  EXPECT_TRUE((*resumed)->flat);
  EXPECT_EQ(kite_.PlacedWithTag(row.tag), 0);  // proven absent, never re-sent under its tag
  EXPECT_EQ(PlacedQuantity(), 150);
  EXPECT_EQ(kite_.NetQuantity(), 0);
  auto rows = journal_.OrdersOf(so.id);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].state, order_state::kNotSent);
}

TEST_F(EngineResumeTest, KilledAfterSendingBeforeJournalingTheAnswer) {
  kite_.AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -150);
  JournaledSquareOff so = StartJournal();
  JournaledOrder row = Row(so, 0, 150, "BUY");
  ASSERT_TRUE(journal_.InsertOrders({row}).ok());
  SendBeforeCrash(row);  // filled at the broker; the journal still says "journaled"
  auto resumed = Resume();
  ASSERT_TRUE(resumed.ok() && resumed->has_value());
  EXPECT_TRUE((*resumed)->flat);
  EXPECT_TRUE(kite_.placed.empty());
  auto rows = journal_.OrdersOf(so.id);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].state, order_state::kComplete);
}

TEST_F(EngineResumeTest, OrderBookUnreadableAtFirstStillNoDuplicate) {
  kite_.AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -150);
  JournaledSquareOff so = StartJournal();
  JournaledOrder row = Row(so, 0, 150, "BUY");
  ASSERT_TRUE(journal_.InsertOrders({row}).ok());
  SendBeforeCrash(row);
  kite_.orders_failures = 5;
  auto resumed = Resume();
  ASSERT_TRUE(resumed.ok() && resumed->has_value());
  EXPECT_TRUE((*resumed)->flat);
  EXPECT_TRUE(kite_.placed.empty());
}

TEST_F(EngineResumeTest, KilledWhileAnOrderRested) {
  kite_.AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -150);
  JournaledSquareOff so = StartJournal();
  JournaledOrder row = Row(so, 0, 150, "BUY");
  kite_.rest_orders = true;
  row.order_id = SendBeforeCrash(row);
  row.state = order_state::kPlaced;
  ASSERT_TRUE(journal_.InsertOrders({row}).ok());
  kite_.rest_orders = false;
  auto resumed = Resume();
  ASSERT_TRUE(resumed.ok() && resumed->has_value());
  EXPECT_TRUE((*resumed)->flat);
  ASSERT_EQ(kite_.cancelled.size(), 1u);
  EXPECT_EQ(kite_.cancelled[0], row.order_id);
  EXPECT_EQ(kite_.PlacedWithTag(row.tag), 0);
  EXPECT_EQ(PlacedQuantity(), 150);
  EXPECT_EQ(kite_.NetQuantity(), 0);
}

TEST_F(EngineResumeTest, KilledMidRoundAfterSomeSlices) {
  kite_.AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -3750);
  JournaledSquareOff so = StartJournal();
  std::vector<JournaledOrder> rows = {Row(so, 0, 1800, "BUY"), Row(so, 1, 1800, "BUY"),
                                      Row(so, 2, 150, "BUY")};
  ASSERT_TRUE(journal_.InsertOrders(rows).ok());
  SendBeforeCrash(rows[0]);
  auto resumed = Resume();
  ASSERT_TRUE(resumed.ok() && resumed->has_value());
  EXPECT_TRUE((*resumed)->flat);
  for (const auto& r : rows) EXPECT_EQ(kite_.PlacedWithTag(r.tag), 0) << r.tag;
  EXPECT_EQ(PlacedQuantity(), 1950);  // exactly what was still open
  EXPECT_EQ(kite_.NetQuantity(), 0);
}

TEST_F(EngineResumeTest, RunContinuesTheUnfinishedSquareOff) {
  kite_.AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -150);
  JournaledSquareOff so = StartJournal();
  JournaledOrder row = Row(so, 0, 150, "BUY");
  ASSERT_TRUE(journal_.InsertOrders({row}).ok());
  SendBeforeCrash(row);
  auto outcome = RunSquareOff("locked");
  ASSERT_TRUE(outcome.ok() && outcome->flat);
  EXPECT_EQ(outcome->squareoff_id, so.id);
  EXPECT_TRUE(kite_.placed.empty());
  auto all = journal_.SquareOffsOn(kDate);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u);
}

}  // namespace
}  // namespace zm::monitor

namespace zm::monitor {
namespace {

// A real run killed right after the broker's answer to its N-th order, before journaling it.
class EngineKillTest : public EngineFixture, public ::testing::WithParamInterface<int> {};

TEST_P(EngineKillTest, KilledAfterEachSendResumesWithoutDuplicates) {
  kite_.AddPosition("NFO", "NIFTY26DEC24000PE", "NRML", -3750);  // 3 slices
  kite_.AddPosition("NFO", "NIFTY26DEC24000CE", "NRML", 75);     // 1 slice
  tuning_.simulate_crash_after_sends = GetParam();
  NewEngine();
  auto killed = RunSquareOff();
  ASSERT_FALSE(killed.ok());
  tuning_.simulate_crash_after_sends = 0;
  NewEngine();
  auto resumed = Resume();
  ASSERT_TRUE(resumed.ok() && resumed->has_value()) << resumed.status().ToString();
  EXPECT_TRUE((*resumed)->flat);
  EXPECT_EQ(kite_.NetQuantity(), 0);
  std::set<std::string> tags;
  for (const auto& r : kite_.placed) EXPECT_TRUE(tags.insert(r.tag).second) << r.tag;
  long long bought = 0, sold = 0;
  for (const auto& r : kite_.placed) (r.transaction_type == "BUY" ? bought : sold) += r.quantity;
  EXPECT_EQ(bought, 3750);
  EXPECT_EQ(sold, 75);
}

INSTANTIATE_TEST_SUITE_P(EachSend, EngineKillTest, ::testing::Values(1, 2, 3, 4));

}  // namespace
}  // namespace zm::monitor
