// Ledger: a positions read that lags our fills never makes an exit close twice; a difference
// that outlives the lag bound is taken as the truth; orders that may still fill count as filled.
#include "mtm_monitor/squareoff/ledger.h"

#include <gtest/gtest.h>

namespace zm::monitor {
namespace {

constexpr const char* kKey = "NFO:BANKNIFTY26DEC52000CE:NRML";
constexpr long long kLag = 10'000;

JournaledOrder Fill(const std::string& side, long long quantity, long long filled,
                    const char* state, long long filled_at_ms) {
  JournaledOrder r;
  r.tag = "ZM" + std::to_string(filled_at_ms);
  r.exchange = "NFO";
  r.tradingsymbol = "BANKNIFTY26DEC52000CE";
  r.product = "NRML";
  r.transaction_type = side;
  r.quantity = quantity;
  r.filled_quantity = filled;
  r.state = state;
  r.filled_at_ms = filled ? filled_at_ms : 0;
  return r;
}

KeyReading Only(const std::vector<KeyReading>& readings) {
  EXPECT_EQ(readings.size(), 1u);
  return readings.empty() ? KeyReading{} : readings[0];
}

TEST(LedgerTest, ConservativeQuantity) {
  EXPECT_EQ(ConservativeQuantity(-1050, -1050), -1050);
  EXPECT_EQ(ConservativeQuantity(-1050, -150), -150);
  EXPECT_EQ(ConservativeQuantity(-150, -1050), -150);
  EXPECT_EQ(ConservativeQuantity(300, 75), 75);
  EXPECT_EQ(ConservativeQuantity(-1050, 0), 0);
  EXPECT_EQ(ConservativeQuantity(0, -75), 0);
  EXPECT_EQ(ConservativeQuantity(75, -75), 0);
}

TEST(LedgerTest, FirstSightIsTheBaseAndClosesTheRead) {
  Ledger ledger("2026-11-26", kLag);
  std::vector<LedgerEntry> changed;
  KeyReading r = Only(ledger.Apply({{kKey, -1050}}, {}, 1000, &changed));
  EXPECT_EQ(r.state, ReadState::kNew);
  EXPECT_EQ(r.expected, -1050);
  EXPECT_EQ(r.closable, -1050);
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].base_quantity, -1050);
  EXPECT_EQ(changed[0].base_fills, 0);
}

TEST(LedgerTest, LaggingReadAfterOurFillsClosesNothingTwice) {
  Ledger ledger("2026-11-26", kLag);
  ledger.Apply({{kKey, -1050}}, {}, 1000, nullptr);
  const std::vector<JournaledOrder> rows = {Fill("BUY", 875, 875, order_state::kComplete, 1500),
                                            Fill("BUY", 175, 175, order_state::kComplete, 1600)};
  // Positions still show the whole short 1 s after our fills: nothing may be closed.
  KeyReading lagging = Only(ledger.Apply({{kKey, -1050}}, rows, 2600, nullptr));
  EXPECT_EQ(lagging.state, ReadState::kLagging);
  EXPECT_EQ(lagging.expected, 0);
  EXPECT_EQ(lagging.closable, 0);
  EXPECT_FALSE(lagging.flat());
  // Once positions catch up, the key is flat.
  KeyReading caught_up = Only(ledger.Apply({}, rows, 3000, nullptr));
  EXPECT_EQ(caught_up.state, ReadState::kConsistent);
  EXPECT_TRUE(caught_up.flat());
}

TEST(LedgerTest, PartlyLaggingReadClosesOnlyWhatBothAgreeOn) {
  Ledger ledger("2026-11-26", kLag);
  ledger.Apply({{kKey, -1050}}, {}, 1000, nullptr);
  const std::vector<JournaledOrder> rows = {Fill("BUY", 875, 875, order_state::kComplete, 1500)};
  KeyReading r = Only(ledger.Apply({{kKey, -1050}}, rows, 2000, nullptr));
  EXPECT_EQ(r.expected, -175);
  EXPECT_EQ(r.closable, -175);
}

TEST(LedgerTest, OrdersThatMayStillFillCountAsFilled) {
  Ledger ledger("2026-11-26", kLag);
  ledger.Apply({{kKey, -1050}}, {}, 1000, nullptr);
  // An unknown outcome (journaled) of 875 and a live order 100 filled of 175.
  const std::vector<JournaledOrder> rows = {Fill("BUY", 875, 0, order_state::kJournaled, 0),
                                            Fill("BUY", 175, 100, order_state::kPlaced, 1200)};
  KeyReading r = Only(ledger.Apply({{kKey, -950}}, rows, 1300, nullptr));
  EXPECT_EQ(r.in_flight, 875 + 75);
  EXPECT_EQ(r.expected, -950);
  EXPECT_EQ(r.closable, 0) << "everything left may still be filled by our own orders";
}

TEST(LedgerTest, DifferenceThatOutlivesTheLagIsRebased) {
  Ledger ledger("2026-11-26", kLag);
  ledger.Apply({{kKey, -1050}}, {}, 1000, nullptr);
  const std::vector<JournaledOrder> rows = {Fill("BUY", 1050, 1050, order_state::kComplete, 1500)};
  EXPECT_TRUE(Only(ledger.Apply({}, rows, 2000, nullptr)).flat());
  // A new short opened in the app after the exit: lagging until quiet, then the truth.
  KeyReading young = Only(ledger.Apply({{kKey, -35}}, rows, 5000, nullptr));
  EXPECT_EQ(young.state, ReadState::kLagging);
  EXPECT_EQ(young.closable, 0);
  std::vector<LedgerEntry> changed;
  KeyReading quiet = Only(ledger.Apply({{kKey, -35}}, rows, 1500 + kLag, &changed));
  EXPECT_EQ(quiet.state, ReadState::kRebased);
  EXPECT_EQ(quiet.closable, -35);
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].base_quantity, -35);
  EXPECT_EQ(changed[0].base_fills, 1050);
}

TEST(LedgerTest, RestoredEntriesSurviveARestart) {
  Ledger first("2026-11-26", kLag);
  std::vector<LedgerEntry> saved;
  first.Apply({{kKey, -1050}}, {}, 1000, &saved);
  const std::vector<JournaledOrder> rows = {Fill("BUY", 1050, 1050, order_state::kComplete, 1500)};
  Ledger second("2026-11-26", kLag);
  second.Restore(saved);
  KeyReading r = Only(second.Apply({{kKey, -1050}}, rows, 2000, nullptr));
  EXPECT_EQ(r.state, ReadState::kLagging);
  EXPECT_EQ(r.closable, 0);
  Ledger other_day("2026-11-27", kLag);
  other_day.Restore(saved);
  EXPECT_EQ(Only(other_day.Apply({{kKey, -1050}}, {}, 2000, nullptr)).state, ReadState::kNew);
}

TEST(LedgerTest, OvershotPositionIsClosedBackOnlyWhenTrusted) {
  Ledger ledger("2026-11-26", kLag);
  ledger.Apply({{kKey, -75}}, {}, 1000, nullptr);
  // A late duplicate of ours filled: the position flipped to +75, and we know it.
  const std::vector<JournaledOrder> rows = {Fill("BUY", 75, 75, order_state::kComplete, 1200),
                                            Fill("BUY", 75, 75, order_state::kComplete, 1300)};
  KeyReading r = Only(ledger.Apply({{kKey, 75}}, rows, 1400, nullptr));
  EXPECT_EQ(r.state, ReadState::kConsistent);
  EXPECT_EQ(r.closable, 75);
}

}  // namespace
}  // namespace zm::monitor
