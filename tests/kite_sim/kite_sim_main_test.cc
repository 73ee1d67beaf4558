// The kite_sim executable: CLI, the {"port":N} line, serving, clean exit on SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>

#include "support/sim_harness.h"

namespace zm::testing {
namespace {

using namespace std::chrono_literals;

TEST(KiteSimMainTest, ServesAndExitsCleanlyOnSigterm) {
  auto child = ChildProcess::Start(
      BinaryPath("kite_sim"),
      {"--port", "0", "--scenario", ScenarioPath("test_basic.yaml").string(), "--seed", "7"});
  ASSERT_TRUE(child.ok()) << child.status().ToString();
  ChildProcess& sim = **child;
  uint16_t port = 0;
  ASSERT_TRUE(WaitUntil(
      [&] {
        const auto line = nlohmann::json::parse(sim.ReadStdout(), nullptr, false);
        if (line.is_discarded() || !line.contains("port")) return false;
        port = line["port"];
        return true;
      },
      10s))
      << sim.ReadStderr();
  ASSERT_NE(port, 0);
  auto res = KiteCall(port, "GET", "/user/profile");
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  EXPECT_EQ(res->status, 200);
  ASSERT_TRUE(sim.Signal(SIGTERM));
  EXPECT_EQ(sim.WaitExit(10s), std::optional<int>(0)) << sim.ReadStderr();
}

TEST(KiteSimMainTest, ClockOffsetFlagSetsTheSimulatorsNowFromTheWallClock) {
  constexpr int64_t kDayMs = 24 * 3600 * 1000LL;
  auto child =
      ChildProcess::Start(BinaryPath("kite_sim"),
                          {"--port", "0", "--scenario", ScenarioPath("test_basic.yaml").string(),
                           "--clock-offset-ms", std::to_string(-kDayMs)});
  ASSERT_TRUE(child.ok()) << child.status().ToString();
  uint16_t port = 0;
  ASSERT_TRUE(WaitUntil(
      [&] {
        const auto line = nlohmann::json::parse((*child)->ReadStdout(), nullptr, false);
        if (line.is_discarded() || !line.contains("port")) return false;
        port = line["port"];
        return true;
      },
      10s));
  auto state = HttpCall(port, "GET", "/_sim/state");
  ASSERT_TRUE(state.ok());
  const int64_t sim_now = state->Json()["clock"]["now_ms"];
  const int64_t wall = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  // A day behind the wall clock (the margin only absorbs the start-up, never a speed).
  EXPECT_NEAR(static_cast<double>(sim_now), static_cast<double>(wall - kDayMs), 120'000.0);
  ASSERT_TRUE((*child)->Signal(SIGTERM));
  EXPECT_EQ((*child)->WaitExit(10s), std::optional<int>(0));
}

TEST(KiteSimMainTest, UsageErrorsExit2AndHelpExits0) {
  auto bad = ChildProcess::Start(BinaryPath("kite_sim"), {"--port", "0"});
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ((*bad)->WaitExit(10s), std::optional<int>(2));
  auto missing = ChildProcess::Start(BinaryPath("kite_sim"),
                                     {"--port", "0", "--scenario", "/nonexistent.yaml"});
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ((*missing)->WaitExit(10s), std::optional<int>(2));
  auto help = ChildProcess::Start(BinaryPath("kite_sim"), {"--help"});
  ASSERT_TRUE(help.ok());
  EXPECT_EQ((*help)->WaitExit(10s), std::optional<int>(0));
  EXPECT_NE((*help)->ReadStdout().find("usage: kite_sim"), std::string::npos);
}

}  // namespace
}  // namespace zm::testing
