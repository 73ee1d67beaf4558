// RunMachine through whole square-offs on virtual time (virtual_broker.h): the money rules hold
// under every fault the real OMS shows; a seeded random soak runs many books and faults.
#include "mtm_monitor/squareoff/run_machine.h"

#include <gtest/gtest.h>

#include <random>

#include "virtual_broker.h"

namespace zm::monitor {
namespace {

using std::chrono::milliseconds;
using testing::VirtualBroker;
using testing::VirtualInstrument;
using testing::VirtualRun;

constexpr const char* kPe = "NFO:NIFTY26DEC24000PE:NRML";
constexpr const char* kCe = "NFO:NIFTY26DEC24000CE:NRML";
constexpr const char* kBank = "NFO:BANKNIFTY26DEC52000CE:NRML";
constexpr const char* kStock = "NFO:SBIN26DEC800CE:NRML";

RunPolicy Policy() {
  RunPolicy p;
  p.slice.retry_delay = milliseconds(100);
  p.slice.absence_window = milliseconds(10000);
  p.lag_max_ms = 5000;
  p.run_timeout = std::chrono::seconds(120);
  return p;
}

class RunMachineTest : public ::testing::Test {
 protected:
  RunMachineTest() : facts_({{"NIFTY", 1800}}, {{"NFO", {{"BANKNIFTY", 900}}}}) {
    broker_.AddInstrument({"NFO", "NIFTY26DEC24000PE", "NIFTY", 75, 1800});
    broker_.AddInstrument({"NFO", "NIFTY26DEC24000CE", "NIFTY", 75, 1800});
    broker_.AddInstrument({"NFO", "BANKNIFTY26DEC52000CE", "BANKNIFTY", 35, 900});
    broker_.AddInstrument({"NFO", "SBIN26DEC800CE", "SBIN", 750, 6000, true});
    AddDump("NIFTY26DEC24000PE", "NIFTY", 75);
    AddDump("NIFTY26DEC24000CE", "NIFTY", 75);
    AddDump("BANKNIFTY26DEC52000CE", "BANKNIFTY", 35);
    setup_.squareoff.id = 1;
    setup_.squareoff.trading_date = "2026-11-26";
  }

  void AddDump(const std::string& symbol, const std::string& name, long long lot) {
    kite::Instrument row;
    row.exchange = "NFO";
    row.tradingsymbol = symbol;
    row.name = name;
    row.lot_size = lot;
    facts_.AddDumpRow(row);
  }

  // Runs one square-off to its end and checks the money rules.
  void RunToEnd(const RunPolicy& policy = Policy(), bool expect_flat = true) {
    machine_ = std::make_unique<RunMachine>(setup_, policy, &facts_, Instant{});
    run_ = std::make_unique<VirtualRun>(broker_, *machine_);
    ASSERT_TRUE(run_->Run()) << "did not finish";
    EXPECT_EQ(broker_.tag_sent_twice(), 0);
    if (expect_flat) {
      EXPECT_EQ(machine_->squareoff().outcome, "flat") << machine_->squareoff().summary;
      for (const auto& [key, qty] : broker_.truth()) EXPECT_EQ(qty, 0) << key;
    }
  }

  int Refusals(const std::string& needle) const {
    int n = 0;
    for (const auto& [tag, row] : run_->journal) n += row.error.find(needle) != std::string::npos;
    return n;
  }

  VirtualBroker broker_;
  FactsBook facts_;
  RunSetup setup_;
  std::unique_ptr<RunMachine> machine_;
  std::unique_ptr<VirtualRun> run_;
};

TEST_F(RunMachineTest, NothingOpenFinishesFlatWithoutAnOrder) {
  RunToEnd();
  EXPECT_TRUE(broker_.placed_tags.empty());
}

TEST_F(RunMachineTest, MixedBookShortsFirstInLotSlicesWithinFreeze) {
  broker_.SetPosition(kPe, -3750);
  broker_.SetPosition(kCe, 150);
  broker_.SetPosition(kBank, -1050);
  RunToEnd();
  ASSERT_EQ(broker_.placed_tags.size(), 6u);
  // The two shorts' five BUY slices go before the long's SELL.
  const auto& last = run_->journal.at(broker_.placed_tags.back());
  EXPECT_EQ(last.transaction_type, "SELL");
  for (const auto& [tag, row] : run_->journal) {
    EXPECT_LE(row.quantity, row.tradingsymbol.rfind("BANK", 0) == 0 ? 900 : 1800);
  }
  EXPECT_EQ(broker_.overshoot(), 0);
}

TEST_F(RunMachineTest, PositionsLaggingFillsNeverCloseTwice) {
  broker_.SetPosition(kPe, -3750);
  broker_.SetPosition(kBank, -1050);
  broker_.positions_lag_ms = 2000;
  RunToEnd();
  EXPECT_EQ(broker_.placed_tags.size(), 5u);
  EXPECT_EQ(broker_.overshoot(), 0);
}

TEST_F(RunMachineTest, LotSizeMissingFromTheDumpIsLearntFromTheRefusal) {
  // The dump has no usable row (index rows, or a contract it lacks): lot size unknown.
  facts_ = FactsBook({}, {{"NFO", {{"BANKNIFTY", 900}}}});
  broker_.SetPosition(kBank, -1050);
  RunToEnd();
  // Both first slices (900 + 150, cut by lot 1) were refused; nothing else was.
  EXPECT_EQ(Refusals("Lot size for this instrument is 35"), 2);
  EXPECT_EQ(facts_.Resolve("NFO", "BANKNIFTY26DEC52000CE").lot_size, 35);
  EXPECT_EQ(broker_.overshoot(), 0);
}

TEST_F(RunMachineTest, UnknownFreezeLimitIsLearntFromTheRefusalText) {
  kite::Instrument row;
  row.exchange = "NFO";
  row.tradingsymbol = "SBIN26DEC800CE";
  row.name = "SBIN";
  row.lot_size = 750;
  facts_.AddDumpRow(row);
  broker_.SetPosition(kStock, 15000);
  RunToEnd();
  EXPECT_EQ(Refusals("maximum quantity of 6000"), 1);
  EXPECT_EQ(facts_.Resolve("NFO", "SBIN26DEC800CE").freeze_quantity, 6000);
  // MARKET is blocked on stock options: LIMITs after the first refusal.
  int limits = 0;
  for (const auto& [tag, r] : run_->journal)
    limits += r.order_type == "LIMIT" && r.filled_quantity > 0;
  EXPECT_EQ(limits, 3);  // 6000 + 6000 + 3000
}

TEST_F(RunMachineTest, TimeoutAfterCreateIsReconciledNeverResent) {
  broker_.SetPosition(kPe, -150);
  broker_.timeouts_after_create = 1;
  RunToEnd();
  EXPECT_EQ(broker_.placed_tags.size(), 1u);
}

TEST_F(RunMachineTest, TimeoutWithoutCreateIsReplannedFromPositionsAfterTheWindow) {
  broker_.SetPosition(kPe, -150);
  broker_.timeouts_without_create = 1;
  RunToEnd();
  EXPECT_EQ(broker_.placed_tags.size(), 1u);
  EXPECT_GE(run_->now_ms(), 10000) << "not re-sent before the absence window";
}

TEST_F(RunMachineTest, OrderCreatedAfterTheWindowIsCancelledOrAccountedAndTheBookEndsFlat) {
  broker_.SetPosition(kPe, -150);
  broker_.timeouts_without_create = 1;
  broker_.late_create_ms = 15000;  // after the 10 s window, after the re-plan
  broker_.fill_delay_ms = 40;
  RunToEnd();
  // The late order filled beside the re-planned one (the rare case the window exists for);
  // its fills were accounted and the overshoot closed back.
  for (const auto& [key, qty] : broker_.truth()) EXPECT_EQ(qty, 0) << key;
}

TEST_F(RunMachineTest, FailingOrderBookNeverDelaysTheFirstExit) {
  broker_.SetPosition(kPe, -150);
  broker_.fail_book_reads = 6;
  RunToEnd();
  ASSERT_TRUE(run_->first_place_ms.has_value());
  EXPECT_LE(*run_->first_place_ms, 100) << "positions read + plan, no book read in between";
}

TEST_F(RunMachineTest, StoredOpenStopIsCancelledBeforeTheExitOfItsInstrument) {
  broker_.SetPosition(kPe, -75);
  broker_.SetPosition(kCe, 75);
  const std::string stop = broker_.AddTraderOrder(kPe, "BUY", 75, /*fill_at_ms=*/400);
  kite::Order known;
  known.order_id = stop;
  known.exchange = "NFO";
  known.tradingsymbol = "NIFTY26DEC24000PE";
  known.product = "NRML";
  known.transaction_type = "BUY";
  known.quantity = 75;
  known.status = "TRIGGER PENDING";
  setup_.known_orders = {known};
  RunToEnd();
  EXPECT_EQ(broker_.cancels_of_trader_orders, 1);
  EXPECT_EQ(broker_.overshoot(), 0) << "the stop never filled beside the exit";
  // The other instrument did not wait: its exit went first.
  EXPECT_EQ(run_->journal.at(broker_.placed_tags.front()).tradingsymbol, "NIFTY26DEC24000CE");
}

TEST_F(RunMachineTest, OrdersFoundInTheBookAreCancelledOnceEvenAcrossSquareOffs) {
  broker_.SetPosition(kPe, -75);
  const std::string stop = broker_.AddTraderOrder(kCe, "SELL", 75, /*fill_at_ms=*/-1);
  RunToEnd();
  EXPECT_EQ(broker_.cancels_of_trader_orders, 1);
  EXPECT_TRUE(run_->cancelled_trader_orders.count(stop));
  // The next square-off of the day (a position opened after the lock, and a new order with it)
  // cancels the new order once and leaves the first alone, whatever its state.
  setup_.cancelled_before = {stop};
  setup_.squareoff.id = 2;
  broker_.SetPosition(kPe, -75);
  const std::string second = broker_.AddTraderOrder(kCe, "SELL", 75, /*fill_at_ms=*/-1);
  RunToEnd();
  EXPECT_EQ(broker_.cancels_of_trader_orders, 2);
  EXPECT_TRUE(run_->cancelled_trader_orders.count(second));
  EXPECT_FALSE(run_->cancelled_trader_orders.count(stop));
}

TEST_F(RunMachineTest, RestingMarketIsReplacedAsLimit) {
  broker_.SetPosition(kPe, -75);
  broker_.rest_market = true;
  RunToEnd();
  ASSERT_EQ(broker_.placed_tags.size(), 2u);
  EXPECT_EQ(run_->journal.at(broker_.placed_tags[1]).order_type, "LIMIT");
}

TEST_F(RunMachineTest, ResumedUnknownOrderAtTheBrokerIsNotDuplicated) {
  broker_.SetPosition(kPe, -150);
  JournaledOrder row;
  row.tag = MakeTag(1, 0, 0);
  row.squareoff_id = 1;
  row.round = 1;
  row.exchange = "NFO";
  row.tradingsymbol = "NIFTY26DEC24000PE";
  row.product = "NRML";
  row.transaction_type = "BUY";
  row.quantity = 150;
  row.state = order_state::kJournaled;
  // The killed monitor's POST reached the broker.
  broker_.timeouts_after_create = 1;
  broker_.Place(row, 0);
  setup_.day_rows = {row};
  RunToEnd();
  EXPECT_EQ(broker_.placed_tags.size(), 1u);
}

TEST_F(RunMachineTest, ResumedUnknownOrderThatNeverArrivedIsPlannedAgainSafely) {
  broker_.SetPosition(kPe, -150);
  JournaledOrder row;
  row.tag = MakeTag(1, 0, 0);
  row.squareoff_id = 1;
  row.exchange = "NFO";
  row.tradingsymbol = "NIFTY26DEC24000PE";
  row.product = "NRML";
  row.transaction_type = "BUY";
  row.quantity = 150;
  row.state = order_state::kJournaled;
  setup_.day_rows = {row};
  setup_.ledger = {{"2026-11-26", kPe, -150, 0, 0}};
  RunToEnd();
  EXPECT_EQ(broker_.placed_tags.size(), 1u);
  EXPECT_EQ(broker_.overshoot(), 0);
}

TEST_F(RunMachineTest, DryRunJournalsThePlanAndSendsNothing) {
  broker_.SetPosition(kPe, -3750);
  RunPolicy policy = Policy();
  policy.dry_run = true;
  RunToEnd(policy, /*expect_flat=*/false);
  EXPECT_EQ(machine_->squareoff().outcome, "dry_run");
  EXPECT_TRUE(broker_.placed_tags.empty());
  int dry = 0;
  for (const auto& [tag, row] : run_->journal)
    dry += row.state == std::string(order_state::kDryRun);
  EXPECT_EQ(dry, 3);
}

// Many random books and faults, each seed replayable: flat, no tag twice, never over-closed.
TEST_F(RunMachineTest, RandomBooksAndFaultsSoak) {
  for (int seed = 1; seed <= 300; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    std::mt19937 rng(seed);
    auto pick = [&](int n) { return static_cast<int>(rng() % n); };
    broker_ = VirtualBroker();
    broker_.AddInstrument({"NFO", "NIFTY26DEC24000PE", "NIFTY", 75, 1800});
    broker_.AddInstrument({"NFO", "NIFTY26DEC24000CE", "NIFTY", 75, 1800});
    broker_.AddInstrument({"NFO", "BANKNIFTY26DEC52000CE", "BANKNIFTY", 35, 900});
    const char* keys[] = {kPe, kCe, kBank};
    const long long lots[] = {75, 75, 35};
    for (int k = 0; k < 3; ++k) {
      const long long qty = (pick(60) - 30) * lots[k];
      broker_.SetPosition(keys[k], qty);
    }
    broker_.positions_lag_ms = pick(3) * 1000;
    broker_.fail_book_reads = pick(4);
    broker_.fail_positions_reads = pick(3);
    broker_.timeouts_after_create = pick(3);
    broker_.timeouts_without_create = pick(2);
    broker_.book_delay_ms = pick(2) * 1500;
    broker_.rest_market = pick(4) == 0;
    setup_.squareoff.id = seed;
    setup_.day_rows.clear();
    setup_.ledger.clear();
    RunToEnd();
    EXPECT_EQ(broker_.overshoot(), 0);
    if (HasFailure()) break;
  }
}

}  // namespace
}  // namespace zm::monitor
