// Malformed tick frames: each must give an error (never a crash or an over-read) and keep the
// whole packets that preceded the problem. Run under ASan to check the "never reads past the
// buffer" part; every case below also copies its input into an exact-size heap buffer.
#include <gtest/gtest.h>

#include <memory>

#include "common/kite/tick.h"
#include "test_util.h"

namespace zm::kite {
namespace {

std::string U16(size_t v) {
  return {static_cast<char>((v >> 8) & 0xff), static_cast<char>(v & 0xff)};
}

std::string Ltp(uint32_t token = (7u << 8) | kNse, double price = 10) {
  Tick t;
  t.instrument_token = token;
  t.last_price = price;
  return EncodePacket(t);
}

std::string FullPacket() {
  return testing::Base64Decode(testing::ReadFixture("ticker_full.packet"));
}

struct Case {
  const char* name;
  std::string frame;
  size_t good_ticks;  // whole packets before the problem
};

std::vector<Case> Cases() {
  const std::string ltp = Ltp();
  const std::string full = FullPacket();
  const std::string quote = full.substr(0, 44);
  Tick index;
  index.instrument_token = 256265;
  index.tradable = false;
  index.mode = TickMode::kFull;
  const std::string index_full = EncodePacket(index);
  return {
      {"count2_nothing_else", U16(2), 0},
      {"count1_no_length", U16(1), 0},
      {"count1_half_length", U16(1) + std::string("\x00", 1), 0},
      {"count1_length_no_body", U16(1) + U16(8), 0},
      {"ltp_truncated_by_one", U16(1) + U16(8) + ltp.substr(0, 7), 0},
      {"full_truncated", U16(1) + U16(184) + full.substr(0, 100), 0},
      {"length_exceeds_buffer", U16(1) + U16(65535) + ltp, 0},
      {"count_too_high", U16(3) + U16(8) + ltp + U16(8) + ltp, 2},
      {"count_zero_with_trailing", U16(0) + U16(8) + ltp, 0},
      {"trailing_garbage", U16(1) + U16(8) + ltp + "xyz", 1},
      {"trailing_single_byte", U16(1) + U16(8) + ltp + "x", 1},
      {"length_zero", U16(1) + U16(0), 0},
      {"length_three", U16(1) + U16(3) + "abc", 0},
      {"length_seven", U16(1) + U16(7) + ltp.substr(0, 7), 0},
      {"length_nine", U16(1) + U16(9) + ltp + "z", 0},
      {"length_43", U16(1) + U16(43) + quote.substr(0, 43), 0},
      {"length_45", U16(1) + U16(45) + quote + "z", 0},
      {"length_183", U16(1) + U16(183) + full.substr(0, 183), 0},
      {"length_185", U16(1) + U16(185) + full + "z", 0},
      {"index_size_for_tradable", U16(1) + U16(28) + full.substr(0, 28), 0},
      {"index_full_size_for_tradable", U16(1) + U16(32) + full.substr(0, 32), 0},
      {"quote_size_for_index", U16(1) + U16(44) + index_full + std::string(12, '\0'), 0},
      {"full_size_for_index", U16(1) + U16(184) + index_full + std::string(152, '\0'), 0},
      {"second_packet_bad_length", U16(2) + U16(8) + ltp + U16(10) + ltp + "zz", 1},
      {"third_packet_truncated", U16(3) + U16(8) + ltp + U16(184) + full + U16(184) + "abc", 2},
      {"length_points_past_end_by_one", U16(2) + U16(8) + ltp + U16(8) + ltp.substr(0, 7), 1},
      {"two_byte_garbage_header", std::string("\xFF\xFF", 2), 0},
      {"huge_count_tiny_frame", std::string("\xFF\xFF", 2) + U16(8) + ltp, 1},
  };
}

TEST(TickMalformedTest, EveryMalformedFrameIsAnErrorNotACrash) {
  const std::vector<Case> cases = Cases();
  ASSERT_GE(cases.size(), 20u);
  for (const Case& c : cases) {
    // An exact-size heap copy so that any over-read is caught by sanitizers.
    auto buffer = std::make_unique<char[]>(c.frame.size());
    std::copy(c.frame.begin(), c.frame.end(), buffer.get());
    const DecodedFrame frame = DecodeFrame(std::string_view(buffer.get(), c.frame.size()));
    EXPECT_FALSE(frame.error.ok()) << c.name;
    EXPECT_EQ(frame.error.code(), StatusCode::kParseError) << c.name;
    EXPECT_FALSE(frame.heartbeat) << c.name;
    EXPECT_EQ(frame.ticks.size(), c.good_ticks) << c.name << ": " << frame.error.ToString();
  }
}

TEST(TickMalformedTest, GoodPacketsBeforeTheErrorAreKeptIntact) {
  const std::string ltp = Ltp((9u << 8) | kNfo, 123.45);
  const DecodedFrame frame = DecodeFrame(U16(2) + U16(8) + ltp + U16(184) + "short");
  ASSERT_EQ(frame.ticks.size(), 1u);
  EXPECT_EQ(frame.ticks[0].instrument_token, (9u << 8) | kNfo);
  EXPECT_DOUBLE_EQ(frame.ticks[0].last_price, 123.45);
  EXPECT_NE(frame.error.message().find("packet 1"), std::string::npos);
}

TEST(TickMalformedTest, DecodePacketRejectsBadSizes) {
  for (size_t size : {0, 1, 3, 4, 7, 9, 27, 29, 31, 33, 43, 45, 100, 183, 185, 400}) {
    const std::string packet(size, '\x01');
    EXPECT_FALSE(DecodePacket(packet).ok()) << size;
  }
}

// The packet count is the peer's claim: memory reserved up front follows the bytes present.
TEST(TickMalformedTest, CountClaimDoesNotReserveMoreThanTheFrameHolds) {
  const DecodedFrame huge_claim = DecodeFrame(U16(65535) + U16(8) + Ltp().substr(0, 6));
  EXPECT_FALSE(huge_claim.error.ok());
  EXPECT_TRUE(huge_claim.ticks.empty());
  EXPECT_EQ(huge_claim.ticks.capacity(), 0u);  // 10 bytes cannot hold one whole packet
  const DecodedFrame two_of_many = DecodeFrame(U16(65535) + U16(8) + Ltp() + U16(8) + Ltp());
  EXPECT_FALSE(two_of_many.error.ok());
  EXPECT_EQ(two_of_many.ticks.size(), 2u);
  EXPECT_LE(two_of_many.ticks.capacity(), 2u);
  // Found by fuzz_tick_frame: a packet of length 0 (4 bytes: 1024 packets claimed, the first
  // empty) grew the vector before it was refused.
  const DecodedFrame empty_packet = DecodeFrame(std::string("\x04\x00\x00\x00", 4));
  EXPECT_FALSE(empty_packet.error.ok());
  EXPECT_EQ(empty_packet.ticks.capacity(), 0u);
}

TEST(TickMalformedTest, EveryPrefixOfAValidFrameIsSafe) {
  Tick index;
  index.instrument_token = 256265;
  index.tradable = false;
  index.mode = TickMode::kQuote;
  const std::string frame =
      U16(3) + U16(184) + FullPacket() + U16(8) + Ltp() + U16(28) + EncodePacket(index);
  ASSERT_TRUE(DecodeFrame(frame).error.ok());
  for (size_t n = 2; n < frame.size(); ++n) {
    auto buffer = std::make_unique<char[]>(n);
    std::copy(frame.begin(), frame.begin() + n, buffer.get());
    const DecodedFrame decoded = DecodeFrame(std::string_view(buffer.get(), n));
    EXPECT_FALSE(decoded.error.ok()) << n;
    EXPECT_LE(decoded.ticks.size(), 2u) << n;
  }
}

}  // namespace
}  // namespace zm::kite
