// The process- and data-safety keys: defaults, ranges, and the square-off bound that follows a
// larger heartbeat_stale_seconds when it is not set.
#include <gtest/gtest.h>

#include "common/config.h"

namespace zm {
namespace {

constexpr const char* kBase =
    "zerodha: {api_key: sim_key, api_secret: sim_secret}\n"
    "trading: {mtm_loss_threshold: -1000, daily_max_profit_target: 2000}\n";

Result<LoadedConfig> Parse(const std::string& extra) {
  return ParseConfig(std::string(kBase) + extra, "/tmp/config.yaml");
}

TEST(ConfigSafetyTest, Defaults) {
  auto c = Parse("");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_DOUBLE_EQ(c->config.risk_management.dead_man_seconds, 30);
  EXPECT_EQ(c->config.risk_management.dead_man_action, "alert");
  EXPECT_EQ(c->config.system_monitoring.heartbeat_stale_readings, 3);
  EXPECT_DOUBLE_EQ(c->config.system_monitoring.squareoff_stale_seconds, 60);
  EXPECT_DOUBLE_EQ(c->config.system_monitoring.min_free_mb, 200);
  EXPECT_TRUE(c->warnings.empty());
}

TEST(ConfigSafetyTest, ValuesAreRead) {
  auto c = Parse(
      "risk_management: {dead_man_seconds: 12.5, dead_man_action: square_off}\n"
      "system_monitoring: {heartbeat_stale_readings: 5, squareoff_stale_seconds: 90,"
      " min_free_mb: 0}\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_DOUBLE_EQ(c->config.risk_management.dead_man_seconds, 12.5);
  EXPECT_EQ(c->config.risk_management.dead_man_action, "square_off");
  EXPECT_EQ(c->config.system_monitoring.heartbeat_stale_readings, 5);
  EXPECT_DOUBLE_EQ(c->config.system_monitoring.squareoff_stale_seconds, 90);
  EXPECT_DOUBLE_EQ(c->config.system_monitoring.min_free_mb, 0);
  EXPECT_TRUE(c->warnings.empty()) << c->warnings[0];
}

TEST(ConfigSafetyTest, SquareOffBoundFollowsALargerStaleBoundWhenNotSet) {
  auto c = Parse("system_monitoring: {heartbeat_stale_seconds: 120}\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_DOUBLE_EQ(c->config.system_monitoring.squareoff_stale_seconds, 120);
}

TEST(ConfigSafetyTest, OutOfRangeValuesNameTheKey) {
  const std::pair<const char*, const char*> cases[] = {
      {"risk_management: {dead_man_seconds: 0}\n", "risk_management.dead_man_seconds"},
      {"risk_management: {dead_man_seconds: 3601}\n", "risk_management.dead_man_seconds"},
      {"risk_management: {dead_man_action: flatten}\n", "risk_management.dead_man_action"},
      {"system_monitoring: {heartbeat_stale_readings: 0}\n",
       "system_monitoring.heartbeat_stale_readings"},
      {"system_monitoring: {heartbeat_stale_readings: 2.5}\n",
       "system_monitoring.heartbeat_stale_readings"},
      {"system_monitoring: {squareoff_stale_seconds: 10}\n",
       "system_monitoring.squareoff_stale_seconds"},  // below heartbeat_stale_seconds (15)
      {"system_monitoring: {squareoff_stale_seconds: 3601}\n",
       "system_monitoring.squareoff_stale_seconds"},
      {"system_monitoring: {min_free_mb: -1}\n", "system_monitoring.min_free_mb"},
  };
  for (const auto& [yaml, key] : cases) {
    auto c = Parse(yaml);
    ASSERT_FALSE(c.ok()) << yaml;
    EXPECT_EQ(c.status().message().rfind(key, 0), 0u) << c.status().message();
  }
}

}  // namespace
}  // namespace zm
