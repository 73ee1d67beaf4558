#include "common/url.h"

#include <gtest/gtest.h>

namespace zm {
namespace {

TEST(UrlTest, ParsesSchemesAndDefaults) {
  auto u = ParseUrl("https://api.kite.trade");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "api.kite.trade");
  EXPECT_EQ(u->port, "443");
  EXPECT_EQ(u->target, "/");
  EXPECT_TRUE(u->tls);
  auto w = ParseUrl("ws://127.0.0.1:9001/?api_key=a&access_token=b");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->port, "9001");
  EXPECT_EQ(w->target, "/?api_key=a&access_token=b");
  EXPECT_FALSE(w->tls);
  auto v6 = ParseUrl("http://[::1]:80/x");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
}

TEST(UrlTest, RejectsBadUrls) {
  EXPECT_FALSE(ParseUrl("api.kite.trade").ok());
  EXPECT_FALSE(ParseUrl("ftp://x").ok());
  EXPECT_FALSE(ParseUrl("https://").ok());
  EXPECT_FALSE(ParseUrl("https://h:0").ok());
  EXPECT_FALSE(ParseUrl("https://h:99999").ok());
  EXPECT_FALSE(ParseUrl("https://user:pw@h").ok());
}

TEST(UrlTest, Loopback) {
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("127.1.2.3"));
  EXPECT_TRUE(IsLoopbackHost("localhost"));
  EXPECT_TRUE(IsLoopbackHost("::1"));
  EXPECT_TRUE(IsLoopbackHost("127.255.255.254"));
  EXPECT_TRUE(IsLoopbackHost("0:0:0:0:0:0:0:1"));
  EXPECT_FALSE(IsLoopbackHost("127.0.0.1.evil.com"));
  EXPECT_FALSE(IsLoopbackHost("10.0.0.1"));
  EXPECT_FALSE(IsLoopbackHost("api.kite.trade"));
}

// Only address literals count: anything else would be looked up, and a resolver (or a hosts
// file) can map any name to any address.
// Found by fuzz_url: an embedded NUL made "::1\0..." look like ::1 to inet_pton.
TEST(UrlTest, EmbeddedNulOrControlCharacterIsNeverLoopback) {
  using namespace std::string_literals;
  EXPECT_FALSE(IsLoopbackHost("::1\0evil"s));
  EXPECT_FALSE(IsLoopbackHost("127.0.0.1\0.evil.com"s));
  const std::string fuzzed = "ws://[::1\0\0`0\0+>\xa8]?0:azh?"s;
  ASSERT_EQ(fuzzed.size(), 25u);
  EXPECT_FALSE(ParseUrl(fuzzed).ok());
  EXPECT_FALSE(ParseUrl("http://127.0.0.1\0.evil.com/"s).ok());
  EXPECT_FALSE(ParseUrl("http://127.0.0.1 /").ok());
  EXPECT_FALSE(ParseUrl("https://api.kite.trade/\r\nHost: x").ok());
}

TEST(UrlTest, LoopbackLookalikesAreNotLoopback) {
  for (const char* host : {"127.0.0.999",
                           "127.1",
                           "127.0.1",
                           "0x7f.0.0.1",
                           "0177.0.0.1",
                           "127.0.0.01",
                           "127.0.0.1 ",
                           " 127.0.0.1",
                           "127.0.0.",
                           "127..0.1",
                           "localhost.",
                           "LOCALHOST",
                           "localhost.localdomain",
                           "::2",
                           "::",
                           "::ffff:10.0.0.1",
                           "[::1]",
                           "",
                           "128.0.0.1",
                           "126.255.255.255"}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << "'" << host << "'";
  }
}

TEST(UrlTest, EncodeDecodeRoundTrip) {
  EXPECT_EQ(UrlEncode("NFO:NIFTY 24000&CE"), "NFO%3ANIFTY%2024000%26CE");
  EXPECT_EQ(UrlDecode("NFO%3ANIFTY+24000%26CE"), "NFO:NIFTY 24000&CE");
  EXPECT_EQ(UrlDecode("bad%2"), "bad%2");
}

}  // namespace
}  // namespace zm
