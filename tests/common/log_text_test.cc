#include "common/log_text.h"

#include <gtest/gtest.h>

#include "common/log_throttle.h"

namespace zm {
namespace {

using namespace std::chrono_literals;

TEST(LogTextTest, PrintableTextAndUtf8AreKept) {
  EXPECT_EQ(SanitizeForLog("Insufficient funds. Required margin is 95.00"),
            "Insufficient funds. Required margin is 95.00");
  EXPECT_EQ(SanitizeForLog("₹ 1,000 — ok"), "₹ 1,000 — ok");
  EXPECT_EQ(SanitizeForLog(""), "");
}

TEST(LogTextTest, ControlCharactersAreEscaped) {
  EXPECT_EQ(SanitizeForLog("a\nb\r\tc"), "a\\nb\\r\\tc");
  EXPECT_EQ(SanitizeForLog("\x1b[31mred"), "\\x1b[31mred");
  EXPECT_EQ(SanitizeForLog(std::string("nul\0x", 5)), "nul\\x00x");
  EXPECT_EQ(SanitizeForLog("del\x7f"), "del\\x7f");
  // A forged second log line stays on the first.
  const std::string forged = SanitizeForLog("bad\n2026-01-01T00:00:00+05:30 [x] [info] fake");
  EXPECT_EQ(forged.find('\n'), std::string::npos);
}

TEST(LogTextTest, InvalidUtf8AndC1ControlsAreEscaped) {
  EXPECT_EQ(SanitizeForLog("\xff\xfe"), "\\xff\\xfe");
  EXPECT_EQ(SanitizeForLog("\xc2\x9b"
                           "2J"),
            "\\xc2\\x9b2J");                                     // U+009B: CSI
  EXPECT_EQ(SanitizeForLog("\xe2\x82"), "\\xe2\\x82");           // truncated sequence
  EXPECT_EQ(SanitizeForLog("\xc0\xaf"), "\\xc0\\xaf");           // overlong '/'
  EXPECT_EQ(SanitizeForLog("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // surrogate
}

TEST(LogTextTest, LengthIsCappedWithoutSplittingAnEscapeOrACharacter) {
  const std::string long_text(1000, 'a');
  const std::string out = SanitizeForLog(long_text);
  EXPECT_EQ(out, std::string(kLogTextMaxBytes, 'a') + "...(700 more bytes)");
  EXPECT_EQ(SanitizeForLog("abc\n", 4), "abc...(1 more bytes)");
  EXPECT_EQ(SanitizeForLog("ab₹", 4), "ab...(3 more bytes)");
  EXPECT_EQ(SanitizeForLog(std::string(5000, '\n'), 10).substr(0, 10), "\\n\\n\\n\\n\\n");
}

TEST(LogThrottleTest, FirstAtOnceThenOncePerPeriodWithTheCount) {
  LogThrottle throttle(60s);
  const auto t0 = LogThrottle::Clock::time_point{} + 1000s;
  EXPECT_EQ(throttle.Record(t0), 1);
  for (int i = 1; i <= 500; ++i) EXPECT_EQ(throttle.Record(t0 + i * 100ms), 0) << i;
  EXPECT_EQ(throttle.Record(t0 + 60s), 501);  // 500 suppressed + this one
  EXPECT_EQ(throttle.Record(t0 + 61s), 0);
  EXPECT_EQ(throttle.Record(t0 + 200s), 2);
}

}  // namespace
}  // namespace zm
