#include "runner/args.h"

#include <gtest/gtest.h>

namespace zm::runner {
namespace {

Result<RunnerArgs> Parse(std::vector<std::string> argv) { return ParseRunnerArgs(argv); }

TEST(ArgsTest, DefaultsToStart) {
  auto a = Parse({});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->verb, Verb::kStart);
  EXPECT_EQ(a->config_path, "config.yaml");
  EXPECT_FALSE(a->help);
}

TEST(ArgsTest, ConfigBeforeOrAfterVerb) {
  auto a = Parse({"--config", "/x/c.yaml", "status", "--json"});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->verb, Verb::kStatus);
  EXPECT_EQ(a->config_path, "/x/c.yaml");
  EXPECT_TRUE(a->json);
  auto b = Parse({"summary", "--config=/y.yaml"});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->verb, Verb::kSummary);
  EXPECT_EQ(b->config_path, "/y.yaml");
  auto c = Parse({"-c", "z.yaml", "stop"});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->config_path, "z.yaml");
}

TEST(ArgsTest, HelpOnEveryVerb) {
  for (const char* verb : {"start", "stop", "status", "summary", "check", "login", "demo"}) {
    auto a = Parse({verb, "--help"});
    ASSERT_TRUE(a.ok()) << verb;
    EXPECT_TRUE(a->help);
    EXPECT_EQ(VerbName(a->verb), std::string(verb));
    EXPECT_NE(UsageText(a->verb, false).find(verb), std::string::npos);
  }
  auto general = Parse({"--help"});
  ASSERT_TRUE(general.ok());
  EXPECT_TRUE(general->help);
  EXPECT_NE(UsageText(Verb::kStart, true).find("Exit codes"), std::string::npos);
}

TEST(ArgsTest, UsageErrors) {
  EXPECT_FALSE(Parse({"stat"}).ok());
  EXPECT_FALSE(Parse({"--config"}).ok());
  EXPECT_FALSE(Parse({"stop", "--json"}).ok());  // --json only for status/summary/check
  EXPECT_FALSE(Parse({"status", "--bogus"}).ok());
  EXPECT_FALSE(Parse({"login", "--request-token"}).ok());
  EXPECT_FALSE(Parse({"demo", "--timeout", "abc"}).ok());
  EXPECT_FALSE(Parse({"demo", "--timeout", "-3"}).ok());
  EXPECT_FALSE(Parse({"status", "extra"}).ok());
}

TEST(ArgsTest, LoginForms) {
  auto a = Parse({"login"});
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a->login_input.has_value());
  auto b = Parse({"login", "--request-token", "abc123"});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b->login_input, "abc123");
  auto c = Parse({"login", "--request-token=abc"});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*c->login_input, "abc");
  auto d = Parse({"login", "https://x/?request_token=q&status=success"});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d->login_input, "https://x/?request_token=q&status=success");
}

TEST(ArgsTest, DemoOptions) {
  auto a = Parse({"demo", "--scenario", "s.yaml", "--timeout=90", "--dir", "/tmp/d"});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->verb, Verb::kDemo);
  EXPECT_EQ(*a->scenario, "s.yaml");
  EXPECT_DOUBLE_EQ(a->demo_timeout_seconds, 90);
  EXPECT_EQ(*a->demo_dir, "/tmp/d");
}

}  // namespace
}  // namespace zm::runner
