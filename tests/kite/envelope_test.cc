#include <gtest/gtest.h>

#include "common/kite/models.h"

namespace zm::kite {
namespace {

TEST(EnvelopeTest, SuccessReturnsData) {
  auto data = ParseEnvelope(200, R"({"status":"success","data":{"order_id":"42"}})");
  ASSERT_TRUE(data.ok());
  auto id = ParseOrderId(*data);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, "42");
}

TEST(EnvelopeTest, NumericOrderIdKeptAsText) {
  auto id = ParseOrderId(nlohmann::json{{"order_id", 151220000000000LL}});
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, "151220000000000");
}

TEST(EnvelopeTest, MissingOrderIdIsParseErrorNamingIt) {
  auto id = ParseOrderId(nlohmann::json::object());
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), StatusCode::kParseError);
  EXPECT_NE(id.status().message().find("order_id"), std::string::npos);
}

TEST(EnvelopeTest, InputException400IsBroker) {
  auto r = ParseEnvelope(400, ErrorEnvelope("InputException", "Invalid `quantity`"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kBroker);
  EXPECT_EQ(r.status().http_status(), 400);
  EXPECT_EQ(r.status().error_type(), "InputException");
  EXPECT_EQ(r.status().message(), "Invalid `quantity`");
}

// Kite's message ends up in log lines and in `check` output: a peer cannot forge lines or
// flood the log through it.
TEST(EnvelopeTest, ErrorMessageFromThePeerIsSanitised) {
  const std::string hostile = "Bad\n2026-01-01 [info] forged line\x1b[2J" + std::string(5000, 'x');
  auto r = ParseEnvelope(400, ErrorEnvelope("Input\rException", hostile));
  ASSERT_FALSE(r.ok());
  const std::string& message = r.status().message();
  EXPECT_EQ(message.find('\n'), std::string::npos);
  EXPECT_EQ(message.find('\x1b'), std::string::npos);
  EXPECT_NE(message.find("Bad\\n2026"), std::string::npos) << message;
  EXPECT_LT(message.size(), 400u);
  EXPECT_EQ(r.status().error_type(), "Input\\rException");
  EXPECT_EQ(r.status().code(), StatusCode::kBroker);
}

TEST(EnvelopeTest, TokenException403IsToken) {
  auto r =
      ParseEnvelope(403, ErrorEnvelope("TokenException", "Incorrect `api_key` or `access_token`."));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kToken);
  EXPECT_EQ(r.status().http_status(), 403);
  EXPECT_EQ(r.status().error_type(), "TokenException");
}

TEST(EnvelopeTest, Bare403IsToken) {
  auto r = ParseEnvelope(403, R"({"status":"error","message":"forbidden"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kToken);
}

TEST(EnvelopeTest, PermissionException403IsBrokerNotToken) {
  auto r = ParseEnvelope(403, ErrorEnvelope("PermissionException", "not allowed"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kBroker);
}

TEST(EnvelopeTest, RateLimited429) {
  auto r = ParseEnvelope(429, ErrorEnvelope("NetworkException", "Too many requests"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kRateLimited);
  EXPECT_EQ(r.status().http_status(), 429);
}

TEST(EnvelopeTest, ServerError500IsBroker) {
  auto r = ParseEnvelope(500, ErrorEnvelope("GeneralException", "Something went wrong"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kBroker);
  EXPECT_EQ(r.status().http_status(), 500);
  EXPECT_EQ(r.status().error_type(), "GeneralException");
}

TEST(EnvelopeTest, Html502IsParseErrorWithHttpStatus) {
  auto r = ParseEnvelope(502, "<html><body><h1>502 Bad Gateway</h1></body></html>");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kParseError);
  EXPECT_EQ(r.status().http_status(), 502);
  EXPECT_EQ(r.status().message().find("<html>"), std::string::npos);  // no body echoed
}

TEST(EnvelopeTest, EmptyBodyIsParseError) {
  auto r = ParseEnvelope(200, "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kParseError);
}

TEST(EnvelopeTest, JsonWithoutStatusOn200IsParseError) {
  auto r = ParseEnvelope(200, R"({"data":{}})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kParseError);
}

TEST(EnvelopeTest, ErrorStatusOn200IsBroker) {
  auto r = ParseEnvelope(200, ErrorEnvelope("OrderException", "nope"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kBroker);
}

TEST(EnvelopeTest, SuccessEnvelopeRoundTrips) {
  const nlohmann::json data = {{"a", 1}};
  auto r = ParseEnvelope(200, SuccessEnvelope(data));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, data);
  const auto error = nlohmann::json::parse(ErrorEnvelope("InputException", "m"));
  EXPECT_EQ(error["status"], "error");
  EXPECT_TRUE(error["data"].is_null());
}

TEST(FormTest, OrderRequestForm) {
  OrderRequest req;
  req.exchange = "NFO";
  req.tradingsymbol = "NIFTY26DEC24000CE";
  req.transaction_type = "BUY";
  req.order_type = "MARKET";
  req.product = "NRML";
  req.quantity = 75;
  req.market_protection = -1;
  req.tag = "zm sq&1";
  EXPECT_EQ(req.ToForm(),
            "tradingsymbol=NIFTY26DEC24000CE&exchange=NFO&transaction_type=BUY&order_type=MARKET"
            "&quantity=75&product=NRML&validity=DAY&market_protection=-1&tag=zm%20sq%261");
  req.order_type = "LIMIT";
  req.price = 109.4;
  req.market_protection = 0;
  req.tag.clear();
  const auto fields = ParseForm(req.ToForm());
  std::map<std::string, std::string> by_key(fields.begin(), fields.end());
  EXPECT_EQ(by_key["price"], "109.4");
  EXPECT_EQ(by_key.count("trigger_price"), 0u);
  EXPECT_EQ(by_key.count("market_protection"), 0u);
  EXPECT_EQ(by_key.count("tag"), 0u);
}

TEST(FormTest, OrderModifySendsOnlyNonZero) {
  OrderModify modify;
  EXPECT_EQ(modify.ToForm(), "");
  modify.price = 100;
  modify.order_type = "LIMIT";
  EXPECT_EQ(modify.ToForm(), "order_type=LIMIT&price=100");
}

TEST(FormTest, ParseFormKeepsRepeatsAndDecodes) {
  const auto fields = ParseForm("i=NSE%3AINFY&i=NFO:X&&flag&a=b+c");
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_EQ(fields[0], (std::pair<std::string, std::string>{"i", "NSE:INFY"}));
  EXPECT_EQ(fields[1], (std::pair<std::string, std::string>{"i", "NFO:X"}));
  EXPECT_EQ(fields[2], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ(fields[3], (std::pair<std::string, std::string>{"a", "b c"}));
  EXPECT_TRUE(ParseForm("").empty());
}

TEST(StatusTest, Terminal) {
  EXPECT_TRUE(IsTerminalStatus("COMPLETE"));
  EXPECT_TRUE(IsTerminalStatus("CANCELLED"));
  EXPECT_TRUE(IsTerminalStatus("REJECTED"));
  for (const char* live :
       {"OPEN", "TRIGGER PENDING", "PUT ORDER REQ RECEIVED", "VALIDATION PENDING", "MODIFY PENDING",
        "CANCEL PENDING", "AMO REQ RECEIVED", "SOMETHING NEW", "", "complete"}) {
    EXPECT_FALSE(IsTerminalStatus(live)) << live;
  }
}

}  // namespace
}  // namespace zm::kite
