// MtmCalc: price choice per position, fallbacks, never zero, snapshot staleness, rate gate.
#include <gtest/gtest.h>

#include "mtm_monitor/monitor.h"
#include "mtm_monitor/mtm_calc.h"

namespace zm::monitor {
namespace {

constexpr long long kNow = 1'800'000'000'000LL;

kite::Position Open(const std::string& sym, uint32_t token, long long qty, double avg,
                    double last_price) {
  kite::Position p;
  p.exchange = "NFO";
  p.tradingsymbol = sym;
  p.product = "NRML";
  p.instrument_token = token;
  p.quantity = qty;
  p.average_price = avg;
  p.last_price = last_price;
  if (qty > 0) {
    p.buy_quantity = qty;
    p.buy_value = qty * avg;
    p.buy_price = avg;
  } else {
    p.sell_quantity = -qty;
    p.sell_value = -qty * avg;
    p.sell_price = avg;
  }
  return p;
}

LtpRow Tick(uint32_t token, double price, long long age_ms) {
  LtpRow row;
  row.instrument_token = token;
  row.last_price = price;
  row.received_at_ms = kNow - age_ms;
  return row;
}

class MtmCalcTest : public ::testing::Test {
 protected:
  PricingContext Ctx() { return {&ltps_, &rest_, kNow, 10000}; }
  std::map<uint32_t, LtpRow> ltps_;
  RestQuotes rest_;
};

TEST_F(MtmCalcTest, FreshTickValuesThePosition) {
  std::vector<kite::Position> net = {Open("A", 11, 75, 100, 90)};
  ltps_[11] = Tick(11, 110, 500);
  MtmResult r = ComputeMtm(net, Ctx());
  EXPECT_DOUBLE_EQ(r.total, 750);  // 75 * (110 - 100)
  EXPECT_DOUBLE_EQ(r.unrealised, 750);
  EXPECT_EQ(r.rows[0].source, PriceSource::kTick);
  EXPECT_EQ(r.rows[0].age_ms, 500);
  EXPECT_TRUE(r.fallbacks.empty());
  EXPECT_EQ(r.open_positions, 1);
  EXPECT_TRUE(KeysNeedingRest(net, Ctx()).empty());
}

TEST_F(MtmCalcTest, ShortPositionPnl) {
  std::vector<kite::Position> net = {Open("S", 12, -50, 200, 0)};
  ltps_[12] = Tick(12, 210, 0);
  EXPECT_DOUBLE_EQ(ComputeMtm(net, Ctx()).total, -500);
}

TEST_F(MtmCalcTest, StaleTickFallsBackToFreshRestQuote) {
  std::vector<kite::Position> net = {Open("A", 11, 75, 100, 90)};
  ltps_[11] = Tick(11, 110, 10000);  // exactly the threshold: stale
  EXPECT_EQ(KeysNeedingRest(net, Ctx()), std::vector<std::string>{"NFO:A"});
  rest_["NFO:A"] = {120, kNow - 200};
  MtmResult r = ComputeMtm(net, Ctx());
  EXPECT_DOUBLE_EQ(r.total, 1500);
  EXPECT_EQ(r.rows[0].source, PriceSource::kRest);
  ASSERT_EQ(r.fallbacks.size(), 1u);
  EXPECT_EQ(r.fallbacks[0], "NFO:A priced from REST quote");
}

TEST_F(MtmCalcTest, MissingTickAndOldQuoteFallBackToPositionsLastPrice) {
  std::vector<kite::Position> net = {Open("A", 11, 75, 100, 90)};
  rest_["NFO:A"] = {120, kNow - 20000};
  MtmResult r = ComputeMtm(net, Ctx());
  EXPECT_DOUBLE_EQ(r.total, -750);
  EXPECT_EQ(r.rows[0].source, PriceSource::kPositions);
  EXPECT_EQ(r.fallbacks.size(), 1u);
  EXPECT_TRUE(r.critical.empty());
}

TEST_F(MtmCalcTest, StaleTickUsedWhenNothingElse) {
  std::vector<kite::Position> net = {Open("A", 11, 75, 100, 0)};
  ltps_[11] = Tick(11, 104, 60000);
  MtmResult r = ComputeMtm(net, Ctx());
  EXPECT_EQ(r.rows[0].source, PriceSource::kStaleTick);
  EXPECT_DOUBLE_EQ(r.total, 300);
  EXPECT_NE(r.fallbacks[0].find("stale tick (60.0 s old)"), std::string::npos);
}

TEST_F(MtmCalcTest, NeverValuedAtZeroEvenWithNoPriceAtAll) {
  std::vector<kite::Position> net = {Open("A", 11, 75, 100, 0)};
  MtmResult r = ComputeMtm(net, Ctx());
  EXPECT_EQ(r.rows[0].source, PriceSource::kAverage);
  EXPECT_DOUBLE_EQ(r.rows[0].price, 100);
  EXPECT_DOUBLE_EQ(r.total, 0);  // not 75 * (0 - 100)
  EXPECT_EQ(r.critical.size(), 1u);
  net[0].close_price = 95;
  r = ComputeMtm(net, Ctx());
  EXPECT_EQ(r.rows[0].source, PriceSource::kClose);
  EXPECT_DOUBLE_EQ(r.total, -375);
}

TEST_F(MtmCalcTest, ZeroPricedTickIsIgnored) {
  std::vector<kite::Position> net = {Open("A", 11, 75, 100, 90)};
  ltps_[11] = Tick(11, 0, 0);
  EXPECT_EQ(ComputeMtm(net, Ctx()).rows[0].source, PriceSource::kPositions);
}

TEST_F(MtmCalcTest, ClosedRowsCarryRealisedOnlyAndNeedNoPrice) {
  kite::Position closed = Open("C", 13, 0, 0, 0);
  closed.buy_quantity = 50;
  closed.buy_value = 5000;
  closed.sell_quantity = 50;
  closed.sell_value = 5600;
  std::vector<kite::Position> net = {closed, Open("A", 11, 75, 100, 90)};
  ltps_[11] = Tick(11, 100, 0);
  MtmResult r = ComputeMtm(net, Ctx());
  EXPECT_DOUBLE_EQ(r.total, 600);
  EXPECT_DOUBLE_EQ(r.realised, 600);
  EXPECT_EQ(r.rows[0].source, PriceSource::kClosedRow);
  EXPECT_EQ(r.open_positions, 1);
  EXPECT_TRUE(r.fallbacks.empty());
  EXPECT_EQ(KeysNeedingRest(net, Ctx()).size(), 0u);
}

TEST_F(MtmCalcTest, MixedBookSumsRowsAndDedupesRestKeys) {
  std::vector<kite::Position> net = {Open("A", 11, 75, 100, 90), Open("B", 12, -50, 200, 190),
                                     Open("A", 11, 25, 100, 90)};
  net[2].product = "MIS";
  ltps_[12] = Tick(12, 180, 100);
  MtmResult r = ComputeMtm(net, Ctx());
  EXPECT_DOUBLE_EQ(r.total, 75 * -10 + 50 * 20 + 25 * -10);
  EXPECT_EQ(KeysNeedingRest(net, Ctx()), std::vector<std::string>{"NFO:A"});
  EXPECT_EQ(r.fallbacks.size(), 2u);
}

TEST_F(MtmCalcTest, NullSourcesAreAllowed) {
  std::vector<kite::Position> net = {Open("A", 11, 75, 100, 90)};
  MtmResult r = ComputeMtm(net, {nullptr, nullptr, kNow, 10000});
  EXPECT_EQ(r.rows[0].source, PriceSource::kPositions);
  EXPECT_EQ(KeysNeedingRest(net, {nullptr, nullptr, kNow, 10000}).size(), 1u);
}

TEST_F(MtmCalcTest, EmptyBookIsZero) {
  MtmResult r = ComputeMtm({}, Ctx());
  EXPECT_DOUBLE_EQ(r.total, 0);
  EXPECT_EQ(r.open_positions, 0);
}

// The trigger data a square-off's report reads holds the guarded positions only: a product the
// guard does not own (here MIS, with only NRML guarded) is never squared off, so it is left out.
TEST_F(MtmCalcTest, TriggerDataHoldsGuardedPositionsOnly) {
  kite::Position guarded = Open("NIFTYCE", 1, 75, 100, 100);
  kite::Position other = Open("BANKCE", 2, 35, 200, 200);
  other.product = "MIS";
  const std::vector<kite::Position> net{guarded, other};
  MtmScope scope;
  scope.products = {"NRML"};
  const MtmResult r = ComputeMtm(net, Ctx(), scope);
  const nlohmann::json data = TriggerData(net, r);
  EXPECT_TRUE(data["positions"].contains("NFO:NIFTYCE:NRML"));
  EXPECT_FALSE(data["positions"].contains("NFO:BANKCE:MIS"));
  EXPECT_DOUBLE_EQ(data["mtm"].get<double>(), r.total);
}

TEST(PositionsSnapshotStaleTest, Rule) {
  // 2 * 3 + 5 = 11 s.
  EXPECT_TRUE(PositionsSnapshotStale(0, kNow, 3, 5));
  EXPECT_FALSE(PositionsSnapshotStale(kNow - 11000, kNow, 3, 5));
  EXPECT_TRUE(PositionsSnapshotStale(kNow - 11001, kNow, 3, 5));
  EXPECT_FALSE(PositionsSnapshotStale(kNow - 5500, kNow, 0.25, 5));
  EXPECT_TRUE(PositionsSnapshotStale(kNow - 5501, kNow, 0.25, 5));
}

TEST(RateGateTest, OncePerInterval) {
  RateGate gate(std::chrono::milliseconds(1000));
  EXPECT_TRUE(gate.TryAcquire(kNow));
  EXPECT_FALSE(gate.TryAcquire(kNow));
  EXPECT_FALSE(gate.TryAcquire(kNow + 999));
  EXPECT_TRUE(gate.TryAcquire(kNow + 1000));
  EXPECT_FALSE(gate.TryAcquire(kNow + 1500));
}

TEST(PriceSourceTest, Names) {
  EXPECT_STREQ(PriceSourceName(PriceSource::kTick), "tick");
  EXPECT_STREQ(PriceSourceName(PriceSource::kRest), "rest");
  EXPECT_STREQ(PriceSourceName(PriceSource::kPositions), "positions");
}

}  // namespace
}  // namespace zm::monitor
