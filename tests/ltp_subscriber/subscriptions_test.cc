#include "ltp_subscriber/subscriptions.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace zm::ltp {
namespace {

kite::Position Pos(uint32_t token, long long qty) {
  kite::Position p;
  p.instrument_token = token;
  p.quantity = qty;
  return p;
}

TEST(OpenPositionTokensTest, OnlyNonZeroNetQuantities) {
  kite::Positions positions;
  positions.net = {Pos(1, -75), Pos(2, 0), Pos(3, 50), Pos(0, 10), Pos(3, 25)};
  positions.day = {Pos(9, 10)};  // day rows are not what is held
  EXPECT_EQ(OpenPositionTokens(positions), (std::set<uint32_t>{1, 3}));
}

TEST(PlanSubscriptionsTest, DiffBothWays) {
  auto plan = PlanSubscriptions({1, 2, 3}, {2, 3, 4, 5});
  EXPECT_TRUE(plan.limit_error.ok());
  EXPECT_EQ(plan.subscribe, (std::vector<uint32_t>{4, 5}));
  EXPECT_EQ(plan.unsubscribe, (std::vector<uint32_t>{1}));
  EXPECT_EQ(plan.target, (std::set<uint32_t>{2, 3, 4, 5}));
}

TEST(PlanSubscriptionsTest, NothingToDo) {
  auto plan = PlanSubscriptions({1, 2}, {1, 2});
  EXPECT_TRUE(plan.subscribe.empty());
  EXPECT_TRUE(plan.unsubscribe.empty());
  EXPECT_TRUE(PlanMessages(plan, "full").empty());
}

TEST(PlanSubscriptionsTest, ExactlyTheLimitIsFine) {
  std::set<uint32_t> wanted;
  for (uint32_t t = 1; t <= 3000; ++t) wanted.insert(t);
  auto plan = PlanSubscriptions({}, wanted);
  EXPECT_TRUE(plan.limit_error.ok());
  EXPECT_EQ(plan.subscribe.size(), 3000u);
}

TEST(PlanSubscriptionsTest, OverTheLimitIsAClearErrorNotSilentTruncation) {
  std::set<uint32_t> wanted;
  for (uint32_t t = 1; t <= 3002; ++t) wanted.insert(t);
  auto plan = PlanSubscriptions({3001}, wanted);
  ASSERT_FALSE(plan.limit_error.ok());
  EXPECT_NE(plan.limit_error.message().find("3002"), std::string::npos);
  EXPECT_NE(plan.limit_error.message().find("3000"), std::string::npos);
  EXPECT_NE(plan.limit_error.message().find("2 of them"), std::string::npos);
  EXPECT_EQ(plan.target.size(), 3000u);
  EXPECT_EQ(plan.unsubscribe, (std::vector<uint32_t>{3001}));  // slot freed for a lower token
}

TEST(PlanSubscriptionsTest, SmallLimit) {
  auto plan = PlanSubscriptions({}, {5, 6, 7}, 2);
  EXPECT_FALSE(plan.limit_error.ok());
  EXPECT_EQ(plan.subscribe, (std::vector<uint32_t>{5, 6}));
}

TEST(MessagesTest, KiteShapes) {
  EXPECT_EQ(nlohmann::json::parse(SubscribeMessage({408065, 884737})),
            nlohmann::json::parse(R"({"a":"subscribe","v":[408065,884737]})"));
  EXPECT_EQ(nlohmann::json::parse(UnsubscribeMessage({408065})),
            nlohmann::json::parse(R"({"a":"unsubscribe","v":[408065]})"));
  EXPECT_EQ(nlohmann::json::parse(ModeMessage("full", {408065})),
            nlohmann::json::parse(R"({"a":"mode","v":["full",[408065]]})"));
}

TEST(MessagesTest, PlanOrderIsUnsubscribeThenSubscribeThenMode) {
  auto plan = PlanSubscriptions({1}, {2});
  auto messages = PlanMessages(plan, "quote");
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(nlohmann::json::parse(messages[0])["a"], "unsubscribe");
  EXPECT_EQ(nlohmann::json::parse(messages[1])["a"], "subscribe");
  EXPECT_EQ(nlohmann::json::parse(messages[2]), nlohmann::json::parse(ModeMessage("quote", {2})));
}

}  // namespace
}  // namespace zm::ltp
