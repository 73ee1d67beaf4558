#include "common/kite/text_frame.h"

#include <gtest/gtest.h>

#include "common/kite/checksum.h"
#include "test_util.h"

namespace zm::kite {
namespace {

TEST(TextFrameTest, OrderUpdateFromPostbackFixture) {
  const std::string order = testing::ReadFixture("postback.json");
  auto message = ParseTextFrame(R"({"type":"order","data":)" + order + "}");
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_EQ(message->kind, TextMessage::Kind::kOrder);
  EXPECT_FALSE(message->order.order_id.empty());
  EXPECT_FALSE(message->order.status.empty());
}

TEST(TextFrameTest, OrderRoundTrip) {
  Order o;
  o.order_id = "2611260001";
  o.status = "COMPLETE";
  o.tradingsymbol = "NIFTY26DEC24000CE";
  o.exchange = "NFO";
  o.quantity = 75;
  o.filled_quantity = 75;
  o.average_price = 101.25;
  o.tag = "zmsq1";
  o.tags = {"zmsq1"};  // Kite lists the order's own tag in tags[] too
  auto message = ParseTextFrame(EncodeOrderUpdate(o));
  ASSERT_TRUE(message.ok());
  EXPECT_EQ(message->kind, TextMessage::Kind::kOrder);
  EXPECT_EQ(message->order, o);
}

TEST(TextFrameTest, ErrorMessageAndUnknown) {
  auto error = ParseTextFrame(EncodeTextMessage("error", "bad subscription"));
  ASSERT_TRUE(error.ok());
  EXPECT_EQ(error->kind, TextMessage::Kind::kError);
  EXPECT_EQ(error->text, "bad subscription");
  auto message = ParseTextFrame(R"({"type":"message","data":"hello"})");
  ASSERT_TRUE(message.ok());
  EXPECT_EQ(message->kind, TextMessage::Kind::kMessage);
  EXPECT_EQ(message->text, "hello");
  auto structured = ParseTextFrame(R"({"type":"error","data":{"code":1}})");
  ASSERT_TRUE(structured.ok());
  EXPECT_EQ(structured->text, R"({"code":1})");
  auto unknown = ParseTextFrame(R"({"type":"instruments_meta","data":{"count":1}})");
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->kind, TextMessage::Kind::kUnknown);
  EXPECT_EQ(unknown->text, "instruments_meta");
}

TEST(TextFrameTest, MalformedFramesAreParseErrors) {
  for (const char* bad : {"", "not json", "[1,2]", "{}", R"({"type":5})", R"({"type":"order"})",
                          R"({"type":"order","data":{"status":"OPEN"}})",
                          R"({"type":"order","data":"x"})", "{\"type\":\"order\""}) {
    auto message = ParseTextFrame(bad);
    ASSERT_FALSE(message.ok()) << bad;
    EXPECT_EQ(message.status().code(), StatusCode::kParseError) << bad;
  }
  auto missing = ParseTextFrame(R"({"type":"order","data":{"status":"OPEN"}})");
  EXPECT_NE(missing.status().message().find("order_id"), std::string::npos);
}

TEST(ChecksumTest, KnownSha256Vectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ChecksumTest, SessionChecksumConcatenatesKeyTokenSecret) {
  const std::string checksum = SessionChecksum("sim_key", "req_tok", Secret("sim_secret"));
  EXPECT_EQ(checksum, Sha256Hex("sim_keyreq_toksim_secret"));
  EXPECT_EQ(checksum.size(), 64u);
  EXPECT_EQ(checksum.find("sim_secret"), std::string::npos);
}

}  // namespace
}  // namespace zm::kite
