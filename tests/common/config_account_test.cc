// The real-account keys (trading.mtm_basis, day_starts_at, square_off_time by exchange,
// risk_management.products, market_hours) and the predecessor's keys, accepted as they are.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/config.h"

namespace zm {
namespace {

const char* kBase = R"(
zerodha:
  api_key: test_key_123
  api_secret: test_secret_123
trading:
  mtm_loss_threshold: -10000
  daily_max_profit_target: 2000
)";

Result<LoadedConfig> Parse(const std::string& extra) {
  return ParseConfig(std::string(kBase) + extra, "/etc/zm/config.yaml");
}

std::string Trading(const std::string& lines) {
  return std::string("") + "trading:\n  mtm_loss_threshold: -10000\n" +
         "  daily_max_profit_target: 2000\n" + lines;
}

Result<LoadedConfig> ParseTrading(const std::string& lines) {
  return ParseConfig(
      "zerodha: {api_key: test_key_123, api_secret: test_secret_123}\n" + Trading(lines),
      "/etc/zm/config.yaml");
}

TEST(ConfigAccountTest, BasisAndDayStart) {
  auto since = ParseTrading("  mtm_basis: since_entry\n  day_starts_at: \"07:30\"\n");
  ASSERT_TRUE(since.ok()) << since.status().ToString();
  EXPECT_EQ(since->config.trading.mtm_basis, MtmBasis::kSinceEntry);
  EXPECT_EQ(since->config.trading.day_starts_at, 7 * 60 + 30);
  EXPECT_STREQ(MtmBasisName(MtmBasis::kDay), "day");
  EXPECT_TRUE(since->warnings.empty());

  auto bad_basis = ParseTrading("  mtm_basis: pnl\n");
  ASSERT_FALSE(bad_basis.ok());
  EXPECT_NE(bad_basis.status().message().find("trading.mtm_basis"), std::string::npos);
  auto late = ParseTrading("  day_starts_at: \"09:30\"\n");
  ASSERT_FALSE(late.ok());
  EXPECT_NE(late.status().message().find("trading.day_starts_at"), std::string::npos);
}

TEST(ConfigAccountTest, SquareOffTimeIsATimeOrAMapByExchange) {
  auto one = ParseTrading("  square_off_time: \"15:15\"\n");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(SquareOffTimeFor(one->config.trading, "MCX"), 15 * 60 + 15);

  auto map = ParseTrading("  square_off_time: {NSE: \"15:10\", BFO: \"15:12\", MCX: \"23:00\"}\n");
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  const TradingConfig& t = map->config.trading;
  EXPECT_EQ(SquareOffTimeFor(t, "NSE"), 15 * 60 + 10);
  EXPECT_EQ(SquareOffTimeFor(t, "NFO"), 15 * 60 + 10);  // NSE's house
  EXPECT_EQ(SquareOffTimeFor(t, "CDS"), 15 * 60 + 10);
  EXPECT_EQ(SquareOffTimeFor(t, "BFO"), 15 * 60 + 12);
  EXPECT_EQ(SquareOffTimeFor(t, "BSE"), std::nullopt);  // no BSE key, no default
  EXPECT_EQ(SquareOffTimeFor(t, "MCX"), 23 * 60);
  EXPECT_TRUE(map->warnings.empty());

  auto with_default = ParseTrading("  square_off_time: {MCX: \"23:00\", default: \"15:15\"}\n");
  ASSERT_TRUE(with_default.ok());
  EXPECT_EQ(SquareOffTimeFor(with_default->config.trading, "BSE"), 15 * 60 + 15);

  auto bad = ParseTrading("  square_off_time: {MCX: \"24:10\"}\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("trading.square_off_time.MCX"), std::string::npos);
  auto bad_key = ParseTrading("  square_off_time: {nse: \"15:00\"}\n");
  ASSERT_FALSE(bad_key.ok());
  EXPECT_NE(bad_key.status().message().find("trading.square_off_time.nse"), std::string::npos);
}

TEST(ConfigAccountTest, ProductsLimitTheGuard) {
  auto some = Parse("risk_management:\n  products: [MIS, NRML]\n");
  ASSERT_TRUE(some.ok()) << some.status().ToString();
  EXPECT_EQ(some->config.risk_management.products, (std::set<std::string>{"MIS", "NRML"}));
  for (const char* bad : {"[MIS, NMRL]", "[]", "MIS"}) {
    auto r = Parse(std::string("risk_management:\n  products: ") + bad + "\n");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("risk_management.products"), std::string::npos) << bad;
  }
}

TEST(ConfigAccountTest, MarketHoursOverridesAndEnforce) {
  auto m =
      Parse("market_hours:\n  enforce: false\n  MCX: \"09:00-23:55\"\n  NCO: \"09:00-17:00\"\n");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_FALSE(m->config.market_hours.enforce);
  EXPECT_EQ(m->config.market_hours.sessions.at("MCX"), (SessionTime{9 * 60, 23 * 60 + 55}));
  EXPECT_EQ(m->config.market_hours.sessions.size(), 2u);
  EXPECT_TRUE(m->warnings.empty());
  for (const char* bad : {"  NSE: \"15:30-09:15\"\n", "  NSE: 915\n", "  nse: \"09:15-15:30\"\n",
                          "  enforce: maybe\n"}) {
    auto r = Parse(std::string("market_hours:\n") + bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("market_hours."), std::string::npos) << bad;
  }
}

// The predecessor's config.yaml at its shipped values loads without an error or a warning;
// each of its extra keys gets one info line.
TEST(ConfigAccountTest, PredecessorKeysAreAcceptedAsTheyAre) {
  const std::string extra =
      "risk_management:\n"
      "  auto_square_off_enabled: true\n"
      "  order_status_check_interval: 2\n"
      "  api_call_timeout: 15\n"
      "  order_placement_timeout: 30\n"
      "  order_verification_timeout: 45\n"
      "websocket:\n"
      "  error_retry_interval: 30\n";
  auto loaded = Parse(extra);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_TRUE(loaded->warnings.empty());
  ASSERT_EQ(loaded->notes.size(), 5u);
  EXPECT_DOUBLE_EQ(loaded->config.zerodha.request_timeout, 15);
  bool mapped = false;
  for (const auto& note : loaded->notes) {
    mapped = mapped || note.find(
                           "risk_management.api_call_timeout: 15 (predecessor key) used as "
                           "zerodha.request_timeout") != std::string::npos;
  }
  EXPECT_TRUE(mapped);

  // Under trading (where the original put them), with request_timeout set: accepted, not mapped.
  auto under_trading = ParseConfig(
      "zerodha: {api_key: test_key_123, api_secret: test_secret_123, request_timeout: 5}\n" +
          Trading("  order_status_check_interval: 2\n  api_call_timeout: 15\n"
                  "  order_placement_timeout: 30\n  order_verification_timeout: 45\n"),
      "/etc/zm/config.yaml");
  ASSERT_TRUE(under_trading.ok()) << under_trading.status().ToString();
  EXPECT_TRUE(under_trading->warnings.empty());
  EXPECT_EQ(under_trading->notes.size(), 4u);
  EXPECT_DOUBLE_EQ(under_trading->config.zerodha.request_timeout, 5);

  // Odd values are never an error either.
  auto odd = Parse("risk_management:\n  api_call_timeout: soon\n  order_placement_timeout: []\n");
  ASSERT_TRUE(odd.ok()) << odd.status().ToString();
  EXPECT_EQ(odd->notes.size(), 2u);
}

}  // namespace
}  // namespace zm

namespace zm {
namespace {

// The repository's config.yaml (the documented example) loads without a warning, and so does
// it with every commented-out real-account key switched on.
TEST(ConfigAccountTest, TheDocumentedExampleLoads) {
  const std::filesystem::path path = std::filesystem::path(ZM_SOURCE_DIR) / "config.yaml";
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto loaded = ParseConfig(text.str(), path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_TRUE(loaded->warnings.empty());
  EXPECT_EQ(loaded->config.trading.mtm_basis, MtmBasis::kDay);
  EXPECT_EQ(loaded->config.trading.day_starts_at, 8 * 60);

  std::string on = text.str();
  for (const char* key :
       {"# square_off_time: {NSE", "# products:", "# market_hours:", "#   enforce:", "#   MCX:"}) {
    const size_t at = on.find(key);
    ASSERT_NE(at, std::string::npos) << key;
    on.erase(at, 2);
  }
  auto all = ParseConfig(on, path);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_TRUE(all->warnings.empty());
  EXPECT_EQ(all->config.risk_management.products, (std::set<std::string>{"MIS", "NRML"}));
  EXPECT_EQ(SquareOffTimeFor(all->config.trading, "MCX"), std::optional<int>(23 * 60));
}

}  // namespace
}  // namespace zm
