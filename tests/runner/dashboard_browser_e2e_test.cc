// The dashboard in a real headless Chromium (issue #14): the real zerodha_runner (`start` with
// dashboard.enabled) supervising the real subscriber and monitor against the in-process
// simulator; Chromium driven over the DevTools protocol (a Beast WebSocket on loopback). Checks:
// the page loads with the token and refuses without it, the chart and the positions table are in
// the DOM, the MTM shown follows a price change in the simulator, and a square-off shows with its
// slices; then saves a screenshot to build/dashboard.png. Needs Debian's chromium
// (scripts/install-browser-deps.sh): without it the test fails, since CI installs it.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <regex>
#include <thread>

#include "common/text_file.h"
#include "runner/cdp_client.h"
#include "runner/files.h"
#include "support/sim_harness.h"

namespace zm::runner {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

constexpr const char* kChromium = "/usr/bin/chromium";
constexpr const char* kPe = "NFO:NIFTY26DEC24000PE";

double MsSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// build/ from the test binary's own location (build/tests/dashboard_test).
fs::path BuildDir() {
  std::error_code ec;
  return fs::read_symlink("/proc/self/exe", ec).parent_path().parent_path();
}

class DashboardBrowserE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::access(kChromium, X_OK), 0)
        << kChromium << " is not installed: run scripts/install-browser-deps.sh (CI does)";
    auto sim = testing::SimHarness::StartFile("test_basic.yaml");
    ASSERT_TRUE(sim.ok()) << sim.status().ToString();
    sim_ = std::move(*sim);
    dir_ = BuildDir() / "tests" / ("dashboard_browser_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    config_ = testing::WriteSuiteConfig(
        dir_ / "data", *sim_,
        "dashboard: {enabled: true, port: 0}\nsystem_monitoring: {health_check_interval: 0.2}\n");
    ASSERT_FALSE(config_.empty());
  }
  void TearDown() override {
    if (cdp_) (void)cdp_->Call("Browser.close", {}, seconds(2));
    if (browser_) browser_->WaitExit(seconds(5));
    browser_.reset();  // SIGKILLs chromium's process group if it is still there
    if (runner_ && runner_->running()) {
      runner_->Signal(SIGTERM);
      EXPECT_TRUE(runner_->WaitExit(seconds(40)).has_value());
    }
    runner_.reset();
    if (!HasFailure()) fs::remove_all(dir_);
  }

  void Trade(const std::string& symbol, long long quantity, double price) {
    ASSERT_TRUE(sim_->Control("POST", "/_sim/position",
                              {{"exchange", "NFO"},
                               {"tradingsymbol", symbol},
                               {"product", "NRML"},
                               {"quantity", quantity},
                               {"price", price}})
                    .ok());
  }
  // The runner's {"url": ...} line, once printed.
  std::string WaitForUrl() {
    std::string url;
    testing::WaitUntil(
        [&] {
          std::smatch m;
          const std::string out = runner_->ReadStdout();
          static const std::regex line(
              R"re(\{"url": "(http://127\.0\.0\.1:[0-9]+/\?token=[0-9a-f]{32})"\})re");
          if (std::regex_search(out, m, line)) url = m[1];
          return !url.empty() || !runner_->running();
        },
        seconds(30), milliseconds(100));
    return url;
  }
  void StartBrowser() {
    const fs::path profile = dir_ / "chromium";
    fs::create_directories(profile);
    auto browser = testing::ChildProcess::Start(
        kChromium,
        {"--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0",
         "--user-data-dir=" + profile.string(), "--window-size=1280,1060", "--hide-scrollbars",
         "--no-first-run", "--no-default-browser-check", "--disable-extensions",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--no-pings", "--disable-dev-shm-usage", "--mute-audio",
         "--disable-features=Translate,MediaRouter,OptimizationHints",
         // Nothing but loopback, whatever chromium would like to fetch by itself.
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "about:blank"},
        {}, dir_ / "chromium_out");
    ASSERT_TRUE(browser.ok()) << browser.status().ToString();
    browser_ = std::move(*browser);
    auto port = testing::WaitForDevToolsPort(profile.string(), seconds(30));
    ASSERT_TRUE(port.ok()) << port.status().ToString() << browser_->ReadStderr();
    std::string target;
    ASSERT_TRUE(testing::WaitUntil(
        [&] {
          auto t = testing::FirstPageTarget(*port);
          if (t.ok()) target = *t;
          return t.ok();
        },
        seconds(15), milliseconds(100)));
    cdp_ = std::make_unique<testing::CdpClient>();
    ASSERT_TRUE(cdp_->Connect(*port, target).ok());
  }
  json Eval(const std::string& expression) {
    auto v = cdp_->Evaluate(expression);
    EXPECT_TRUE(v.ok()) << expression << ": " << v.status().ToString();
    return v.ok() ? *v : json();
  }
  bool EvalUntil(const std::string& expression, seconds timeout) {
    return testing::WaitUntil(
        [&] {
          auto v = cdp_->Evaluate(expression, seconds(5));
          return v.ok() && v->is_boolean() && v->get<bool>();
        },
        timeout, milliseconds(50));
  }
  std::string ShownMtm() {
    const json v = Eval("document.getElementById('mtm-value').dataset.mtm");
    return v.is_string() ? v.get<std::string>() : "";
  }

  std::unique_ptr<testing::SimHarness> sim_;
  fs::path dir_, config_;
  std::unique_ptr<testing::ChildProcess> runner_, browser_;
  std::unique_ptr<testing::CdpClient> cdp_;
};

TEST_F(DashboardBrowserE2eTest, LiveDashboardInHeadlessChromium) {
  Trade("NIFTY26DEC24000PE", -150, 95.5);
  Trade("NIFTY26DEC24000CE", -75, 120.0);
  auto runner = testing::ChildProcess::Start(testing::BinaryPath("zerodha_runner"),
                                             {"--config", config_.string(), "start"}, {},
                                             dir_ / "runner_out");
  ASSERT_TRUE(runner.ok()) << runner.status().ToString();
  runner_ = std::move(*runner);
  const std::string url = WaitForUrl();
  ASSERT_FALSE(url.empty()) << runner_->ReadStdout() << runner_->ReadStderr();
  const uint16_t port = static_cast<uint16_t>(std::stoi(url.substr(17, url.find('/', 17) - 17)));
  const std::string token = url.substr(url.find("token=") + 6);

  // status --json carries the same URL; the token is in no log file.
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        const std::string cmd = "timeout 30 " + testing::BinaryPath("zerodha_runner") +
                                " --config " + config_.string() + " status --json >" +
                                (dir_ / "status.json").string();
        if (std::system(cmd.c_str()) != 0) return false;
        auto j = json::parse(ReadTextFile(dir_ / "status.json").value_or(""), nullptr, false);
        return j.is_object() && j["dashboard"].is_object() && j["dashboard"]["url"] == url;
      },
      seconds(20), milliseconds(250)));

  // Without the token: 403, from a plain client and from the page's own origin below.
  auto refused = testing::HttpCall(port, "GET", "/");
  ASSERT_TRUE(refused.ok()) << refused.status().ToString();
  EXPECT_EQ(refused->status, 403);

  StartBrowser();
  if (HasFatalFailure()) return;
  const auto navigated = Clock::now();
  ASSERT_TRUE(cdp_->Call("Page.navigate", {{"url", url}}).ok());
  ASSERT_TRUE(EvalUntil("document.readyState === 'complete' && window.zmUpdates > 0", seconds(20)));
  const double load_ms = MsSince(navigated);
  EXPECT_TRUE(Eval("!!document.querySelector('svg#mtm-chart') && "
                   "!!document.querySelector('table#positions-table')")
                  .get<bool>());
  EXPECT_EQ(Eval("fetch('/snapshot.json').then(r => r.status)"), 403);
  EXPECT_EQ(Eval("fetch('/snapshot.json?token=" + token + "').then(r => r.status)"), 200);
  // The monitor's first cycles: both positions and an MTM on the page.
  ASSERT_TRUE(
      EvalUntil("document.querySelectorAll('#positions-table tbody tr').length === 2 && "
                "document.getElementById('mtm-value').dataset.mtm !== ''",
                seconds(30)))
      << Eval("JSON.stringify(window.zmSnapshot)").dump();

  // A price change in the simulator shows on the page (SSE), within a bounded wait.
  const std::string before = ShownMtm();
  const auto priced = Clock::now();
  ASSERT_TRUE(sim_->SetPrice(kPe, 99.0).ok());
  ASSERT_TRUE(
      testing::WaitUntil([&] { return ShownMtm() != before; }, seconds(20), milliseconds(20)))
      << "MTM stayed " << before;
  const double update_ms = MsSince(priced);
  EXPECT_NE(Eval("document.getElementById('mtm-value').textContent").get<std::string>(), "-");

  // A few more moves for the curve, then a loss breach: the square-off and its slices appear.
  for (double price : {101.0, 97.5, 104.0, 108.0, 112.5}) {
    ASSERT_TRUE(sim_->SetPrice(kPe, price).ok());
    std::this_thread::sleep_for(milliseconds(700));
  }
  ASSERT_TRUE(sim_->SetPrice(kPe, 135.0).ok());
  ASSERT_TRUE(
      EvalUntil("(window.zmSnapshot.squareoffs || []).some(r => r.outcome === 'flat' && "
                "r.slices.length > 0) && "
                "document.querySelectorAll('#squareoffs table tr').length > 1",
                seconds(40)))
      << Eval("JSON.stringify(window.zmSnapshot.squareoffs)").dump();
  std::this_thread::sleep_for(milliseconds(1500));  // one more push: the curve after the exit

  auto shot = cdp_->Call("Page.captureScreenshot", {{"format", "png"}}, seconds(20));
  ASSERT_TRUE(shot.ok()) << shot.status().ToString();
  auto png = testing::DecodeBase64((*shot)["data"].get<std::string>());
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(png->substr(1, 3), "PNG");
  const fs::path png_path = BuildDir() / "dashboard.png";
  std::ofstream(png_path, std::ios::binary) << *png;
  std::printf(
      "[ figures ] page load %.0f ms, SSE update after a price change %.0f ms; screenshot %s\n",
      load_ms, update_ms, png_path.c_str());

  // The token is in no log file of the data dir.
  for (const auto& entry : fs::directory_iterator(dir_ / "data")) {
    if (entry.path().extension() != ".log") continue;
    EXPECT_EQ(ReadTextFile(entry.path()).value_or("").find(token), std::string::npos)
        << entry.path();
  }
}

}  // namespace
}  // namespace zm::runner
