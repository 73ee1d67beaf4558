// The whole suite (runner + real children against the in-process simulator) with the runner's
// stdout and stderr on 4 KiB pipes nobody reads (issue #12: the monitor once froze on its own
// console and a breach went unanswered). At a 0.25 s cycle the stdout pipe fills within
// seconds; well past that, a loss breach must still be squared off at once, by the monitor that
// was started first (never restarted as hung). Then the pipe is drained and the runner says how
// many console lines it dropped meanwhile.
#include <fcntl.h>
#include <sys/ioctl.h>

#include "common/clock.h"
#include "runner/suite_fixture.h"

namespace zm::runner {
namespace {

constexpr const char* kPe = "NFO:NIFTY26DEC24000PE";

class ConsolePipeE2eTest : public SuiteFixture {
 protected:
  std::string ExtraConfig() override {
    return "trading:\n  mtm_check_interval: 0.25\n"
           "system_monitoring:\n  health_check_interval: 0.5\n  heartbeat_stale_seconds: 5\n";
  }
  void TearDown() override {
    for (int fd : {out_read_, err_read_})
      if (fd >= 0) ::close(fd);
    SuiteFixture::TearDown();
  }
  // A pipe of 4096 bytes; returns the write end, keeps the read end in `*read_fd`.
  static int SmallPipe(int* read_fd) {
    int fds[2];
    EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    EXPECT_EQ(::fcntl(fds[1], F_SETPIPE_SZ, 4096), 4096);
    ::fcntl(fds[0], F_SETFL, ::fcntl(fds[0], F_GETFL) | O_NONBLOCK);
    *read_fd = fds[0];
    return fds[1];
  }
  static int Queued(int fd) {
    int n = 0;
    return ::ioctl(fd, FIONREAD, &n) == 0 ? n : -1;
  }
  static std::string Drain(int fd) {
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
    return out;
  }
  json MonitorState() { return Status()["processes"]["mtm_monitor"]; }
  std::vector<json> OrderPosts() {
    std::vector<json> posts;
    for (auto& r : sim_->OrderLog())
      if (r.value("method", "") == "POST") posts.push_back(r);
    return posts;
  }
  long long NetQuantity() {
    auto state = sim_->State();
    long long qty = 0;
    if (state.ok()) {
      for (const auto& p : (*state)["positions"]["net"])
        if (p.value("tradingsymbol", "") == "NIFTY26DEC24000PE") qty += p.value("quantity", 0LL);
    }
    return qty;
  }

  int out_read_ = -1, err_read_ = -1;
};

TEST_F(ConsolePipeE2eTest, ABreachIsSquaredOffWhileNobodyReadsTheConsole) {
  ASSERT_TRUE(sim_->Control("POST", "/_sim/position",
                            {{"exchange", "NFO"},
                             {"tradingsymbol", "NIFTY26DEC24000PE"},
                             {"product", "NRML"},
                             {"quantity", -1800},
                             {"price", 95.5}})
                  .ok());
  const int out_write = SmallPipe(&out_read_);
  const int err_write = SmallPipe(&err_read_);
  auto started = testing::ChildProcess::StartWithStdio(
      (fs::path(ZM_BIN_DIR) / "zerodha_runner").string(), {"--config", config_.string(), "start"},
      {}, out_write, err_write);
  ::close(out_write);
  ::close(err_write);
  ASSERT_TRUE(started.ok());
  runner_ = std::move(*started);
  const auto began = std::chrono::steady_clock::now();

  json monitor;
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        monitor = MonitorState();
        return monitor.value("running", false) && monitor.value("state", json()) == "monitoring";
      },
      milliseconds(30000)))
      << monitor.dump();
  const int64_t monitor_pid = monitor["pid"];

  // Nobody reads: the runner's stdout pipe fills with the relayed cycle lines...
  ASSERT_TRUE(testing::WaitUntil([&] { return Queued(out_read_) >= 4096 - 200; },
                                 milliseconds(60000), milliseconds(200)))
      << "queued " << Queued(out_read_);
  // ...and stays full while the suite runs on, well past the point where it used to freeze.
  testing::WaitUntil(
      [&] { return std::chrono::steady_clock::now() - began > std::chrono::seconds(20); },
      milliseconds(25000), milliseconds(200));
  testing::WaitUntil([] { return false; }, milliseconds(5000), milliseconds(200));
  monitor = MonitorState();
  EXPECT_EQ(monitor["pid"], monitor_pid) << monitor.dump();
  EXPECT_EQ(monitor["restarts"], 0) << monitor.dump();
  // Not stale, not hung (a heartbeat read may fail now and then: "unreadable" is no hang).
  EXPECT_TRUE(monitor["health"] == "ok" || monitor["health"] == "unreadable") << monitor.dump();
  ASSERT_TRUE(runner_->running());
  ASSERT_TRUE(OrderPosts().empty());

  // MTM -1800 * (100 - 95.5) = -8,100 <= -5,000.
  const long long breach_ms = ToEpochMs(std::chrono::system_clock::now());
  ASSERT_TRUE(sim_->SetPrice(kPe, 100).ok());
  std::vector<json> posts;
  ASSERT_TRUE(testing::WaitUntil([&] { return !(posts = OrderPosts()).empty(); },
                                 milliseconds(30000), milliseconds(50)));
  const long long latency_ms = posts.front().value("at_ms", 0LL) - breach_ms;
  std::cout << "[ measured ] breach -> first exit order at the broker: " << latency_ms
            << " ms (cycle 250 ms), console pipe full for "
            << std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                                began)
                   .count()
            << " s since start\n";
  // Generous for a loaded machine; a frozen monitor never sends at all.
  EXPECT_LT(latency_ms, 5000);
  EXPECT_TRUE(testing::WaitUntil([&] { return NetQuantity() == 0; }, milliseconds(30000)));
  monitor = MonitorState();
  EXPECT_EQ(monitor["pid"], monitor_pid) << monitor.dump();
  EXPECT_EQ(monitor["restarts"], 0) << monitor.dump();

  // Someone reads again: the first line through says how many were dropped.
  std::string seen = Drain(out_read_);
  EXPECT_TRUE(testing::WaitUntil(
      [&] {
        seen += Drain(out_read_);
        return seen.find("line(s) dropped while the output was not read]") != std::string::npos;
      },
      milliseconds(10000)))
      << seen.substr(seen.size() > 2000 ? seen.size() - 2000 : 0);
  Drain(err_read_);

  runner_->Signal(SIGTERM);
  EXPECT_EQ(runner_->WaitExit(milliseconds(30000)), 0);
  EXPECT_FALSE(ProcessAlive(static_cast<pid_t>(monitor_pid)));
}

}  // namespace
}  // namespace zm::runner
