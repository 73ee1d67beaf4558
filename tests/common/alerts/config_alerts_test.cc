// The alerts: and dashboard: sections of config.yaml: defaults, every channel type, the
// validation errors (one line naming the key) and the channels' own unknown-key scan.
#include <gtest/gtest.h>

#include "common/config.h"

namespace zm {
namespace {

const std::string kBase = R"(
zerodha: {api_key: kite_key, api_secret: kite_secret}
trading: {mtm_loss_threshold: -10000, daily_max_profit_target: 2000}
)";

Result<LoadedConfig> Parse(const std::string& extra) {
  return ParseConfig(kBase + extra, "/etc/zm/config.yaml");
}

std::string ErrorOf(const std::string& extra) {
  auto loaded = Parse(extra);
  return loaded.ok() ? "" : loaded.status().message();
}

TEST(ConfigAlertsTest, DefaultsWithoutTheSections) {
  auto loaded = Parse("");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const Config& c = loaded->config;
  EXPECT_EQ(c.alerts.min_severity, AlertSeverity::kWarning);
  EXPECT_EQ(c.alerts.account, "kite_key");
  EXPECT_EQ(c.alerts.max_retries, 3);
  EXPECT_DOUBLE_EQ(c.alerts.retry_delay, 2);
  EXPECT_EQ(c.alerts.rate_limit_per_minute, 20);
  EXPECT_DOUBLE_EQ(c.alerts.duplicate_window, 60);
  EXPECT_TRUE(c.alerts.channels.empty());
  EXPECT_FALSE(c.dashboard.enabled);
  EXPECT_EQ(c.dashboard.port, 0);
}

TEST(ConfigAlertsTest, EveryChannelType) {
  auto loaded = Parse(R"(
alerts:
  min_severity: info
  account: "my desk"
  max_retries: 5
  retry_delay: 0.5
  rate_limit_per_minute: 6
  duplicate_window: 0
  channels:
    - {type: webhook, url: "http://127.0.0.1:9000/hook", header: "Authorization: Bearer abc:d"}
    - {type: telegram, name: phone, bot_token_file: tg/bot.txt, chat_id: "-100123",
       min_severity: critical, timeout: 3}
    - {type: command, command: [bin/notify, --loud]}
    - {type: command, command: notify-send}
dashboard: {enabled: true, port: 8765}
)");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const AlertsConfig& a = loaded->config.alerts;
  EXPECT_EQ(a.min_severity, AlertSeverity::kInfo);
  EXPECT_EQ(a.account, "my desk");
  EXPECT_EQ(a.max_retries, 5);
  EXPECT_EQ(a.rate_limit_per_minute, 6);
  EXPECT_DOUBLE_EQ(a.duplicate_window, 0);
  ASSERT_EQ(a.channels.size(), 4u);
  EXPECT_EQ(a.channels[0].name, "webhook-1");
  EXPECT_EQ(a.channels[0].header_name, "Authorization");
  EXPECT_EQ(a.channels[0].header_value.reveal(), "Bearer abc:d");
  EXPECT_FALSE(a.channels[0].min_severity.has_value());
  EXPECT_EQ(a.channels[1].name, "phone");
  EXPECT_EQ(a.channels[1].bot_token_file, std::filesystem::path("/etc/zm/tg/bot.txt"));
  EXPECT_EQ(a.channels[1].api_base_url, "https://api.telegram.org");
  EXPECT_EQ(a.channels[1].min_severity, AlertSeverity::kCritical);
  EXPECT_DOUBLE_EQ(a.channels[1].timeout, 3);
  EXPECT_EQ(a.channels[2].command, (std::vector<std::string>{"/etc/zm/bin/notify", "--loud"}));
  EXPECT_EQ(a.channels[3].command, (std::vector<std::string>{"notify-send"}));
  EXPECT_TRUE(loaded->config.dashboard.enabled);
  EXPECT_EQ(loaded->config.dashboard.port, 8765);
  EXPECT_TRUE(loaded->warnings.empty());
}

TEST(ConfigAlertsTest, ErrorsNameTheKey) {
  EXPECT_EQ(ErrorOf("alerts: {min_severity: loud}"),
            "alerts.min_severity: found 'loud', expected one of info, warning, critical");
  EXPECT_EQ(ErrorOf("alerts: {channels: [{type: sms}]}"),
            "alerts.channels[1].type: found 'sms', expected one of webhook, telegram, command");
  EXPECT_EQ(ErrorOf("alerts: {channels: [{type: webhook, url: 'http://example.com/x'}]}"),
            "alerts.channels[1].url: found 'http://example.com/x', expected https:// (plain "
            "http:// is allowed only to loopback)");
  EXPECT_EQ(ErrorOf("alerts: {channels: [{type: webhook}]}"),
            "alerts.channels[1].url: found nothing, expected a URL (required for webhook)");
  EXPECT_EQ(ErrorOf("alerts: {channels: [{type: telegram, bot_token_file: t.txt}]}"),
            "alerts.channels[1].chat_id: found nothing, expected a chat id (required for "
            "telegram)");
  EXPECT_EQ(ErrorOf("alerts: {channels: [{type: command, command: []}]}"),
            "alerts.channels[1].command: found a list, expected a list of strings: the program "
            "and its arguments (no shell)");
  EXPECT_EQ(ErrorOf("alerts: {rate_limit_per_minute: 0}"),
            "alerts.rate_limit_per_minute: found '0', expected a whole number in [1, 600]");
  EXPECT_EQ(ErrorOf("alerts: {channels: [{type: command, command: x, timeout: 0}]}"),
            "alerts.channels[1].timeout: found '0', expected seconds in (0, 60]");
  EXPECT_EQ(ErrorOf("dashboard: {port: 70000}"),
            "dashboard.port: found '70000', expected a whole number in [0, 65535]");
  EXPECT_EQ(ErrorOf("alerts: [1]"), "alerts: found a list, expected a mapping");
  EXPECT_EQ(ErrorOf("alerts: {channels: [{type: command, command: a, name: x},"
                    " {type: command, command: b, name: x}]}"),
            "alerts.channels[2].name: found 'x', expected a name no other channel has");
}

TEST(ConfigAlertsTest, AMalformedHeaderIsNeverEchoed) {
  const std::string error = ErrorOf(
      "alerts: {channels: [{type: webhook, url: 'https://h.example/x', header: 'tok3n-value'}]}");
  EXPECT_EQ(error.find("tok3n"), std::string::npos) << error;
  EXPECT_NE(error.find("alerts.channels[1].header"), std::string::npos) << error;
}

TEST(ConfigAlertsTest, UnknownKeysInSectionsAndChannels) {
  auto loaded = Parse(R"(
alerts:
  min_severty: info
  channels:
    - {type: webhook, url: "https://hooks.example/x", chat_id: "1", colour: red}
dashboard: {enabled: false, bind: 0.0.0.0}
)");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const auto& w = loaded->warnings;
  auto has = [&](const std::string& text) {
    return std::find(w.begin(), w.end(), text) != w.end();
  };
  EXPECT_TRUE(
      has("unknown key 'alerts.min_severty' ignored (did you mean 'alerts.min_severity'?)"));
  EXPECT_TRUE(has("unknown key 'dashboard.bind' ignored"));
  EXPECT_TRUE(
      has("unknown key 'alerts.channels[1].chat_id' ignored (a key of telegram "
          "channels, not webhook)"));
  EXPECT_TRUE(has("unknown key 'alerts.channels[1].colour' ignored"));
  EXPECT_EQ(w.size(), 4u);
}

}  // namespace
}  // namespace zm
