// Refusal texts: the numbers in Kite's answers, read loosely (case, separators, wording).
#include "mtm_monitor/squareoff/refusals.h"

#include <gtest/gtest.h>

namespace zm::monitor {
namespace {

TEST(RefusalsTest, LotSize) {
  Refusal r = ClassifyRefusal(400, "InputException",
                              "Quantity should be a multiple of lot size. Lot size for this "
                              "instrument is 35.");
  EXPECT_EQ(r.kind, RefusalKind::kLotSize);
  EXPECT_EQ(r.lot_size, 35);
  EXPECT_EQ(ClassifyRefusal(400, "", "Quantity should be a multiple of lot size (75).").lot_size,
            75);
  Refusal bare = ClassifyRefusal(0, "", "Quantity should be a multiple of lot size");
  EXPECT_EQ(bare.kind, RefusalKind::kLotSize);
  EXPECT_FALSE(bare.lot_size);
}

TEST(RefusalsTest, FreezeWithQuantityAndLots) {
  Refusal r = ClassifyRefusal(400, "InputException",
                              "The order quantity 6300 (21 lots) is higher than the maximum "
                              "quantity of 6,000 (20 lots) allowed by the exchanges");
  EXPECT_EQ(r.kind, RefusalKind::kFreeze);
  EXPECT_EQ(r.freeze_quantity, 6000);
  EXPECT_EQ(r.freeze_lots, 20);
  EXPECT_EQ(r.ImpliedLotSize(), 300);
  Refusal no_numbers = ClassifyRefusal(400, "", "Order quantity exceeds the freeze limit.");
  EXPECT_EQ(no_numbers.kind, RefusalKind::kFreeze);
  EXPECT_FALSE(no_numbers.freeze_quantity);
}

TEST(RefusalsTest, TickSizeAndCircuit) {
  Refusal tick = ClassifyRefusal(400, "InputException",
                                 "Tick size for this script is 0.05. Kindly enter price in the "
                                 "multiple of tick size for this script");
  EXPECT_EQ(tick.kind, RefusalKind::kTickSize);
  EXPECT_DOUBLE_EQ(*tick.tick_size, 0.05);
  Refusal upper = ClassifyRefusal(0, "",
                                  "Your order price is higher than the current upper circuit "
                                  "limit of 1,234.50. Place an order within the daily range.");
  EXPECT_EQ(upper.kind, RefusalKind::kCircuit);
  EXPECT_DOUBLE_EQ(*upper.circuit_upper, 1234.5);
  EXPECT_FALSE(upper.circuit_lower);
}

TEST(RefusalsTest, MarketRefusedClosedRateLimitedToken) {
  EXPECT_EQ(ClassifyRefusal(0, "",
                            "RMS:Rule: Market orders are blocked for stock option contracts. "
                            "Place a limit order instead.")
                .kind,
            RefusalKind::kMarketRefused);
  EXPECT_EQ(ClassifyRefusal(400, "InputException",
                            "Markets are closed right now. Use GTT for placing long standing "
                            "orders instead.")
                .kind,
            RefusalKind::kMarketClosed);
  EXPECT_EQ(ClassifyRefusal(429, "NetworkException", "Too many requests").kind,
            RefusalKind::kRateLimited);
  EXPECT_EQ(ClassifyRefusal(403, "TokenException", "Incorrect `api_key` or `access_token`.").kind,
            RefusalKind::kToken);
  EXPECT_EQ(ClassifyRefusal(400, "MarginException", "Insufficient funds.").kind,
            RefusalKind::kOther);
}

}  // namespace
}  // namespace zm::monitor
