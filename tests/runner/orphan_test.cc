// A runner killed with SIGKILL: its real children exit by themselves (PR_SET_PDEATHSIG); and
// when children do outlive it (the stand-in child clears PDEATHSIG with FAKE_CHILD_ORPHAN=1),
// `status` says the runner is gone with 2 orphaned children, and `stop` stops them.
// Also `check` failing on a corrupt zerodha_mtm.db and on too little free space.
#include <fstream>

#include "common/text_file.h"
#include "runner/orphans.h"
#include "runner/suite_fixture.h"

namespace zm::runner {
namespace {

class OrphanTest : public SuiteFixture {
 protected:
  void StartRunner(const fs::path& runner, const testing::ChildProcess::Env& env) {
    auto started = testing::ChildProcess::Start(
        runner.string(), {"--config", config_.string(), "start"}, env, dir_ / "runner_out");
    ASSERT_TRUE(started.ok());
    runner_ = std::move(*started);
  }
  // Both children running; their pids.
  std::pair<pid_t, pid_t> WaitForChildren() {
    json s;
    const bool up = testing::WaitUntil(
        [&] {
          s = Status();
          return ChildPid(s, "ltp_subscriber") > 0 && ChildPid(s, "mtm_monitor") > 0;
        },
        milliseconds(30000));
    EXPECT_TRUE(up) << runner_->ReadStderr() << s.dump();
    return {static_cast<pid_t>(ChildPid(s, "ltp_subscriber")),
            static_cast<pid_t>(ChildPid(s, "mtm_monitor"))};
  }
  void KillRunner() {
    ASSERT_TRUE(runner_->Signal(SIGKILL));
    ASSERT_EQ(runner_->WaitExit(milliseconds(10000)), 128 + SIGKILL);
  }
};

TEST_F(OrphanTest, RealChildrenExitWhenTheRunnerIsKilled) {
  StartRunner(fs::path(ZM_BIN_DIR) / "zerodha_runner", {});
  const auto [subscriber, monitor] = WaitForChildren();
  ASSERT_GT(subscriber, 0);
  ASSERT_GT(monitor, 0);
  // Both past their start-up (signal handlers installed, cycles running).
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        const json s = Status();
        return s["processes"]["mtm_monitor"].value("state", json()) == "monitoring" &&
               s["processes"]["ltp_subscriber"].value("heartbeat_pid", int64_t{0}) == subscriber;
      },
      milliseconds(30000)));
  KillRunner();
  // SIGTERM from the kernel; the monitor has no square-off running, so it exits at once.
  EXPECT_TRUE(testing::WaitUntil(
      [&] { return !ProcessAlive(subscriber) && !ProcessAlive(monitor); }, milliseconds(40000)));
  // By the kernel's SIGTERM (PR_SET_PDEATHSIG), not by anything else.
  EXPECT_NE(
      ReadTextFile(dir_ / "data" / "mtm_monitor.log").value_or("").find("signal 15: stopping"),
      std::string::npos);
  const json s = Status();
  EXPECT_EQ(s["runner"]["state"], "not running") << s.dump();
  EXPECT_EQ(s["runner"]["orphans"], 0);
  auto stop = Run("stop");
  EXPECT_EQ(stop.code, 0);
  EXPECT_NE(stop.out.find("is not running"), std::string::npos) << stop.out;
}

TEST_F(OrphanTest, StatusAndStopFindOrphansOfAKilledRunner) {
  InstallBinaries();
  StartRunner(dir_ / "bin" / "zerodha_runner", {{"FAKE_CHILD_ORPHAN", "1"}});
  const auto [subscriber, monitor] = WaitForChildren();
  ASSERT_GT(subscriber, 0);
  KillRunner();
  ASSERT_TRUE(ProcessAlive(subscriber));
  ASSERT_TRUE(ProcessAlive(monitor));

  const json s = Status();
  EXPECT_EQ(s["runner"]["state"], "gone") << s.dump();
  EXPECT_EQ(s["runner"]["orphans"], 2);
  EXPECT_TRUE(s["processes"]["mtm_monitor"]["running"].get<bool>());
  EXPECT_EQ(s["processes"]["mtm_monitor"]["health"], "unsupervised");
  auto text = Run("status");
  EXPECT_NE(text.out.find("Runner: gone (pid " + std::to_string(runner_->pid()) +
                          "): 2 orphaned children still running unsupervised"),
            std::string::npos)
      << text.out;

  auto stop = Run("stop", dir_ / "bin" / "zerodha_runner");
  EXPECT_EQ(stop.code, 0) << stop.out << stop.err;
  EXPECT_NE(stop.out.find("2 orphaned child(ren)"), std::string::npos) << stop.out;
  EXPECT_FALSE(ProcessAlive(subscriber));
  EXPECT_FALSE(ProcessAlive(monitor));
  const json after = Status();
  EXPECT_EQ(after["runner"]["state"], "not running") << after.dump();
  EXPECT_EQ(after["runner"]["orphans"], 0);
}

TEST_F(OrphanTest, ARecycledPidIsNotAnOrphan) {
  // The state file names this test process as the monitor: same pid, other executable.
  std::ofstream(dir_ / "data" / "runner_state.json")
      << json{{"children",
               {{"mtm_monitor",
                 {{"pid", static_cast<int64_t>(::getpid())},
                  {"exe", (dir_ / "bin" / "zerodha_mtm_monitor").string()}}}}}}
             .dump();
  EXPECT_TRUE(FindRunningChildren(dir_ / "data").empty());
  EXPECT_EQ(Status()["runner"]["orphans"], 0);
  fs::remove(dir_ / "data" / "runner_state.json");
}

TEST_F(OrphanTest, CheckFailsOnACorruptJournalAndOnLowDiskSpace) {
  InstallBinaries();
  std::ofstream(dir_ / "data" / "zerodha_mtm.db") << std::string(8192, 'x');
  config_ =
      testing::WriteSuiteConfig(dir_ / "data", *sim_, ExtraConfig() + "  min_free_mb: 10000000\n");
  auto r = Run("check", dir_ / "bin" / "zerodha_runner");
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("FAIL  zerodha_mtm.db intact"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("FAIL  disk space >= 10000000 MB"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace zm::runner
