#include "common/kite/pnl.h"

#include <gtest/gtest.h>

#include <cmath>

#include "common/kite/models.h"
#include "test_util.h"

namespace zm::kite {
namespace {

Positions FixturePositions() {
  auto data = ParseEnvelope(200, testing::ReadFixture("positions.json"));
  EXPECT_TRUE(data.ok());
  auto positions = ParsePositions(*data);
  EXPECT_TRUE(positions.ok());
  return positions.ok() ? *positions : Positions{};
}

TEST(PnlTest, AllSixFixtureRowsMatchKite) {
  const Positions positions = FixturePositions();
  ASSERT_EQ(positions.net.size() + positions.day.size(), 6u);
  for (const auto* rows : {&positions.net, &positions.day}) {
    for (const Position& p : *rows) {
      const PositionPnl pnl = ComputePositionPnl(p, p.last_price);
      EXPECT_NEAR(pnl.pnl, p.pnl, 0.005) << p.tradingsymbol;
      EXPECT_NEAR(pnl.m2m, p.m2m, 0.005) << p.tradingsymbol;  // GOLDGUINEA: pnl 801, m2m 276
      EXPECT_DOUBLE_EQ(pnl.realised + pnl.unrealised, pnl.pnl) << p.tradingsymbol;
    }
  }
}

TEST(PnlTest, PortfolioTotalOverNetRows) {
  const Positions positions = FixturePositions();
  std::vector<double> prices;
  for (const Position& p : positions.net) prices.push_back(p.last_price);
  const PortfolioPnl total = ComputePortfolioPnl(positions.net, prices);
  ASSERT_EQ(total.rows.size(), 3u);
  EXPECT_DOUBLE_EQ(total.total, 0 + 801 - 2);
  EXPECT_DOUBLE_EQ(total.m2m, 0 + 276 - 2);
  // Only LEADMINI is open, and it is at its average price: everything else is realised.
  EXPECT_DOUBLE_EQ(total.unrealised, 0);
  EXPECT_DOUBLE_EQ(total.realised, 799);
}

TEST(PnlTest, LivePriceMovesOpenQuantityWithMultiplier) {
  const Positions positions = FixturePositions();
  const Position& lead = positions.net[0];  // long 1 lot, multiplier 1000, avg 161.05
  const PositionPnl up = ComputePositionPnl(lead, 162.10);
  EXPECT_DOUBLE_EQ(up.pnl, 1050);
  EXPECT_DOUBLE_EQ(up.unrealised, 1050);
  EXPECT_DOUBLE_EQ(up.realised, 0);
  const Position& gold_day = positions.day[0];  // short 3, avg 23340
  const PositionPnl day = ComputePositionPnl(gold_day, 23400);
  EXPECT_DOUBLE_EQ(day.pnl, (93360 - 23388) - 3 * 23400);
  EXPECT_DOUBLE_EQ(day.unrealised, -3 * (23400 - 23340));
  EXPECT_DOUBLE_EQ(day.realised, day.pnl - day.unrealised);
}

// README's worked example: 75 NIFTY futures bought yesterday at 24,000, closed yesterday at
// 24,100, at 24,050 now: +3,750 since entry, -3,750 today.
TEST(PnlTest, CarriedPositionDayBasisUsesThePreviousClose) {
  Position p;
  p.quantity = p.overnight_quantity = p.buy_quantity = 75;
  p.buy_value = 75 * 24000.0;
  p.buy_m2m = 75 * 24100.0;
  p.average_price = 24000;
  const PositionPnl r = ComputePositionPnl(p, 24050);
  EXPECT_DOUBLE_EQ(r.pnl, 3750);
  EXPECT_DOUBLE_EQ(r.m2m, -3750);
  // A source without m2m fields: the day basis falls back to the values.
  Position bare = p;
  bare.buy_m2m = 0;
  EXPECT_DOUBLE_EQ(ComputePositionPnl(bare, 24050).m2m, 3750);
  const PortfolioPnl both = ComputePortfolioPnl({p, bare}, {24050, 24050});
  EXPECT_DOUBLE_EQ(both.total, 7500);
  EXPECT_DOUBLE_EQ(both.m2m, 0);
}

TEST(PnlTest, ShortOptionWithUsdInrStyleMultiplier) {
  Position p;
  p.quantity = -2;
  p.multiplier = 1000;
  p.average_price = 83.1225;
  p.sell_value = 2 * 83.1225 * 1000;
  const PositionPnl pnl = ComputePositionPnl(p, 83.2);
  EXPECT_DOUBLE_EQ(pnl.pnl, -155);
  EXPECT_DOUBLE_EQ(pnl.unrealised, -155);
  EXPECT_DOUBLE_EQ(pnl.realised, 0);
}

TEST(PnlTest, RoundToPaiseHalfAwayFromZero) {
  EXPECT_DOUBLE_EQ(RoundToPaise(0.125), 0.13);
  EXPECT_DOUBLE_EQ(RoundToPaise(-0.125), -0.13);
  EXPECT_DOUBLE_EQ(RoundToPaise(1.005), 1.01);  // 1.00499999... in binary
  EXPECT_DOUBLE_EQ(RoundToPaise(-1.005), -1.01);
  EXPECT_DOUBLE_EQ(RoundToPaise(2.675), 2.68);
  EXPECT_DOUBLE_EQ(RoundToPaise(0.1234), 0.12);
  EXPECT_DOUBLE_EQ(RoundToPaise(12345678.994), 12345678.99);
  EXPECT_FALSE(std::signbit(RoundToPaise(-0.001)));  // never -0.00
  EXPECT_DOUBLE_EQ(RoundToPaise(0), 0);
}

TEST(PnlTest, TotalIsRoundedOnceNotSumOfRoundedRows) {
  Position p;
  p.quantity = 1;
  p.buy_value = 100;
  std::vector<Position> rows(10, p);
  std::vector<double> prices(10, 100.004);  // each row +0.004
  const PortfolioPnl total = ComputePortfolioPnl(rows, prices);
  for (const PositionPnl& row : total.rows) EXPECT_DOUBLE_EQ(row.pnl, 0);
  EXPECT_DOUBLE_EQ(total.total, 0.04);
}

TEST(PnlTest, EmptyPortfolio) {
  const PortfolioPnl total = ComputePortfolioPnl({}, {});
  EXPECT_DOUBLE_EQ(total.total, 0);
  EXPECT_TRUE(total.rows.empty());
}

TEST(PnlTest, LargeIntradayNumbersStayExactToThePaisa) {
  Position p;  // 1800 NIFTY options bought and sold many times: crores of turnover
  p.quantity = -1800;
  p.buy_value = 98765432.10;
  p.sell_value = 99887766.55;
  p.average_price = 152.35;
  const PositionPnl pnl = ComputePositionPnl(p, 149.95);
  EXPECT_DOUBLE_EQ(pnl.pnl, RoundToPaise(99887766.55 - 98765432.10 - 1800 * 149.95));
  EXPECT_NEAR(pnl.pnl, 852424.45, 0.001);
  EXPECT_NEAR(pnl.unrealised, 4320.00, 0.001);
}

}  // namespace
}  // namespace zm::kite
