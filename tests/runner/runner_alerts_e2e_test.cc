// The runner's crash-loop alert end to end: the Supervisor (in process, short timings) with the
// stand-in child (fake_child) exiting at once, its alerts going through the real AlertService
// and webhook channel to a loopback receiver (tests/common/alerts/receiver.h).
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <fstream>
#include <functional>

#include "common/alerts/alert_service.h"
#include "common/alerts/receiver.h"
#include "fake_child_support.h"
#include "runner/files.h"
#include "runner/heartbeat_source.h"
#include "runner/supervisor.h"

namespace zm::runner {
namespace {

namespace asio = boost::asio;
using nlohmann::json;
using std::chrono::milliseconds;

class SupervisorAlertsE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("runner_alerts_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (supervisor_) {
      supervisor_->RequestStop();
      RunUntil([&] { return done_; }, milliseconds(5000));
    }
    if (alerts_) alerts_->Stop();
    io_.run_for(milliseconds(50));
    fs::remove_all(dir_);
  }
  ChildSpec Spec(const std::string& name) { return FakeChildSpec(name, dir_); }
  bool RunUntil(const std::function<bool()>& pred, milliseconds timeout) {
    return RunIoUntil(io_, pred, timeout);
  }

  fs::path dir_;
  asio::io_context io_;
  std::unique_ptr<alerts::AlertService> alerts_;
  std::unique_ptr<DbHeartbeatSource> heartbeats_;
  std::unique_ptr<Supervisor> supervisor_;
  bool done_ = false;
};

TEST_F(SupervisorAlertsE2eTest, CrashLoopReachesTheWebhook) {
  testing::AlertReceiver receiver;
  AlertsConfig config;
  config.min_severity = AlertSeverity::kInfo;
  config.account = "ACC1";
  config.retry_delay = 0.2;
  AlertChannelConfig hook;
  hook.type = "webhook";
  hook.name = "hook";
  hook.url = receiver.url("/hook");
  hook.timeout = 2;
  config.channels.push_back(hook);
  alerts_ = std::make_unique<alerts::AlertService>(io_.get_executor(), config, "system_runner");
  alerts_->Start();

  // The monitor exits with code 1 as soon as it starts: every restart fails.
  std::ofstream(dir_ / "fake_mtm_monitor.mode") << "exit 1\n";
  SupervisorOptions options;
  options.tick = milliseconds(20);
  options.health_interval = milliseconds(100);
  options.stop_grace = milliseconds(500);
  options.restart.initial_backoff = milliseconds(20);
  options.restart.max_backoff = milliseconds(50);
  options.state_file = dir_ / "runner_state.json";
  options.on_alert = [this](alerts::AlertEvent e) { alerts_->Raise(std::move(e)); };
  options.state_extras = [this] { return json{{"alerts", alerts_->HealthJson()}}; };
  heartbeats_ = std::make_unique<DbHeartbeatSource>(std::map<std::string, fs::path>{
      {"ltp_subscriber", dir_ / "zerodha_trading.db"}, {"mtm_monitor", dir_ / "zerodha_mtm.db"}});
  supervisor_ = std::make_unique<Supervisor>(
      io_.get_executor(), options,
      std::vector<ChildSpec>{Spec("ltp_subscriber"), Spec("mtm_monitor")}, heartbeats_.get());
  asio::co_spawn(io_, supervisor_->Run(), [this](std::exception_ptr) { done_ = true; });

  ASSERT_TRUE(
      RunUntil([&] { return !receiver.WithEvent("crash_loop").empty(); }, milliseconds(30000)))
      << json(supervisor_->StateJson()).dump();
  const json event = receiver.WithEvent("crash_loop").front().Json();
  EXPECT_EQ(event["severity"], "critical") << event.dump();
  EXPECT_EQ(event["source"], "system_runner");
  EXPECT_EQ(event["account"], "ACC1");
  EXPECT_NE(event.value("text", "").find("mtm_monitor"), std::string::npos) << event.dump();
  // The subscriber kept running; the state file says crash loop and the channel delivered.
  EXPECT_TRUE(receiver.WithEvent("crash_loop").size() >= 1);
  const json state = supervisor_->StateJson();
  EXPECT_TRUE(state["children"]["mtm_monitor"]["crash_loop"].get<bool>()) << state.dump();
  EXPECT_FALSE(state["children"]["ltp_subscriber"].value("crash_loop", false));
  ASSERT_TRUE(RunUntil(
      [&] {
        const json h = alerts_->HealthJson();
        return h.is_array() && !h.empty() && h[0].value("sent", 0) >= 1;
      },
      milliseconds(5000)))
      << alerts_->HealthJson().dump();
}

}  // namespace
}  // namespace zm::runner
