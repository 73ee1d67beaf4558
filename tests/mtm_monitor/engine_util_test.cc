// Pure helpers of the square-off run: no-overshoot rule, refusal/circuit parsing, retry delays,
// journal rows and order requests.
#include <gtest/gtest.h>

#include "mtm_monitor/squareoff_run.h"
#include "mtm_monitor/squareoff_util.h"
#include "mtm_monitor/tags.h"

namespace zm::monitor {
namespace {

TEST(ConservativeQuantity, NeverMoreThanEitherSide) {
  EXPECT_EQ(ConservativeQuantity(-150, -150), -150);
  EXPECT_EQ(ConservativeQuantity(-150, 0), 0);     // positions lag our fill: close nothing
  EXPECT_EQ(ConservativeQuantity(-150, -75), -75); // half filled per the book
  EXPECT_EQ(ConservativeQuantity(-75, -150), -75); // a manual partial exit
  EXPECT_EQ(ConservativeQuantity(75, -75), 0);     // sides disagree: wait for the truth
  EXPECT_EQ(ConservativeQuantity(0, 75), 0);
  EXPECT_EQ(ConservativeQuantity(300, 150), 150);
}

TEST(IsMarketRefusal, RecognisesKiteMessages) {
  EXPECT_TRUE(IsMarketRefusal(
      "RMS:Rule: Market orders are blocked for stock option contracts. Place a limit order."));
  EXPECT_TRUE(IsMarketRefusal("Market orders without market protection are not allowed via API."));
  EXPECT_FALSE(IsMarketRefusal("Quantity should be a multiple of lot size (75)."));
  EXPECT_FALSE(IsMarketRefusal("Insufficient funds"));
}

TEST(MergeCircuitFromMessage, ReadsBothLimits) {
  std::optional<CircuitBand> band;
  MergeCircuitFromMessage("Your order price is higher than the current upper circuit limit of "
                          "1,234.50. Place an order within the daily range.",
                          band);
  ASSERT_TRUE(band);
  EXPECT_DOUBLE_EQ(band->upper, 1234.5);
  MergeCircuitFromMessage("price is lower than the current lower circuit limit of 17.90.", band);
  EXPECT_DOUBLE_EQ(band->lower, 17.9);
  EXPECT_DOUBLE_EQ(band->upper, 1234.5);
  std::optional<CircuitBand> none;
  MergeCircuitFromMessage("Insufficient funds", none);
  EXPECT_FALSE(none);
}

TEST(RetryDelay, DoublesFromTheConfiguredBaseAndIsCapped) {
  Config config;
  config.risk_management.order_retry_delay = 2.0;
  EXPECT_EQ(RetryDelay(config, 1), std::chrono::milliseconds(2000));
  EXPECT_EQ(RetryDelay(config, 2), std::chrono::milliseconds(4000));
  EXPECT_EQ(RetryDelay(config, 3), std::chrono::milliseconds(8000));
  EXPECT_EQ(RetryDelay(config, 10), std::chrono::milliseconds(60000));
}

TEST(NewRow, MarketCarriesProtectionLimitDoesNot) {
  Config config;
  JournaledSquareOff so;
  so.id = 7;
  so.rounds = 2;
  PlannedSlice plan{"NFO", "NIFTY26DEC24000PE", "MIS", "BUY", 1800, 75, 0.05, 123, "NIFTY"};
  JournaledOrder market = NewRow(so, plan, 3, 1, 1800, false, config, 1000);
  EXPECT_EQ(market.tag, MakeTag(7, 3, 1));
  EXPECT_EQ(market.round, 2);
  EXPECT_EQ(market.state, order_state::kJournaled);
  kite::OrderRequest request = ToOrderRequest(market);
  EXPECT_EQ(request.order_type, "MARKET");
  EXPECT_EQ(request.market_protection, -1);
  EXPECT_EQ(request.product, "MIS");
  EXPECT_EQ(request.quantity, 1800);
  EXPECT_EQ(request.tag, market.tag);
  JournaledOrder limit = NewRow(so, plan, 3, 2, 75, true, config, 1000);
  limit.price = 101.5;
  request = ToOrderRequest(limit);
  EXPECT_EQ(request.order_type, "LIMIT");
  EXPECT_EQ(request.market_protection, 0);
  EXPECT_DOUBLE_EQ(request.price, 101.5);
}

TEST(DescribePositions, NamesWhatRemains) {
  kite::Position p;
  p.exchange = "NFO";
  p.tradingsymbol = "NIFTY26DEC24000PE";
  p.product = "NRML";
  p.quantity = -75;
  EXPECT_EQ(DescribePositions({p}), (std::vector<std::string>{"NFO:NIFTY26DEC24000PE NRML -75"}));
}

}  // namespace
}  // namespace zm::monitor
