// RunMachine's scope: RunPolicy::excluded_keys (sales from holdings, exchanges outside their
// session) and RunPolicy::products are never planned, sent or waited for; the rest of the book
// is closed as usual and the run still ends "flat".
#include <gtest/gtest.h>

#include "mtm_monitor/squareoff/run_machine.h"
#include "virtual_broker.h"

namespace zm::monitor {
namespace {

using std::chrono::milliseconds;
using testing::VirtualBroker;
using testing::VirtualRun;

constexpr const char* kPe = "NFO:NIFTY26DEC24000PE:NRML";
constexpr const char* kSale = "NSE:INFY:CNC";  // 40 of 100 held shares sold today
constexpr const char* kIntraday = "NSE:INFY:MIS";
constexpr const char* kGold = "MCX:GOLDM26DECFUT:NRML";

class RunScopeTest : public ::testing::Test {
 protected:
  RunScopeTest() : facts_({{"NIFTY", 1800}}, {}) {
    broker_.AddInstrument({"NFO", "NIFTY26DEC24000PE", "NIFTY", 75, 1800});
    broker_.AddInstrument({"NSE", "INFY", "INFY", 1, 0});
    broker_.AddInstrument({"MCX", "GOLDM26DECFUT", "GOLDM", 1, 0});
    kite::Instrument row;
    row.exchange = "NFO";
    row.tradingsymbol = "NIFTY26DEC24000PE";
    row.name = "NIFTY";
    row.lot_size = 75;
    facts_.AddDumpRow(row);
    setup_.squareoff.id = 1;
    setup_.squareoff.trading_date = "2026-11-26";
    policy_.slice.retry_delay = milliseconds(100);
    policy_.lag_max_ms = 5000;
    broker_.SetPosition(kPe, -150);
    broker_.SetPosition(kSale, -40);
    broker_.SetPosition(kIntraday, 25);
    broker_.SetPosition(kGold, 2);
  }

  void RunToEnd() {
    machine_ = std::make_unique<RunMachine>(setup_, policy_, &facts_, Instant{});
    run_ = std::make_unique<VirtualRun>(broker_, *machine_);
    ASSERT_TRUE(run_->Run()) << "did not finish";
    EXPECT_EQ(broker_.tag_sent_twice(), 0);
    EXPECT_EQ(machine_->squareoff().outcome, "flat") << machine_->squareoff().summary;
  }

  int OrdersFor(const std::string& symbol) const {
    int n = 0;
    for (const auto& [tag, row] : run_->journal) n += row.tradingsymbol == symbol;
    return n;
  }

  VirtualBroker broker_;
  FactsBook facts_;
  RunSetup setup_;
  RunPolicy policy_;
  std::unique_ptr<RunMachine> machine_;
  std::unique_ptr<VirtualRun> run_;
};

TEST_F(RunScopeTest, ASaleFromHoldingsIsNeverBoughtBack) {
  policy_.excluded_keys = {kSale, "BSE:INFY:CNC"};
  RunToEnd();
  EXPECT_EQ(broker_.truth().at(kSale), -40);  // untouched
  EXPECT_EQ(broker_.truth().at(kPe), 0);
  EXPECT_EQ(broker_.truth().at(kIntraday), 0);  // the same symbol, intraday: closed
  EXPECT_EQ(broker_.truth().at(kGold), 0);
  for (const auto& [tag, row] : run_->journal) {
    EXPECT_FALSE(row.tradingsymbol == "INFY" && row.product == "CNC") << tag;
  }
}

TEST_F(RunScopeTest, AnExchangeOutsideItsSessionIsLeftForLater) {
  policy_.excluded_keys = {kSale, kPe, kIntraday};  // NSE and NFO closed, MCX open
  RunToEnd();
  EXPECT_EQ(OrdersFor("GOLDM26DECFUT"), 1);
  EXPECT_EQ(OrdersFor("NIFTY26DEC24000PE"), 0);
  EXPECT_EQ(OrdersFor("INFY"), 0);
  EXPECT_EQ(broker_.truth().at(kPe), -150);
}

TEST_F(RunScopeTest, ProductsLimitTheExits) {
  policy_.products = {"NRML"};
  policy_.excluded_keys = {kSale};
  RunToEnd();
  EXPECT_EQ(broker_.truth().at(kIntraday), 25);  // MIS is not guarded here
  EXPECT_EQ(broker_.truth().at(kPe), 0);
  EXPECT_EQ(broker_.truth().at(kGold), 0);
}

}  // namespace
}  // namespace zm::monitor
