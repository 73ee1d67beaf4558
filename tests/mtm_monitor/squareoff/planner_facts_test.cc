// Planning an exit: lot-multiple slices within the freeze limit, with facts resolved from the
// dump, the config, the shipped table and the broker's own answers (never a prefix guess).
#include <gtest/gtest.h>

#include "mtm_monitor/squareoff/facts.h"
#include "mtm_monitor/squareoff/planner.h"

namespace zm::monitor {
namespace {

kite::Instrument Row(const std::string& exchange, const std::string& symbol,
                     const std::string& name, long long lot, double tick = 0.05,
                     const std::string& expiry = "", double strike = 0,
                     const std::string& type = "") {
  kite::Instrument i;
  i.exchange = exchange;
  i.tradingsymbol = symbol;
  i.name = name;
  i.lot_size = lot;
  i.tick_size = tick;
  i.expiry = expiry;
  i.strike = strike;
  i.instrument_type = type;
  return i;
}

FactsBook Book() {
  return FactsBook({{"NIFTY", 1800}},
                   {{"NFO", {{"NIFTY", 1700}, {"BANKNIFTY", 600}, {"NIFTYNXT50", 600}}}});
}

TEST(PlannerTest, SliceQuantity) {
  EXPECT_EQ(SliceQuantity(1050, 35, 900), (std::vector<long long>{875, 175}));
  EXPECT_EQ(SliceQuantity(3750, 75, 1800), (std::vector<long long>{1800, 1800, 150}));
  EXPECT_EQ(SliceQuantity(150, 75, 0), (std::vector<long long>{150}));
  EXPECT_EQ(SliceQuantity(100, 75, 0), (std::vector<long long>{75, 25}));
  EXPECT_EQ(SliceQuantity(1000, 0, 300), (std::vector<long long>{300, 300, 300, 100}));
  EXPECT_EQ(SliceQuantity(150, 75, 50), (std::vector<long long>{75, 75}));
  EXPECT_TRUE(SliceQuantity(0, 75, 1800).empty());
}

TEST(PlannerTest, ExitIsTheOppositeSideSameProduct) {
  InstrumentFacts facts;
  facts.lot_size = 35;
  facts.freeze_quantity = 900;
  ExitPlan plan = PlanExit({"NFO", "BANKNIFTY26DEC52000CE", "NRML", -1050}, facts);
  ASSERT_EQ(plan.slices.size(), 2u);
  for (const PlannedSlice& s : plan.slices) {
    EXPECT_EQ(s.transaction_type, "BUY");
    EXPECT_EQ(s.product, "NRML");
  }
  EXPECT_EQ(plan.slices[0].quantity, 875);
  EXPECT_EQ(PlanExit({"NSE", "INFY", "CNC", 40}, facts).slices[0].transaction_type, "SELL");
}

TEST(PlannerTest, UnknownLotIsNotedAndAutosliceSendsWhole) {
  InstrumentFacts unknown;
  ExitPlan plan = PlanExit({"NFO", "X", "NRML", -1050}, unknown);
  ASSERT_EQ(plan.slices.size(), 1u);
  EXPECT_FALSE(plan.notes.empty());
  InstrumentFacts auto_facts;
  auto_facts.use_autoslice = true;
  auto_facts.freeze_quantity = 900;
  ExitPlan whole = PlanExit({"NFO", "X", "NRML", -4000}, auto_facts);
  ASSERT_EQ(whole.slices.size(), 1u);
  EXPECT_TRUE(whole.slices[0].autoslice);
  EXPECT_EQ(whole.slices[0].quantity, 4000);
}

TEST(PlannerTest, ShortsFirstKeepsOrderWithinEachSide) {
  std::vector<ExitTarget> in = {{"NFO", "A", "NRML", 10},
                                {"NFO", "B", "NRML", -5},
                                {"NFO", "C", "NRML", 7},
                                {"NFO", "D", "NRML", -1}};
  auto out = ShortsFirst(in);
  EXPECT_EQ(out[0].tradingsymbol, "B");
  EXPECT_EQ(out[1].tradingsymbol, "D");
  EXPECT_EQ(out[2].tradingsymbol, "A");
  EXPECT_EQ(out[3].tradingsymbol, "C");
}

TEST(FactsTest, SymbolRootFromExpiryAndStrikeNotPrefixes) {
  const auto nxt = Row("NFO", "NIFTYNXT5026DECFUT", "", 25, 0.05, "2026-12-29", 0, "FUT");
  EXPECT_EQ(SymbolRoot(nxt.tradingsymbol, &nxt), "NIFTYNXT50");
  const auto weekly = Row("NFO", "NIFTY2612324000CE", "", 75, 0.05, "2026-12-23", 24000, "CE");
  EXPECT_EQ(SymbolRoot(weekly.tradingsymbol, &weekly), "NIFTY");
  const auto monthly = Row("NFO", "BANKNIFTY26DEC52000CE", "", 35, 0.05, "2026-12-30", 52000, "CE");
  EXPECT_EQ(SymbolRoot(monthly.tradingsymbol, &monthly), "BANKNIFTY");
  EXPECT_EQ(SymbolRoot("MIDCPNIFTY26DEC13000PE", nullptr), "MIDCPNIFTY");
  EXPECT_EQ(SymbolRoot("M&M26DECFUT", nullptr), "M&M");
  EXPECT_EQ(SymbolRoot("INFY", nullptr), "INFY");
}

TEST(FactsTest, FreezeLookupOrder) {
  FactsBook book = Book();
  book.AddDumpRow(Row("NFO", "NIFTY26DEC24000CE", "NIFTY", 75));
  book.AddDumpRow(Row("NFO", "NIFTYNXT5026DECFUT", "NIFTYNXT50", 25));
  book.AddDumpRow(Row("NFO", "BANKNIFTY26DEC52000CE", "", 35, 0.05, "2026-12-30", 52000, "CE"));
  book.AddDumpRow(Row("NFO", "RELIANCE26DEC1500CE", "RELIANCE", 500));
  // The user's config wins over the table.
  InstrumentFacts nifty = book.Resolve("NFO", "NIFTY26DEC24000CE");
  EXPECT_EQ(nifty.freeze_quantity, 1800);
  EXPECT_EQ(nifty.freeze_source, FactSource::kConfig);
  EXPECT_EQ(nifty.lot_size, 75);
  // Exact underlying from the table: NIFTYNXT50 never gets NIFTY's limit.
  InstrumentFacts nxt = book.Resolve("NFO", "NIFTYNXT5026DECFUT");
  EXPECT_EQ(nxt.freeze_quantity, 600);
  EXPECT_EQ(nxt.freeze_source, FactSource::kTable);
  // Empty name: the symbol's root.
  InstrumentFacts bank = book.Resolve("NFO", "BANKNIFTY26DEC52000CE");
  EXPECT_EQ(bank.underlying, "BANKNIFTY");
  EXPECT_EQ(bank.freeze_quantity, 600);
  // Stock F&O without a limit: unknown (sent whole; the refusal teaches it).
  EXPECT_EQ(book.Resolve("NFO", "RELIANCE26DEC1500CE").freeze_quantity, 0);
}

TEST(FactsTest, IndexRowsAndMissingRowsLeaveTheLotUnknown) {
  FactsBook book = Book();
  book.AddDumpRow(Row("NSE", "NIFTY 50", "NIFTY 50", 0, 0));
  InstrumentFacts index = book.Resolve("NSE", "NIFTY 50");
  EXPECT_EQ(index.lot_size, 0);
  EXPECT_EQ(index.lot_source, FactSource::kUnknown);
  EXPECT_EQ(book.Resolve("NFO", "NOTINDUMP26DECFUT").lot_size, 0);
}

TEST(FactsTest, RefusalsTeachLotFreezeTickAndAutoslice) {
  FactsBook book = Book();
  book.AddDumpRow(Row("NFO", "SBIN26DECFUT", "SBIN", 0));
  Refusal lot;
  lot.kind = RefusalKind::kLotSize;
  lot.lot_size = 750;
  EXPECT_TRUE(book.Learn("NFO", "SBIN26DECFUT", lot));
  EXPECT_FALSE(book.Learn("NFO", "SBIN26DECFUT", lot)) << "nothing new the second time";
  EXPECT_EQ(book.Resolve("NFO", "SBIN26DECFUT").lot_size, 750);
  EXPECT_EQ(book.Resolve("NFO", "SBIN26DECFUT").lot_source, FactSource::kLearnt);
  Refusal freeze;
  freeze.kind = RefusalKind::kFreeze;
  freeze.freeze_quantity = 6000;
  freeze.freeze_lots = 8;
  EXPECT_TRUE(book.Learn("NFO", "SBIN26DECFUT", freeze));
  EXPECT_EQ(book.Resolve("NFO", "SBIN26DECFUT").freeze_quantity, 6000);
  // A freeze limit belongs to the underlying: other SBIN contracts know it too.
  book.AddDumpRow(Row("NFO", "SBIN26DEC800CE", "SBIN", 750));
  EXPECT_EQ(book.Resolve("NFO", "SBIN26DEC800CE").freeze_quantity, 6000);
  Refusal tick;
  tick.kind = RefusalKind::kTickSize;
  tick.tick_size = 0.1;
  EXPECT_TRUE(book.Learn("NFO", "SBIN26DECFUT", tick));
  EXPECT_DOUBLE_EQ(book.Resolve("NFO", "SBIN26DECFUT").tick_size, 0.1);
  Refusal bare;
  bare.kind = RefusalKind::kFreeze;
  EXPECT_TRUE(book.Learn("NFO", "OTHER26DECFUT", bare));
  EXPECT_TRUE(book.Resolve("NFO", "OTHER26DECFUT").use_autoslice);
}

}  // namespace
}  // namespace zm::monitor
