#include "sim_fixture.h"

#include <csignal>
#include <iostream>
#include <sstream>

#include "common/heartbeat.h"

namespace zm::ltp::testing {

std::string ScenarioWithPositions(const std::string& positions_yaml) {
  std::string text = zm::testing::ReadScenario("test_basic.yaml");
  const std::string marker = "positions: []";
  const size_t at = text.find(marker);
  if (at == std::string::npos) {
    ADD_FAILURE() << "test_basic.yaml has no 'positions: []'";
    return text;
  }
  return text.replace(at, marker.size(), "positions:\n" + positions_yaml);
}

std::string ManyInstrumentsScenario(int count) {
  std::ostringstream y;
  y << "credentials: {api_key: sim_key, api_secret: sim_secret, access_token: sim_token}\n"
       "market: {tick_interval_ms: 100, heartbeat_interval_ms: 1000, circuit_percent: 20}\n"
       "broker: {accept_latency_ms: 20, fill_latency_ms: 40, order_rate_limit: 10}\n"
       "freeze_limits: {NIFTY: 1800}\ninstruments:\n";
  for (int i = 0; i < count; ++i) {
    y << "  - {exchange: NFO, tradingsymbol: NIFTY26DEC" << (20000 + i) << "CE, name: NIFTY,"
      << " exchange_token: " << (kFirstExchangeToken + i) << ", instrument_type: CE,"
      << " segment: NFO-OPT, expiry: \"2026-12-29\", strike: " << (20000 + i)
      << ", lot_size: 75, tick_size: 0.05, price: " << (100 + i % 50);
    // Instrument 0 stays still so that the latency probe's prices are unambiguous.
    if (i != 0) y << ", path: {walk: {volatility: 2.0}}";
    y << "}\n";
  }
  y << "positions:\n";
  for (int i = 0; i < count; ++i) {
    y << "  - {exchange: NFO, tradingsymbol: NIFTY26DEC" << (20000 + i)
      << "CE, product: NRML, quantity: -75, price: 100}\n";
  }
  y << "faults: []\n";
  return y.str();
}

void SubscriberSimTest::TearDown() {
  if (child_ && child_->running()) {
    child_->Signal(SIGTERM);
    child_->WaitExit(std::chrono::seconds(10));
  }
  if (HasFailure() && child_) {
    std::cerr << "--- subscriber stderr ---\n" << child_->ReadStderr() << "\n";
  }
  child_.reset();
  if (sim_) sim_->Stop();
  if (!HasFailure() && !dir_.empty()) std::filesystem::remove_all(dir_);
}

void SubscriberSimTest::StartSim(const std::string& scenario_yaml) {
  auto sim = zm::testing::SimHarness::Start(scenario_yaml);
  ASSERT_TRUE(sim.ok()) << sim.status().ToString();
  sim_ = std::move(*sim);
  dir_ = zm::testing::MakeTempDir("zm_ltp_sub");
}

void SubscriberSimTest::StartSubscriber(const std::string& extra_yaml) {
  config_path_ = zm::testing::WriteSuiteConfig(dir_, *sim_, extra_yaml);
  ASSERT_FALSE(config_path_.empty());
  auto child = zm::testing::ChildProcess::Start(zm::testing::BinaryPath("zerodha_ltp_subscriber"),
                                                {"--config", config_path_.string()},
                                                {{"ZM_SUPERVISED", "1"}}, dir_);
  ASSERT_TRUE(child.ok()) << child.status().ToString();
  child_ = std::move(*child);
}

std::map<uint32_t, LtpRow> SubscriberSimTest::Ltps() {
  auto db = TradingDb::Open(dir_ / "zerodha_trading.db", true);
  if (!db.ok()) return {};
  auto rows = (*db)->ReadLtps();
  return rows.ok() ? *rows : std::map<uint32_t, LtpRow>();
}

std::optional<LtpRow> SubscriberSimTest::Ltp(uint32_t token) {
  auto rows = Ltps();
  auto it = rows.find(token);
  if (it == rows.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> SubscriberSimTest::Meta(const std::string& key) {
  auto db = TradingDb::Open(dir_ / "zerodha_trading.db", true);
  if (!db.ok()) return std::nullopt;
  auto value = (*db)->GetMeta(key);
  return value.ok() ? *value : std::nullopt;
}

nlohmann::json SubscriberSimTest::HeartbeatDetails() {
  auto db = TradingDb::Open(dir_ / "zerodha_trading.db", true);
  if (!db.ok()) return nlohmann::json::object();
  auto hb = ReadHeartbeat((*db)->db(), "ltp_subscriber");
  if (!hb.ok() || !hb->has_value()) return nlohmann::json::object();
  return (*hb)->details;
}

PositionsSnapshot SubscriberSimTest::Positions() {
  auto db = TradingDb::Open(dir_ / "zerodha_trading.db", true);
  if (!db.ok()) return {};
  auto snapshot = (*db)->ReadPositions();
  return snapshot.ok() ? *snapshot : PositionsSnapshot();
}

nlohmann::json SubscriberSimTest::Stats() {
  auto stats = sim_->Stats();
  return stats.ok() ? *stats : nlohmann::json::object();
}

bool SubscriberSimTest::WaitForPrice(uint32_t token, double price,
                                     std::chrono::milliseconds timeout) {
  return zm::testing::WaitUntil(
      [&] {
        auto row = Ltp(token);
        return row && std::abs(row->last_price - price) < 1e-6;
      },
      timeout);
}

bool SubscriberSimTest::WaitConnected(std::chrono::milliseconds timeout) {
  return zm::testing::WaitUntil([&] { return HeartbeatDetails().value("ws_connected", false); },
                                timeout);
}

}  // namespace zm::ltp::testing
