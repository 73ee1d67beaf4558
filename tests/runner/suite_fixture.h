// The fixture of the runner's process tests: an in-process simulator, a suite config in a
// folder under build/tests, and helpers to run zerodha_runner verbs, read `status --json`, and
// install the stand-in child (fake_child) under the real children's names next to a copy of
// the runner. Used by suite_test.cc, orphan_test.cc and console_pipe_e2e_test.cc.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/text_file.h"
#include "runner/files.h"
#include "support/sim_harness.h"

namespace zm::runner {

using nlohmann::json;
using std::chrono::milliseconds;

struct CliResult {
  int code = -1;
  std::string out, err;
};

class SuiteFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sim = testing::SimHarness::StartFile("test_basic.yaml");
    ASSERT_TRUE(sim.ok()) << sim.status().ToString();
    sim_ = std::move(*sim);
    dir_ = fs::path(ZM_BIN_DIR).parent_path() / "tests" /
           ("runner_suite_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "bin");
    config_ = testing::WriteSuiteConfig(dir_ / "data", *sim_, ExtraConfig());
    ASSERT_FALSE(config_.empty());
  }
  // Deep-merged over WriteSuiteConfig's defaults.
  virtual std::string ExtraConfig() {
    return "system_monitoring:\n  health_check_interval: 0.2\n  heartbeat_stale_seconds: 4\n";
  }
  void TearDown() override {
    runner_.reset();  // SIGKILLs the runner's group if a test failed midway
    KillLeftovers();
    fs::remove_all(dir_);
  }

  // Installs the runner and the stand-in child as the two real children, side by side.
  void InstallBinaries() {
    const fs::path bin(ZM_BIN_DIR), tests = bin.parent_path() / "tests";
    Install(bin / "zerodha_runner", "zerodha_runner");
    Install(tests / "fake_child", "zerodha_ltp_subscriber");
    Install(tests / "fake_child", "zerodha_mtm_monitor");
  }
  void Install(const fs::path& from, const std::string& name) {
    std::error_code ec;
    fs::create_hard_link(from, dir_ / "bin" / name, ec);
    if (ec) fs::copy_file(from, dir_ / "bin" / name, ec);
    ASSERT_FALSE(ec) << ec.message();
  }
  CliResult Run(const std::string& args, const fs::path& runner = {}) {
    const fs::path exe = runner.empty() ? fs::path(ZM_BIN_DIR) / "zerodha_runner" : runner;
    const fs::path out = dir_ / "out.txt", err = dir_ / "err.txt";
    const std::string cmd = "timeout 60 " + exe.string() + " --config " + config_.string() + " " +
                            args + " >" + out.string() + " 2>" + err.string();
    const int status = std::system(cmd.c_str());
    return {WEXITSTATUS(status), ReadTextFile(out).value_or(""), ReadTextFile(err).value_or("")};
  }
  json Status() {
    auto r = Run("status --json");
    auto j = json::parse(r.out, nullptr, false);
    return j.is_discarded() ? json::object() : j;
  }
  int64_t ChildPid(const json& status, const char* name) {
    if (!status.contains("processes")) return 0;
    const json& p = status["processes"][name];
    return p.value("running", false) ? p.value("pid", int64_t{0}) : 0;
  }
  void SetMode(const std::string& name, const std::string& mode) {
    std::ofstream(dir_ / "data" / ("fake_" + name + ".mode")) << mode << "\n";
  }
  void KillLeftovers() {
    auto text = ReadTextFile(dir_ / "data" / "runner_state.json");
    if (!text) return;
    auto state = json::parse(*text, nullptr, false);
    if (!state.is_object() || !state.contains("children")) return;
    for (const auto& [name, child] : state["children"].items()) {
      const pid_t pid = child.value("pid", 0);
      if (pid > 0 && ProcessLooksLike(pid, name)) ::kill(pid, SIGKILL);
    }
  }

  std::unique_ptr<testing::SimHarness> sim_;
  fs::path dir_, config_;
  std::unique_ptr<testing::ChildProcess> runner_;
};

}  // namespace zm::runner
