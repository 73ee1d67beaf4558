// Two accounts on one machine (issue #13.5, the systemd template zerodha-mtm@.service): two
// suites with their own config, data folder and simulator run side by side with the real
// binaries. A breach on one squares off that account only; status, summary and stop address
// the suite their --config names; nothing is shared (locks, pid files, databases, logs).
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/text_file.h"
#include "runner/files.h"
#include "support/sim_harness.h"

namespace zm::runner {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

struct Account {
  std::unique_ptr<testing::SimHarness> sim;
  fs::path dir, config;
  std::unique_ptr<testing::ChildProcess> runner;
};

class TwoAccountsE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ =
        fs::path(ZM_BIN_DIR).parent_path() / "tests" / ("two_accounts_" + std::to_string(getpid()));
    fs::remove_all(root_);
    for (const char* name : {"alice", "bob"}) {
      Account a;
      auto sim = testing::SimHarness::StartFile("test_basic.yaml");
      ASSERT_TRUE(sim.ok()) << sim.status().ToString();
      a.sim = std::move(*sim);
      a.dir = root_ / name;
      a.config = testing::WriteSuiteConfig(a.dir, *a.sim,
                                           "system_monitoring: {health_check_interval: 0.2}\n");
      ASSERT_FALSE(a.config.empty());
      ASSERT_TRUE(a.sim
                      ->Control("POST", "/_sim/position",
                                {{"exchange", "NFO"},
                                 {"tradingsymbol", "NIFTY26DEC24000PE"},
                                 {"product", "NRML"},
                                 {"quantity", -150},
                                 {"price", 95.5}})
                      .ok());
      accounts_.push_back(std::move(a));
    }
  }
  void TearDown() override {
    for (Account& a : accounts_) {
      if (a.runner && a.runner->running()) {
        a.runner->Signal(SIGTERM);
        a.runner->WaitExit(seconds(30));
      }
      a.runner.reset();
    }
    fs::remove_all(root_);
  }

  void Start(Account& a) {
    auto runner = testing::ChildProcess::Start(testing::BinaryPath("zerodha_runner"),
                                               {"--config", a.config.string(), "start"}, {},
                                               a.dir / "runner_out");
    ASSERT_TRUE(runner.ok()) << runner.status().ToString();
    a.runner = std::move(*runner);
  }
  struct Cli {
    int code = -1;
    std::string out;
  };
  Cli Run(const Account& a, const std::string& args) {
    const fs::path out = a.dir / "cli_out.txt";
    const std::string cmd = "timeout 60 " + testing::BinaryPath("zerodha_runner") + " --config " +
                            a.config.string() + " " + args + " >" + out.string() + " 2>&1";
    const int status = std::system(cmd.c_str());
    return {WEXITSTATUS(status), ReadTextFile(out).value_or("")};
  }
  json Status(const Account& a) {
    auto j = json::parse(Run(a, "status --json").out, nullptr, false);
    return j.is_discarded() ? json::object() : j;
  }
  static int64_t Pid(const json& status, const char* name) {
    if (!status.contains("processes") || !status["processes"].contains(name)) return 0;
    const json& p = status["processes"][name];
    return p.value("running", false) ? p.value("pid", int64_t{0}) : 0;
  }
  bool SuiteUp(const Account& a) {
    const json s = Status(a);
    return Pid(s, "ltp_subscriber") > 0 && Pid(s, "mtm_monitor") > 0;
  }
  static long long OpenQuantity(const Account& a) {
    auto state = a.sim->State();
    if (!state.ok()) return -1;
    long long open = 0;
    for (const auto& p : (*state)["positions"]["net"]) open += std::llabs(p.value("quantity", 0LL));
    return open;
  }

  fs::path root_;
  std::vector<Account> accounts_;
};

TEST_F(TwoAccountsE2eTest, SideBySideWithoutCrossTalk) {
  ASSERT_EQ(accounts_.size(), 2u);
  Account& alice = accounts_[0];
  Account& bob = accounts_[1];
  Start(alice);
  Start(bob);
  ASSERT_TRUE(testing::WaitUntil([&] { return SuiteUp(alice) && SuiteUp(bob); }, seconds(30),
                                 milliseconds(200)))
      << alice.runner->ReadStderr() << bob.runner->ReadStderr();

  // Each status names its own runner and its own children.
  const json sa = Status(alice), sb = Status(bob);
  EXPECT_EQ(sa["runner"]["pid"], alice.runner->pid()) << sa.dump();
  EXPECT_EQ(sb["runner"]["pid"], bob.runner->pid()) << sb.dump();
  EXPECT_NE(Pid(sa, "mtm_monitor"), Pid(sb, "mtm_monitor"));
  // A second start of the same account is refused; the other account is untouched.
  EXPECT_NE(Run(alice, "start").code, 0);
  EXPECT_TRUE(bob.runner->running());

  // A loss breach on alice's account only: her short PE rallies far beyond the threshold.
  ASSERT_TRUE(alice.sim->SetPrice("NFO:NIFTY26DEC24000PE", 200).ok());
  ASSERT_TRUE(
      testing::WaitUntil([&] { return OpenQuantity(alice) == 0; }, seconds(30), milliseconds(200)));
  std::this_thread::sleep_for(seconds(2));  // anything bob's monitor might wrongly do shows now
  EXPECT_EQ(OpenQuantity(bob), 150);
  EXPECT_TRUE(bob.sim->OrderLog().empty()) << json(bob.sim->OrderLog()).dump();
  EXPECT_FALSE(alice.sim->OrderLog().empty());

  // summary reads each account's own databases: alice is locked after her square-off, bob not.
  const std::string summary_alice = Run(alice, "summary --json").out;
  const std::string summary_bob = Run(bob, "summary --json").out;
  EXPECT_NE(summary_alice, summary_bob);
  const json ja = json::parse(summary_alice, nullptr, false);
  const json jb = json::parse(summary_bob, nullptr, false);
  ASSERT_FALSE(ja.is_discarded()) << summary_alice;
  ASSERT_FALSE(jb.is_discarded()) << summary_bob;
  EXPECT_NE(ja.dump().find("square"), std::string::npos) << ja.dump();

  // stop addresses one suite: alice's runner exits, bob's keeps running.
  EXPECT_EQ(Run(alice, "stop").code, 0);
  EXPECT_TRUE(alice.runner->WaitExit(seconds(30)).has_value());
  EXPECT_TRUE(bob.runner->running());
  EXPECT_TRUE(SuiteUp(bob));
  // Each data folder has its own lock, state, databases and logs.
  for (const char* file : {"runner.lock", "runner_state.json", "zerodha_mtm.db",
                           "zerodha_trading.db", "mtm_monitor.log"}) {
    EXPECT_TRUE(fs::exists(alice.dir / file)) << file;
    EXPECT_TRUE(fs::exists(bob.dir / file)) << file;
  }
}

}  // namespace
}  // namespace zm::runner
