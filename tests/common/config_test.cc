#include "common/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/config_keys.h"

namespace zm {
namespace {

namespace fs = std::filesystem;

const char* kValid = R"(
zerodha:
  api_key: "kite_key"
  api_secret: "kite_secret"
trading:
  mtm_loss_threshold: -10000
  daily_max_profit_target: 2000
risk_management:
  auto_square_off_enabled: true
  max_order_retries: 3
  order_retry_delay: 2
instruments:
  BANKNIFTY:
    volume_freeze_quantity: 900
  NIFTY:
    volume_freeze_quantity: 1800
websocket:
  position_check_interval: 5
system_monitoring:
  health_check_interval: 3
)";

Result<LoadedConfig> Parse(const std::string& text) {
  return ParseConfig(text, "/etc/zm/config.yaml");
}

TEST(ConfigTest, ValidConfigLoadsWithDefaults) {
  auto loaded = Parse(kValid);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const Config& c = loaded->config;
  EXPECT_EQ(c.zerodha.api_key, "kite_key");
  EXPECT_EQ(c.zerodha.api_secret.reveal(), "kite_secret");
  EXPECT_EQ(c.zerodha.access_token_file, fs::path("/etc/zm/access_token/access_token.txt"));
  EXPECT_EQ(c.zerodha.api_base_url, "https://api.kite.trade");
  EXPECT_EQ(c.zerodha.ws_url, "wss://ws.kite.trade");
  EXPECT_DOUBLE_EQ(c.trading.mtm_loss_threshold, -10000);
  EXPECT_DOUBLE_EQ(c.trading.daily_max_profit_target, 2000);
  EXPECT_DOUBLE_EQ(c.trading.mtm_check_interval, 3);
  EXPECT_FALSE(c.risk_management.dry_run);
  EXPECT_DOUBLE_EQ(c.risk_management.market_protection, -1);
  EXPECT_DOUBLE_EQ(c.ltp_management.freshness_threshold_seconds, 10);
  EXPECT_EQ(c.data_dir, fs::path("/etc/zm"));
  EXPECT_EQ(c.log_level, "info");
  EXPECT_EQ(c.instruments.at("BANKNIFTY").volume_freeze_quantity, 900);
  EXPECT_FALSE(c.trading.trailing_profit.enabled);
  EXPECT_FALSE(c.trading.square_off_time.has_value());
  EXPECT_TRUE(loaded->warnings.empty());
}

TEST(ConfigTest, RelativePathsResolveAgainstConfigFolderNotCwd) {
  std::string text = std::string(kValid) +
                     "paths:\n  data_dir: data/today\n"
                     "logging:\n  level: debug\n";
  text.replace(text.find("  api_secret"), 0, "  access_token_file: ../tok.txt\n");
  auto loaded = Parse(text);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->config.data_dir, fs::path("/etc/zm/data/today"));
  EXPECT_EQ(loaded->config.zerodha.access_token_file, fs::path("/etc/tok.txt"));
  EXPECT_EQ(loaded->config.trading_db_path(), fs::path("/etc/zm/data/today/zerodha_trading.db"));
}

TEST(ConfigTest, AbsolutePathsAreKept) {
  auto loaded = Parse(std::string(kValid) + "paths:\n  data_dir: /var/lib/zm\n");
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->config.data_dir, fs::path("/var/lib/zm"));
}

TEST(ConfigTest, UnknownKeysAreWarnedNotFatal) {
  auto loaded = Parse(std::string(kValid) +
                      "tradng:\n  x: 1\nlogging:\n  levle: info\n"
                      "instruments2: {}\n");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_EQ(loaded->warnings.size(), 3u);
  EXPECT_NE(loaded->warnings[0].find("tradng"), std::string::npos);
  EXPECT_NE(loaded->warnings[1].find("logging.levle"), std::string::npos);
  EXPECT_NE(loaded->warnings[0].find("(did you mean 'trading'?)"), std::string::npos)
      << loaded->warnings[0];
  EXPECT_NE(loaded->warnings[1].find("(did you mean 'logging.level'?)"), std::string::npos);
}

TEST(ConfigTest, TypoThatBreaksValidationIsNamedWithTheClosestKey) {
  std::string text = kValid;
  const size_t at = text.find("mtm_loss_threshold");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, std::string("mtm_loss_threshold").size(), "mtm_los_threshold");
  auto loaded = Parse(text);
  ASSERT_FALSE(loaded.ok());
  const std::string& message = loaded.status().message();
  EXPECT_NE(message.find("mtm_loss_threshold"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown key 'trading.mtm_los_threshold' ignored (did you mean "
                         "'trading.mtm_loss_threshold'?)"),
            std::string::npos)
      << message;
}

TEST(ConfigTest, ClosestKeyOnlySuggestsNearNames) {
  const std::set<std::string> keys = {"mtm_check_interval", "dry_run", "level"};
  EXPECT_EQ(ClosestKey("mtm_chek_interval", keys), "mtm_check_interval");
  EXPECT_EQ(ClosestKey("levle", keys), "level");
  EXPECT_EQ(ClosestKey("colour", keys), "");
  EXPECT_EQ(ClosestKey("x", keys), "");
}

TEST(ConfigTest, OptionalFeaturesParse) {
  auto loaded = Parse(std::string(kValid) + "ltp_management:\n  freshness_threshold_seconds: 4\n");
  ASSERT_TRUE(loaded.ok());
  std::string text = kValid;
  text.replace(
      text.find("risk_management:"), 0,
      "  mtm_check_interval: 0.25\n  square_off_time: \"15:15\"\n"
      "  trailing_profit:\n    activate_at: 3000\n    lock_at: 1500\n    trail_by: 1000\n");
  auto t = Parse(text);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_TRUE(t->config.trading.trailing_profit.enabled);
  EXPECT_DOUBLE_EQ(t->config.trading.trailing_profit.trail_by, 1000);
  EXPECT_EQ(*t->config.trading.square_off_time, 15 * 60 + 15);
  EXPECT_DOUBLE_EQ(t->config.trading.mtm_check_interval, 0.25);
}

struct BadConfig {
  const char* name;
  std::string find;     // text in kValid to replace ("" = append)
  std::string replace;  // replacement
  std::string key;      // the key path the error must name
};

void PrintTo(const BadConfig& bad, std::ostream* os) { *os << bad.name; }

class BadConfigTest : public ::testing::TestWithParam<BadConfig> {};

TEST_P(BadConfigTest, ErrorNamesTheKey) {
  const BadConfig& bad = GetParam();
  std::string text = kValid;
  if (bad.find.empty()) {
    text += bad.replace;
  } else {
    const auto pos = text.find(bad.find);
    ASSERT_NE(pos, std::string::npos) << bad.find;
    text.replace(pos, bad.find.size(), bad.replace);
  }
  auto loaded = Parse(text);
  ASSERT_FALSE(loaded.ok()) << bad.name;
  EXPECT_EQ(loaded.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(loaded.status().message().find(bad.key), std::string::npos)
      << bad.name << ": " << loaded.status().message();
  EXPECT_EQ(loaded.status().message().find('\n'), std::string::npos) << "one line";
  EXPECT_EQ(loaded.status().message().find("kite_secret"), std::string::npos) << "no secret";
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadConfigTest,
    ::testing::Values(
        BadConfig{"missing_api_key", "  api_key: \"kite_key\"\n", "", "zerodha.api_key"},
        BadConfig{"empty_api_key", "\"kite_key\"", "\"\"", "zerodha.api_key"},
        BadConfig{"short_api_key", "\"kite_key\"", "\"k\"", "zerodha.api_key"},
        BadConfig{"api_key_with_space", "\"kite_key\"", "\"kite key1\"", "zerodha.api_key"},
        BadConfig{"short_secret", "\"kite_secret\"", "\"s\"", "zerodha.api_secret"},
        BadConfig{"secret_with_space", "\"kite_secret\"", "\"kite secret\"", "zerodha.api_secret"},
        BadConfig{"positive_loss", "-10000", "500", "trading.mtm_loss_threshold"},
        BadConfig{"zero_loss", "-10000", "0", "trading.mtm_loss_threshold"},
        BadConfig{"loss_not_number", "-10000", "lots", "trading.mtm_loss_threshold"},
        BadConfig{"missing_loss", "  mtm_loss_threshold: -10000\n", "",
                  "trading.mtm_loss_threshold"},
        BadConfig{"negative_target", "2000", "-5", "trading.daily_max_profit_target"},
        BadConfig{"target_is_list", "2000", "[1, 2]", "trading.daily_max_profit_target"},
        BadConfig{"auto_not_bool", "auto_square_off_enabled: true",
                  "auto_square_off_enabled: maybe", "risk_management.auto_square_off_enabled"},
        BadConfig{"retries_float", "max_order_retries: 3", "max_order_retries: 2.5",
                  "risk_management.max_order_retries"},
        BadConfig{"retry_delay_zero", "order_retry_delay: 2", "order_retry_delay: 0",
                  "risk_management.order_retry_delay"},
        BadConfig{"freeze_zero", "volume_freeze_quantity: 900", "volume_freeze_quantity: 0",
                  "instruments.BANKNIFTY.volume_freeze_quantity"},
        BadConfig{"freeze_negative", "volume_freeze_quantity: 1800", "volume_freeze_quantity: -1",
                  "instruments.NIFTY.volume_freeze_quantity"},
        BadConfig{"freeze_missing", "    volume_freeze_quantity: 900\n", "    lot: 1\n",
                  "instruments.BANKNIFTY.volume_freeze_quantity"},
        BadConfig{"position_interval_zero", "position_check_interval: 5",
                  "position_check_interval: 0", "websocket.position_check_interval"},
        BadConfig{"health_interval_negative", "health_check_interval: 3",
                  "health_check_interval: -3", "system_monitoring.health_check_interval"},
        BadConfig{"http_not_loopback", "  api_key: \"kite_key\"\n",
                  "  api_key: kitekey\n  api_base_url: http://api.kite.trade\n",
                  "zerodha.api_base_url"},
        BadConfig{"ws_not_loopback", "  api_key: \"kite_key\"\n",
                  "  api_key: kitekey\n  ws_url: ws://10.0.0.1:9000\n", "zerodha.ws_url"},
        BadConfig{"http_loopback_lookalike", "  api_key: \"kite_key\"\n",
                  "  api_key: kitekey\n  api_base_url: http://127.0.0.999:8080\n",
                  "zerodha.api_base_url"},
        BadConfig{"ws_loopback_lookalike", "  api_key: \"kite_key\"\n",
                  "  api_key: kitekey\n  ws_url: ws://127.1:9000/\n", "zerodha.ws_url"},
        BadConfig{"ws_loopback_name_suffix", "  api_key: \"kite_key\"\n",
                  "  api_key: kitekey\n  ws_url: ws://localhost.evil.com/\n", "zerodha.ws_url"},
        BadConfig{"ws_wrong_scheme", "  api_key: \"kite_key\"\n",
                  "  api_key: kitekey\n  ws_url: https://ws.kite.trade\n", "zerodha.ws_url"},
        BadConfig{"check_interval_too_small", "  daily_max_profit_target: 2000\n",
                  "  daily_max_profit_target: 2000\n  mtm_check_interval: 0.1\n",
                  "trading.mtm_check_interval"},
        BadConfig{"market_protection_zero", "order_retry_delay: 2",
                  "order_retry_delay: 2\n  market_protection: 0",
                  "risk_management.market_protection"},
        BadConfig{"square_off_time_bad", "  daily_max_profit_target: 2000\n",
                  "  daily_max_profit_target: 2000\n  square_off_time: \"25:99\"\n",
                  "trading.square_off_time"},
        BadConfig{"bad_ws_mode", "", "websocket2: {}\nlogging:\n  level: loud\n", "logging.level"},
        BadConfig{"section_not_map", "", "ltp_management: 5\n", "ltp_management"},
        BadConfig{"freshness_zero", "", "ltp_management:\n  freshness_threshold_seconds: 0\n",
                  "ltp_management.freshness_threshold_seconds"}),
    [](const auto& info) { return std::string(info.param.name); });

// Every numeric key, with a line that sets it (sections as YAML flow maps appended to kValid;
// a later duplicate section would be a YAML error, so the trading keys replace the section).
struct NumericKey {
  const char* key;
  std::string find;         // text in kValid to replace ("" = append)
  std::string replacement;  // with VALUE where the number goes
};

std::vector<NumericKey> NumericKeys() {
  return {
      {"zerodha.request_timeout", "  api_secret:", "  request_timeout: VALUE\n  api_secret:"},
      {"trading.mtm_loss_threshold", "-10000", "VALUE"},
      {"trading.daily_max_profit_target", "2000", "VALUE"},
      {"trading.mtm_check_interval", "  daily_max_profit_target: 2000\n",
       "  daily_max_profit_target: 2000\n  mtm_check_interval: VALUE\n"},
      {"trailing_profit.activate_at", "  daily_max_profit_target: 2000\n",
       "  daily_max_profit_target: 2000\n  trailing_profit: {activate_at: VALUE, lock_at: 1, "
       "trail_by: 1}\n"},
      {"trailing_profit.lock_at", "  daily_max_profit_target: 2000\n",
       "  daily_max_profit_target: 2000\n  trailing_profit: {activate_at: 9, lock_at: VALUE, "
       "trail_by: 1}\n"},
      {"trailing_profit.trail_by", "  daily_max_profit_target: 2000\n",
       "  daily_max_profit_target: 2000\n  trailing_profit: {activate_at: 9, lock_at: 1, "
       "trail_by: VALUE}\n"},
      {"risk_management.order_retry_delay", "order_retry_delay: 2", "order_retry_delay: VALUE"},
      {"risk_management.market_protection", "order_retry_delay: 2",
       "order_retry_delay: 2\n  market_protection: VALUE"},
      {"risk_management.limit_price_margin_percent", "order_retry_delay: 2",
       "order_retry_delay: 2\n  limit_price_margin_percent: VALUE"},
      {"websocket.position_check_interval", "position_check_interval: 5",
       "position_check_interval: VALUE"},
      {"system_monitoring.health_check_interval", "health_check_interval: 3",
       "health_check_interval: VALUE"},
      {"system_monitoring.heartbeat_stale_seconds", "health_check_interval: 3",
       "health_check_interval: 3\n  heartbeat_stale_seconds: VALUE"},
      {"ltp_management.freshness_threshold_seconds", "",
       "ltp_management:\n  freshness_threshold_seconds: VALUE\n"},
      // Whole-number keys: YAML's infinity is not an integer either.
      {"risk_management.max_order_retries", "max_order_retries: 3", "max_order_retries: VALUE"},
      {"risk_management.max_verify_rounds", "order_retry_delay: 2",
       "order_retry_delay: 2\n  max_verify_rounds: VALUE"},
      {"instruments.NIFTY.volume_freeze_quantity", "volume_freeze_quantity: 1800",
       "volume_freeze_quantity: VALUE"},
  };
}

std::string WithValue(const NumericKey& k, const std::string& value) {
  std::string line = k.replacement;
  line.replace(line.find("VALUE"), 5, value);
  std::string text = kValid;
  if (k.find.empty()) return text + line;
  text.replace(text.find(k.find), k.find.size(), line);
  return text;
}

TEST(ConfigTest, EveryNumericKeyRejectsInfinityAndNan) {
  for (const NumericKey& k : NumericKeys()) {
    ASSERT_TRUE(k.find.empty() || std::string(kValid).find(k.find) != std::string::npos) << k.key;
    // The table's own lines are valid with an ordinary number.
    auto fine = Parse(WithValue(k, "5"));
    EXPECT_TRUE(fine.ok() || fine.status().message().find(k.key) != std::string::npos)
        << k.key << ": " << fine.status().message();
    for (const char* value : {".inf", "-.inf", ".nan", ".Inf", "+.inf", ".NaN"}) {
      auto loaded = Parse(WithValue(k, value));
      ASSERT_FALSE(loaded.ok()) << k.key << " = " << value;
      const std::string& message = loaded.status().message();
      EXPECT_NE(message.find(k.key), std::string::npos)
          << k.key << " = " << value << ": " << message;
      EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
    auto inf = Parse(WithValue(k, ".inf"));
    ASSERT_FALSE(inf.ok());
    EXPECT_NE(inf.status().message().find("expected a "), std::string::npos);
  }
  auto nan = Parse(WithValue(NumericKeys()[1], ".nan"));
  ASSERT_FALSE(nan.ok());
  EXPECT_EQ(nan.status().message(),
            "trading.mtm_loss_threshold: found '.nan', expected a finite number");
}

TEST(ConfigTest, ApiSecretIsOptionalAtLoadAndRequiredByLogin) {
  std::string text = kValid;
  const std::string secret_line = "  api_secret: \"kite_secret\"\n";
  text.replace(text.find(secret_line), secret_line.size(), "");
  auto loaded = Parse(text);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_TRUE(loaded->config.zerodha.api_secret.empty());
  const Status required = RequireApiSecret(loaded->config);
  ASSERT_FALSE(required.ok());
  EXPECT_NE(required.message().find("zerodha.api_secret"), std::string::npos);
  auto with = Parse(kValid);
  ASSERT_TRUE(with.ok());
  EXPECT_TRUE(RequireApiSecret(with->config).ok());
}

TEST(ConfigTest, BadSecretIsNeverEchoed) {
  std::string text = kValid;
  text.replace(text.find("\"kite_secret\""), 13, "\"abc\"");
  auto loaded = Parse(text);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().message(),
            "zerodha.api_secret: found a value of 3 characters, expected at least 8 printable "
            "characters without spaces");
}

TEST(ConfigTest, NotYamlIsAClearError) {
  auto loaded = Parse("zerodha: [unclosed\n");
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("not valid YAML"), std::string::npos);
  auto scalar = Parse("just a string");
  ASSERT_FALSE(scalar.ok());
  EXPECT_NE(scalar.status().message().find("mapping"), std::string::npos);
}

TEST(ConfigTest, UnreadableFileIsIoError) {
  auto loaded = LoadConfig("/nonexistent/dir/config.yaml");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), StatusCode::kIoError);
  EXPECT_NE(loaded.status().message().find("/nonexistent/dir/config.yaml"), std::string::npos);
}

TEST(ConfigTest, AccessTokenFileIsTrimmedAndErrorsNameThePath) {
  const fs::path dir = fs::temp_directory_path() / ("zm_cfg_" + std::to_string(::getpid()));
  fs::create_directories(dir / "access_token");
  auto loaded = ParseConfig(kValid, dir / "config.yaml");
  ASSERT_TRUE(loaded.ok());
  auto missing = ReadAccessToken(loaded->config);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("access_token.txt"), std::string::npos);
  std::ofstream(dir / "access_token/access_token.txt") << "  \n";
  auto empty = ReadAccessToken(loaded->config);
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("empty"), std::string::npos);
  std::ofstream(dir / "access_token/access_token.txt") << "  tok123\r\n";
  auto token = ReadAccessToken(loaded->config);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->reveal(), "tok123");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace zm
