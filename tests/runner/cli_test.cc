// zerodha_runner as a process: usage and config errors, status/summary JSON from seeded
// databases, stop with nothing running, the single-instance lock.
#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "common/heartbeat.h"
#include "common/monitor_snapshot.h"
#include "common/text_file.h"
#include "runner/files.h"

namespace zm::runner {
namespace {

using nlohmann::json;

struct CliResult {
  int code = -1;
  std::string out, err;
};

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("runner_cli_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    WriteConfig("");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void WriteConfig(const std::string& extra, bool with_secret = true) {
    std::ofstream(dir_ / "config.yaml")
        << "zerodha:\n  api_key: sim_key\n"
        << (with_secret ? "  api_secret: sim_secret\n" : "")
        << "  access_token_file: token.txt\n"
           "  api_base_url: http://127.0.0.1:9\n  ws_url: ws://127.0.0.1:9/\n"
           "trading:\n  mtm_loss_threshold: -5000\n  daily_max_profit_target: 3000\n"
           "instruments:\n  NIFTY:\n    volume_freeze_quantity: 1800\n"
        << extra;
  }
  // Runs zerodha_runner with a hard 60 s limit (coreutils timeout).
  CliResult Run(const std::string& args) {
    const fs::path out = dir_ / "out.txt", err = dir_ / "err.txt";
    const std::string cmd = "timeout 60 " + std::string(ZM_BIN_DIR) + "/zerodha_runner --config " +
                            (dir_ / "config.yaml").string() + " " + args + " >" + out.string() +
                            " 2>" + err.string();
    const int status = std::system(cmd.c_str());
    return {WEXITSTATUS(status), ReadTextFile(out).value_or(""), ReadTextFile(err).value_or("")};
  }

  fs::path dir_;
};

TEST_F(CliTest, UsageAndConfigErrors) {
  EXPECT_EQ(Run("frobnicate").code, 2);
  EXPECT_EQ(Run("status --bogus").code, 2);
  auto help = Run("summary --help");
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("summary"), std::string::npos);
  WriteConfig("system_monitoring:\n  health_check_interval: -1\n");
  auto bad = Run("status");
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("system_monitoring.health_check_interval"), std::string::npos) << bad.err;
}

TEST_F(CliTest, StatusJsonWithNothingRunning) {
  auto r = Run("status --json");
  ASSERT_EQ(r.code, 0) << r.err;
  json s = json::parse(r.out);
  EXPECT_FALSE(s["runner"]["running"].get<bool>());
  for (const char* name : {"ltp_subscriber", "mtm_monitor"}) {
    EXPECT_EQ(s["processes"][name]["pid"], 0);
    EXPECT_FALSE(s["processes"][name]["running"].get<bool>());
    EXPECT_EQ(s["processes"][name]["restarts"], 0);
  }
}

TEST_F(CliTest, StatusJsonFromSeededState) {
  const int64_t now = ToEpochMs(std::chrono::system_clock::now());
  {
    SQLite::Database db((dir_ / "zerodha_trading.db").string(),
                        SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    ASSERT_TRUE(EnsureHeartbeatTable(db).ok());
    ASSERT_TRUE(
        WriteHeartbeat(
            db, {"ltp_subscriber", 4242, now - 60000, now - 2000,
                 json{{"ws_connected", true}, {"last_tick_ms", now - 1000}, {"token_state", "ok"}}})
            .ok());
  }
  ASSERT_TRUE(WriteFileAtomically(
                  dir_ / "runner_state.json",
                  json{{"started_at_ms", now - 100000},
                       {"children",
                        {{"ltp_subscriber", {{"pid", 4242}, {"restarts", 3}}},
                         {"mtm_monitor", {{"pid", 4243}, {"restarts", 6}, {"crash_loop", true}}}}},
                       {"last_critical", {{"at_ms", now}, {"message", "boom"}}}}
                      .dump())
                  .ok());
  auto r = Run("status --json");
  ASSERT_EQ(r.code, 0) << r.err;
  json s = json::parse(r.out);
  EXPECT_EQ(s["processes"]["ltp_subscriber"]["pid"], 4242);
  EXPECT_EQ(s["processes"]["ltp_subscriber"]["restarts"], 3);
  EXPECT_FALSE(s["processes"]["ltp_subscriber"]["running"].get<bool>());  // no such process
  EXPECT_TRUE(s["processes"]["ltp_subscriber"]["ws_connected"].get<bool>());
  EXPECT_EQ(s["processes"]["ltp_subscriber"]["token_state"], "ok");
  EXPECT_NEAR(s["processes"]["ltp_subscriber"]["heartbeat_age_s"].get<double>(), 2, 30);
  EXPECT_EQ(s["processes"]["mtm_monitor"]["restarts"], 6);
  EXPECT_TRUE(s["processes"]["mtm_monitor"]["crash_loop"].get<bool>());
  EXPECT_EQ(s["last_critical"]["message"], "boom");
  auto text = Run("status");
  EXPECT_NE(text.out.find("CRASH LOOP"), std::string::npos) << text.out;
}

TEST_F(CliTest, SummaryJsonFromSeededSnapshot) {
  auto none = Run("summary --json");
  EXPECT_EQ(none.code, 1);
  EXPECT_FALSE(json::parse(none.out)["available"].get<bool>());
  {
    SQLite::Database db((dir_ / "zerodha_mtm.db").string(),
                        SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    ASSERT_TRUE(EnsureMonitorSnapshotTable(db).ok());
    ASSERT_TRUE(
        WriteMonitorSnapshot(db, json::parse(R"({"trading_date":"2026-11-26","updated_at_ms":1,
        "mtm":-4512.25,"realised":0,"unrealised":-4512.25,"daily_max_mtm":1020,
        "loss_threshold":-5000,"profit_target":3000,"state":"monitoring","target_locked":false,
        "positions":[{"exchange":"NFO","tradingsymbol":"NIFTY26DEC24000CE","product":"NRML",
        "quantity":-75,"last_price":120.5,"pnl":-4512.25}],"square_offs":[]})"))
            .ok());
  }
  auto r = Run("summary --json");
  ASSERT_EQ(r.code, 0) << r.err;
  json s = json::parse(r.out);
  EXPECT_DOUBLE_EQ(s["mtm"].get<double>(), -4512.25);
  EXPECT_DOUBLE_EQ(s["daily_max_mtm"].get<double>(), 1020);
  EXPECT_FALSE(s["target_locked"].get<bool>());
  ASSERT_EQ(s["positions"].size(), 1u);
  for (const char* key :
       {"exchange", "tradingsymbol", "product", "quantity", "last_price", "pnl"}) {
    EXPECT_TRUE(s["positions"][0].contains(key)) << key;
  }
  auto text = Run("summary");
  EXPECT_EQ(text.code, 0);
  EXPECT_NE(text.out.find("\u20b9-4,512.25"), std::string::npos) << text.out;
}

TEST_F(CliTest, StopWithNothingRunning) {
  auto r = Run("stop");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("not running"), std::string::npos);
}

// check --json: the named check, or null.
json FindCheck(const json& report, const std::string& name_prefix) {
  for (const auto& c : report["checks"]) {
    if (c["name"].get<std::string>().rfind(name_prefix, 0) == 0) return c;
  }
  return nullptr;
}

TEST_F(CliTest, CheckWarnsAboutSharedSecretFilesAndAMissingSecret) {
  std::ofstream(dir_ / "token.txt") << "tok12345\n";
  fs::permissions(dir_ / "config.yaml", fs::perms(0644));
  fs::permissions(dir_ / "token.txt", fs::perms(0640));
  auto shared = Run("check --json");  // the network checks fail: nothing listens on port 9
  json report = json::parse(shared.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << shared.out << shared.err;
  for (const char* name : {"config file private", "token file private"}) {
    const json c = FindCheck(report, name);
    ASSERT_TRUE(c.is_object()) << name << report.dump();
    EXPECT_TRUE(c["warn"].get<bool>()) << c.dump();
    EXPECT_TRUE(c["pass"].get<bool>()) << "a warning does not fail check";
    EXPECT_NE(c["fix"].get<std::string>().find("chmod 600"), std::string::npos);
  }
  EXPECT_FALSE(FindCheck(report, "api_secret set")["warn"].get<bool>());
  auto text = Run("check");
  EXPECT_NE(text.out.find("WARN  config file private"), std::string::npos) << text.out;

  WriteConfig("", /*with_secret=*/false);
  fs::permissions(dir_ / "config.yaml", fs::perms(0600));
  fs::permissions(dir_ / "token.txt", fs::perms(0600));
  report = json::parse(Run("check --json").out);
  EXPECT_FALSE(FindCheck(report, "config file private")["warn"].get<bool>());
  EXPECT_FALSE(FindCheck(report, "token file private")["warn"].get<bool>());
  const json secret = FindCheck(report, "api_secret set");
  EXPECT_TRUE(secret["warn"].get<bool>()) << secret.dump();
  EXPECT_TRUE(secret["pass"].get<bool>());
}

TEST_F(CliTest, OnlyLoginNeedsTheApiSecret) {
  WriteConfig("", /*with_secret=*/false);
  EXPECT_EQ(Run("status --json").code, 0);
  auto login = Run("login");
  EXPECT_EQ(login.code, 2);
  EXPECT_NE(login.err.find("zerodha.api_secret"), std::string::npos) << login.err;
  WriteConfig("");
  auto with_secret = Run("login");
  EXPECT_EQ(with_secret.code, 0) << with_secret.err;
  EXPECT_NE(with_secret.out.find("api_key=sim_key"), std::string::npos) << with_secret.out;
}

TEST_F(CliTest, SecondStartNamesTheHolder) {
  auto lock = InstanceLock::Acquire(dir_ / "runner.lock");
  ASSERT_TRUE(lock.ok());
  auto r = Run("start");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("already running (pid " + std::to_string(getpid())), std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace zm::runner
