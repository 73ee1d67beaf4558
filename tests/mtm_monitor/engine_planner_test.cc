// Planner: shorts first, freeze slices, lot multiples, product kept, prefix fallback.
#include "mtm_monitor/planner.h"

#include <gtest/gtest.h>

namespace zm::monitor {
namespace {

kite::Position Pos(std::string exchange, std::string symbol, std::string product, long long qty) {
  kite::Position p;
  p.exchange = std::move(exchange);
  p.tradingsymbol = std::move(symbol);
  p.product = std::move(product);
  p.quantity = qty;
  return p;
}

kite::Instrument Inst(std::string exchange, std::string symbol, std::string name, long long lot,
                      double tick = 0.05) {
  kite::Instrument i;
  i.exchange = std::move(exchange);
  i.tradingsymbol = std::move(symbol);
  i.name = std::move(name);
  i.lot_size = lot;
  i.tick_size = tick;
  return i;
}

InstrumentIndex Index(std::vector<kite::Instrument> list) {
  InstrumentIndex index;
  for (auto& i : list) index[InstrumentKey(i.exchange, i.tradingsymbol)] = i;
  return index;
}

std::map<std::string, InstrumentConfig> Freeze(std::map<std::string, long long> limits) {
  std::map<std::string, InstrumentConfig> out;
  for (auto& [name, limit] : limits) out[name].volume_freeze_quantity = limit;
  return out;
}

TEST(SliceQuantity, NoLimitIsOneSlice) {
  EXPECT_EQ(SliceQuantity(3000, 75, 0), (std::vector<long long>{3000}));
}

TEST(SliceQuantity, LotMultiplesWithinLimit) {
  // 1800 / 75 = 24 lots exactly.
  EXPECT_EQ(SliceQuantity(3750, 75, 1800), (std::vector<long long>{1800, 1800, 150}));
  // 1000 is not a lot multiple of 75: 13 lots = 975 per slice.
  EXPECT_EQ(SliceQuantity(2000, 75, 1000), (std::vector<long long>{975, 975, 50}));
}

TEST(SliceQuantity, ExactlyTheLimitIsOneSlice) {
  EXPECT_EQ(SliceQuantity(1800, 75, 1800), (std::vector<long long>{1800}));
}

TEST(SliceQuantity, LimitBelowOneLotSendsOneLot) {
  EXPECT_EQ(SliceQuantity(150, 75, 50), (std::vector<long long>{75, 75}));
}

TEST(SliceQuantity, ZeroOrNegativeIsNothing) {
  EXPECT_TRUE(SliceQuantity(0, 75, 1800).empty());
  EXPECT_TRUE(SliceQuantity(-75, 75, 1800).empty());
}

TEST(SliceQuantity, BadLotTreatedAsOne) {
  EXPECT_EQ(SliceQuantity(5, 0, 2), (std::vector<long long>{2, 2, 1}));
}

TEST(Planner, ShortsFirstOppositeSideSameProduct) {
  auto plan = PlanSquareOff({Pos("NFO", "NIFTY26DEC24000CE", "NRML", 75),
                             Pos("NSE", "INFY", "MIS", 0), Pos("NSE", "SBIN", "CNC", -10),
                             Pos("NFO", "NIFTY26DEC24000PE", "MIS", -150)},
                            Index({Inst("NFO", "NIFTY26DEC24000CE", "NIFTY", 75),
                                   Inst("NFO", "NIFTY26DEC24000PE", "NIFTY", 75)}),
                            {});
  ASSERT_EQ(plan.slices.size(), 3u);
  EXPECT_EQ(plan.slices[0].tradingsymbol, "SBIN");
  EXPECT_EQ(plan.slices[0].transaction_type, "BUY");
  EXPECT_EQ(plan.slices[0].product, "CNC");
  EXPECT_EQ(plan.slices[0].quantity, 10);
  EXPECT_EQ(plan.slices[1].tradingsymbol, "NIFTY26DEC24000PE");
  EXPECT_EQ(plan.slices[1].transaction_type, "BUY");
  EXPECT_EQ(plan.slices[1].product, "MIS");
  EXPECT_EQ(plan.slices[2].tradingsymbol, "NIFTY26DEC24000CE");
  EXPECT_EQ(plan.slices[2].transaction_type, "SELL");
  EXPECT_EQ(plan.slices[2].product, "NRML");
  EXPECT_EQ(plan.slices[2].exchange, "NFO");
  // SBIN is not in the instruments list: noted, lot 1.
  ASSERT_EQ(plan.notes.size(), 1u);
  EXPECT_NE(plan.notes[0].find("NSE:SBIN"), std::string::npos);
  EXPECT_EQ(plan.slices[0].lot_size, 1);
}

TEST(Planner, FreezeSlicesMatchedOnUnderlyingName) {
  auto plan = PlanSquareOff({Pos("NFO", "BANKNIFTY26DEC50000CE", "NRML", -1500)},
                            Index({Inst("NFO", "BANKNIFTY26DEC50000CE", "BANKNIFTY", 30)}),
                            Freeze({{"BANKNIFTY", 600}, {"NIFTY", 1800}}));
  ASSERT_EQ(plan.slices.size(), 3u);
  EXPECT_EQ(plan.slices[0].quantity, 600);
  EXPECT_EQ(plan.slices[1].quantity, 600);
  EXPECT_EQ(plan.slices[2].quantity, 300);
  for (const auto& s : plan.slices) {
    EXPECT_EQ(s.underlying, "BANKNIFTY");
    EXPECT_EQ(s.transaction_type, "BUY");
    EXPECT_EQ(s.quantity % 30, 0);
  }
}

TEST(Planner, NameBeatsPrefix) {
  // NIFTY prefixes the symbol too; the instrument's configured name decides.
  auto plan = PlanSquareOff({Pos("NFO", "NIFTYNXT5026DECFUT", "NRML", 100)},
                            Index({Inst("NFO", "NIFTYNXT5026DECFUT", "NIFTYNXT50", 25)}),
                            Freeze({{"NIFTY", 1800}, {"NIFTYNXT50", 50}}));
  ASSERT_EQ(plan.slices.size(), 2u);
  EXPECT_EQ(plan.slices[0].underlying, "NIFTYNXT50");
  EXPECT_EQ(plan.slices[0].quantity, 50);
}

TEST(Planner, LongestPrefixFallbackWhenNameUnknown) {
  // Not in the instruments list: the longest configured prefix applies (NIFTYNXT50 over NIFTY).
  auto plan = PlanSquareOff({Pos("NFO", "NIFTYNXT5026DECFUT", "NRML", 100),
                             Pos("NFO", "NIFTY26DEC24000CE", "NRML", 3000)},
                            {}, Freeze({{"NIFTY", 1800}, {"NIFTYNXT50", 40}}));
  ASSERT_EQ(plan.slices.size(), 5u);
  EXPECT_EQ(plan.slices[0].underlying, "NIFTYNXT50");
  EXPECT_EQ(plan.slices[0].quantity, 40);
  EXPECT_EQ(plan.slices[2].quantity, 20);
  EXPECT_EQ(plan.slices[3].underlying, "NIFTY");
  EXPECT_EQ(plan.slices[3].quantity, 1800);
  EXPECT_EQ(plan.slices[4].quantity, 1200);
}

TEST(Planner, NameNotConfiguredFallsBackToPrefix) {
  auto plan = PlanSquareOff({Pos("NFO", "NIFTY26DEC24000CE", "MIS", -3600)},
                            Index({Inst("NFO", "NIFTY26DEC24000CE", "", 75)}),
                            Freeze({{"NIFTY", 1800}}));
  ASSERT_EQ(plan.slices.size(), 2u);
  EXPECT_EQ(plan.slices[0].quantity, 1800);
  EXPECT_EQ(plan.slices[0].lot_size, 75);
}

TEST(Planner, NoFreezeConfigNoSlicing) {
  auto plan = PlanSquareOff({Pos("NFO", "NIFTY26DEC24000CE", "NRML", 9000)},
                            Index({Inst("NFO", "NIFTY26DEC24000CE", "NIFTY", 75)}), {});
  ASSERT_EQ(plan.slices.size(), 1u);
  EXPECT_EQ(plan.slices[0].quantity, 9000);
  EXPECT_EQ(plan.slices[0].underlying, "");
}

TEST(Planner, TickAndTokenCarried) {
  auto pos = Pos("NSE", "INFY26DEC1500CE", "NRML", 400);
  pos.instrument_token = 12345;
  auto plan =
      PlanSquareOff({pos}, Index({Inst("NSE", "INFY26DEC1500CE", "INFY", 400, 0.1)}), {});
  ASSERT_EQ(plan.slices.size(), 1u);
  EXPECT_DOUBLE_EQ(plan.slices[0].tick_size, 0.1);
  EXPECT_EQ(plan.slices[0].instrument_token, 12345u);
}

TEST(Planner, OddLotQuantityNotedAndStillClosed) {
  auto plan = PlanSquareOff({Pos("NFO", "NIFTY26DEC24000CE", "NRML", 80)},
                            Index({Inst("NFO", "NIFTY26DEC24000CE", "NIFTY", 75)}),
                            Freeze({{"NIFTY", 75}}));
  ASSERT_EQ(plan.slices.size(), 2u);
  EXPECT_EQ(plan.slices[0].quantity, 75);
  EXPECT_EQ(plan.slices[1].quantity, 5);
  ASSERT_EQ(plan.notes.size(), 1u);
}

TEST(Planner, ShortsKeepInputOrderAndAllSlicesPrecedeLongs) {
  auto plan = PlanSquareOff({Pos("NFO", "A", "NRML", 10), Pos("NFO", "B", "NRML", -30),
                             Pos("NFO", "C", "NRML", -20), Pos("NFO", "D", "NRML", 5)},
                            {}, Freeze({{"B", 10}, {"C", 10}}));
  std::vector<std::string> order;
  for (auto& s : plan.slices) order.push_back(s.tradingsymbol);
  EXPECT_EQ(order, (std::vector<std::string>{"B", "B", "B", "C", "C", "A", "D"}));
}

TEST(Planner, EmptyBookEmptyPlan) {
  EXPECT_TRUE(PlanSquareOff({}, {}, {}).slices.empty());
}

}  // namespace
}  // namespace zm::monitor
