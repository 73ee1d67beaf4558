// zerodha_runner against the simulator (tests/support SimHarness): login checksum, check, and
// start -> supervise (killed child, hung child) -> second start refused -> stop, with the
// stand-in child installed under the real children's names next to a copy of the runner.
#include "common/text_file.h"
#include "runner/suite_fixture.h"

namespace zm::runner {
namespace {

class SuiteTest : public SuiteFixture {};

TEST_F(SuiteTest, LoginExchangesTheRequestTokenWithTheChecksum) {
  const fs::path token_file = dir_ / "data" / "access_token" / "access_token.txt";
  fs::remove(token_file);
  auto url = Run("login");
  EXPECT_EQ(url.code, 0);
  EXPECT_NE(url.out.find("https://kite.zerodha.com/connect/login?v=3&api_key=sim_key"),
            std::string::npos);
  auto r = Run("login 'https://127.0.0.1/cb?action=login&status=success&request_token=rt123'");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(ReadTextFile(token_file).value_or(""), "sim_token\n");
  struct stat st {};
  ASSERT_EQ(::stat(token_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(r.out.find("sim_token"), std::string::npos) << "token printed";
  EXPECT_EQ(r.err.find("sim_token"), std::string::npos) << "token printed";
}

TEST_F(SuiteTest, LoginWithAWrongSecretFails) {
  std::string yaml = ReadTextFile(config_).value_or("");
  const size_t at = yaml.find("sim_secret");
  ASSERT_NE(at, std::string::npos);
  yaml.replace(at, 10, "not_the_secret");
  std::ofstream(config_) << yaml;
  auto r = Run("login --request-token rt123");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("could not be created"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("not_the_secret"), std::string::npos);
}

TEST_F(SuiteTest, CheckPassesAgainstTheSimulator) {
  InstallBinaries();
  auto r = Run("check --json", dir_ / "bin" / "zerodha_runner");
  json report = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << r.out << r.err;
  for (const auto& c : report["checks"]) EXPECT_TRUE(c["pass"].get<bool>()) << c.dump();
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out.find("sim_token"), std::string::npos);
  // A refused token fails the token and WebSocket checks, with the fix.
  ASSERT_TRUE(sim_->Fault({{"kind", "token_expired"}, {"on", true}}).ok());
  auto bad = Run("check", dir_ / "bin" / "zerodha_runner");
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.out.find("FAIL  token accepted"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("zerodha_runner login"), std::string::npos) << bad.out;
}

TEST_F(SuiteTest, StartSupervisesAndStopLeavesNothingBehind) {
  InstallBinaries();
  auto started = testing::ChildProcess::Start((dir_ / "bin" / "zerodha_runner").string(),
                                              {"--config", config_.string(), "start"}, {},
                                              dir_ / "runner_out");
  ASSERT_TRUE(started.ok());
  runner_ = std::move(*started);
  json s;
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        s = Status();
        return ChildPid(s, "ltp_subscriber") > 0 && ChildPid(s, "mtm_monitor") > 0;
      },
      milliseconds(20000)))
      << runner_->ReadStderr() << s.dump();
  EXPECT_TRUE(s["runner"]["running"].get<bool>());
  EXPECT_EQ(s["runner"]["pid"], runner_->pid());

  // A killed child is restarted (backoff 1 s).
  const int64_t monitor = ChildPid(s, "mtm_monitor");
  ::kill(static_cast<pid_t>(monitor), SIGKILL);
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        s = Status();
        const int64_t now = ChildPid(s, "mtm_monitor");
        return now > 0 && now != monitor;
      },
      milliseconds(15000)))
      << s.dump();
  EXPECT_GE(s["processes"]["mtm_monitor"]["restarts"].get<int>(), 1);

  // A hung child (heartbeat stale for 4 s) is stopped and restarted.
  const int64_t subscriber = ChildPid(s, "ltp_subscriber");
  SetMode("ltp_subscriber", "hang");
  ASSERT_TRUE(testing::WaitUntil(
      [&] { return Status()["processes"]["ltp_subscriber"].value("restarts", 0) >= 1; },
      milliseconds(15000)));
  SetMode("ltp_subscriber", "run");
  EXPECT_FALSE(ProcessAlive(static_cast<pid_t>(subscriber)));

  // A second start is refused and names the running runner.
  auto second = Run("start", dir_ / "bin" / "zerodha_runner");
  EXPECT_EQ(second.code, 1);
  EXPECT_NE(second.err.find("pid " + std::to_string(runner_->pid())), std::string::npos)
      << second.err;

  // stop: the runner exits 0 and no child is left.
  s = Status();
  const pid_t a = static_cast<pid_t>(ChildPid(s, "ltp_subscriber"));
  const pid_t b = static_cast<pid_t>(ChildPid(s, "mtm_monitor"));
  auto stop = Run("stop");
  EXPECT_EQ(stop.code, 0) << stop.out << stop.err;
  EXPECT_EQ(runner_->WaitExit(milliseconds(5000)), 0);
  EXPECT_FALSE(ProcessAlive(a));
  EXPECT_FALSE(ProcessAlive(b));
  EXPECT_FALSE(fs::exists(dir_ / "data" / "runner.pid"));
  EXPECT_NE(ReadTextFile(dir_ / "data" / "system_runner.log").value_or("").find("hung"),
            std::string::npos);
}

}  // namespace
}  // namespace zm::runner
