#include "support/sim_harness.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <yaml-cpp/yaml.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "kite_sim/scenario.h"
#include "kite_sim/sim_server.h"

namespace zm::testing {
namespace {

// Defaults that keep integration tests fast: short intervals, small retry delays.
const char* kSuiteConfig = R"(
zerodha:
  api_key: sim_key
  api_secret: sim_secret
  access_token_file: access_token/access_token.txt
  request_timeout: 2
trading:
  mtm_loss_threshold: -5000
  daily_max_profit_target: 5000
  mtm_check_interval: 0.5
risk_management:
  auto_square_off_enabled: true
  max_order_retries: 3
  order_retry_delay: 0.2
  dry_run: false
  market_protection: -1
  cancel_open_orders: true
  limit_price_margin_percent: 0.5
  max_verify_rounds: 5
instruments:
  NIFTY: {volume_freeze_quantity: 1800}
  BANKNIFTY: {volume_freeze_quantity: 900}
  SENSEX: {volume_freeze_quantity: 1000}
  RELIANCE: {volume_freeze_quantity: 10000}
websocket:
  position_check_interval: 1
  mode: full
system_monitoring:
  health_check_interval: 0.5
  heartbeat_stale_seconds: 5
ltp_management:
  freshness_threshold_seconds: 5
logging:
  level: debug
)";

// Deep-merges the map `extra` into `base` (maps merge key by key; anything else replaces).
void MergeInto(YAML::Node base, const YAML::Node& extra) {
  for (const auto& kv : extra) {
    const std::string key = kv.first.as<std::string>();
    if (base[key] && base[key].IsMap() && kv.second.IsMap()) {
      MergeInto(base[key], kv.second);
    } else {
      base[key] = kv.second;
    }
  }
}

}  // namespace

SimHarness::SimHarness() = default;

Result<std::unique_ptr<SimHarness>> SimHarness::Start(const std::string& scenario_yaml,
                                                      uint64_t seed) {
  auto scenario = sim::ParseScenario(scenario_yaml);
  if (!scenario.ok()) return scenario.status();
  std::unique_ptr<SimHarness> h(new SimHarness());
  h->ioc_ = std::make_unique<boost::asio::io_context>(1);
  h->sim_ = std::make_unique<sim::KiteSim>(*h->ioc_, std::move(*scenario), seed);
  auto port = h->sim_->Listen(0);
  if (!port.ok()) return port.status();
  h->port_ = *port;
  h->sim_->Start();
  h->thread_ = std::thread([ioc = h->ioc_.get()] { ioc->run(); });
  return h;
}

Result<std::unique_ptr<SimHarness>> SimHarness::StartFile(const std::string& scenario,
                                                          uint64_t seed) {
  std::filesystem::path path = scenario;
  if (!std::filesystem::exists(path)) path = ScenarioPath(scenario);
  std::ifstream in(path);
  if (!in) return IoError("cannot read scenario " + path.string());
  std::stringstream text;
  text << in.rdbuf();
  return Start(text.str(), seed);
}

SimHarness::~SimHarness() { Stop(); }

void SimHarness::Stop() {
  if (!thread_.joinable()) return;
  boost::asio::post(*ioc_, [sim = sim_.get()] { sim->Shutdown(); });
  WaitUntil([&] { return ioc_->stopped(); }, std::chrono::seconds(5), std::chrono::milliseconds(5));
  ioc_->stop();  // bounded: anything still open is abandoned
  thread_.join();
}

Result<nlohmann::json> SimHarness::Control(const std::string& method, const std::string& path,
                                           const nlohmann::json& body) const {
  auto res = HttpCall(port_, method, path, body.is_null() ? "" : body.dump());
  if (!res.ok()) return res.status();
  nlohmann::json answer = res->Json();
  if (answer.is_discarded()) return ParseError("control answer is not JSON: " + res->body);
  if (res->status != 200 || !answer.value("ok", false)) {
    return Status(StatusCode::kInvalidArgument, path + " answered " + std::to_string(res->status) +
                                                    ": " + answer.value("error", res->body));
  }
  return answer;
}

std::vector<nlohmann::json> SimHarness::OrderLog() const {
  auto answer = Control("GET", "/_sim/orders");
  if (!answer.ok()) {
    ADD_FAILURE() << "OrderLog: " << answer.status().ToString();
    return {};
  }
  return (*answer)["requests"].get<std::vector<nlohmann::json>>();
}

Status SimHarness::SetPrice(const std::string& instrument, double last_price) const {
  auto answer =
      Control("POST", "/_sim/price", {{"instrument", instrument}, {"last_price", last_price}});
  return answer.ok() ? Status::Ok() : answer.status();
}

Status SimHarness::Fault(const nlohmann::json& fault) const {
  auto answer = Control("POST", "/_sim/fault", fault);
  return answer.ok() ? Status::Ok() : answer.status();
}

Result<nlohmann::json> SimHarness::State() const { return Control("GET", "/_sim/state"); }
Result<nlohmann::json> SimHarness::Stats() const { return Control("GET", "/_sim/stats"); }

std::filesystem::path WriteSuiteConfig(const std::filesystem::path& dir, const SimHarness& harness,
                                       const std::string& extra_yaml) {
  return WriteSuiteConfig(dir, harness.rest_url(), harness.ws_url(), extra_yaml);
}

std::filesystem::path WriteSuiteConfig(const std::filesystem::path& dir,
                                       const std::string& rest_url, const std::string& ws_url,
                                       const std::string& extra_yaml) {
  YAML::Node config = YAML::Load(kSuiteConfig);
  config["zerodha"]["api_base_url"] = rest_url;
  config["zerodha"]["ws_url"] = ws_url;
  config["paths"]["data_dir"] = dir.string();
  try {
    const YAML::Node extra = YAML::Load(extra_yaml);
    if (extra.IsMap()) MergeInto(config, extra);
  } catch (const YAML::Exception& e) {
    ADD_FAILURE() << "WriteSuiteConfig: extra_yaml does not parse: " << e.what();
    return {};
  }
  std::filesystem::create_directories(dir / "access_token");
  std::ofstream(dir / "access_token" / "access_token.txt") << "sim_token\n";
  const std::filesystem::path path = dir / "config.yaml";
  YAML::Emitter out;
  out << config;
  std::ofstream(path) << out.c_str() << "\n";
  return path;
}

bool WaitUntil(const std::function<bool()>& predicate, std::chrono::milliseconds timeout,
               std::chrono::milliseconds poll) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (predicate()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(poll);
  }
}

std::filesystem::path ScenarioPath(const std::string& name) {
  return std::filesystem::path(ZM_SOURCE_DIR) / "scenarios" / name;
}

std::string ReadScenario(const std::string& name) {
  std::ifstream in(ScenarioPath(name));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string ReadTestFixture(const std::string& name) {
  std::ifstream in(std::filesystem::path(ZM_SOURCE_DIR) / "tests" / "fixtures" / name,
                   std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::filesystem::path MakeTempDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "_XXXXXX")).string();
  if (!mkdtemp(pattern.data())) {
    ADD_FAILURE() << "mkdtemp failed for " << pattern;
    return {};
  }
  return pattern;
}

std::string BinaryPath(const std::string& name) {
  // ZM_BIN_DIR in the environment: a snapshot of the executables (scripts/soak.sh copies them
  // so that rebuilding build/ during a long soak does not swap binaries under a run).
  const char* snapshot = std::getenv("ZM_BIN_DIR");
  const std::filesystem::path dir = snapshot && *snapshot ? snapshot : ZM_BIN_DIR;
  return (dir / name).string();
}

}  // namespace zm::testing
