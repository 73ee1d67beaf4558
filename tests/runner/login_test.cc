#include "runner/login.h"

#include <gtest/gtest.h>

namespace zm::runner {
namespace {

TEST(LoginTest, Url) {
  EXPECT_EQ(LoginUrl("abc123"), "https://kite.zerodha.com/connect/login?v=3&api_key=abc123");
}

TEST(LoginTest, BareToken) {
  auto t = ExtractRequestToken("  Xy12abc \n");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, "Xy12abc");
}

TEST(LoginTest, RedirectUrl) {
  auto t = ExtractRequestToken(
      "https://example.com/cb?action=login&type=login&status=success&request_token=RT0ken99");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(*t, "RT0ken99");
  auto u = ExtractRequestToken("http://127.0.0.1/?request_token=abc#frag");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(*u, "abc");
}

TEST(LoginTest, Rejections) {
  EXPECT_FALSE(ExtractRequestToken("").ok());
  EXPECT_FALSE(ExtractRequestToken("not a token").ok());
  EXPECT_FALSE(ExtractRequestToken("https://x/cb?status=cancelled&request_token=abc").ok());
  EXPECT_FALSE(ExtractRequestToken("https://x/cb?status=success").ok());
  EXPECT_FALSE(ExtractRequestToken("https://x/cb?request_token=a%20b").ok());
}

}  // namespace
}  // namespace zm::runner
