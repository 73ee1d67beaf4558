// `zerodha_runner demo` end to end: kite_sim + the real subscriber and monitor, until the
// square-off is verified flat. Bounded: the demo's own timeout is 120 s, the command's 150 s.
// Skipped when the real binaries are not built in this build folder.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "common/text_file.h"
#include "runner/files.h"

namespace zm::runner {
namespace {

TEST(DemoTest, RunsToAVerifiedFlatBookAndExitsZero) {
  const fs::path bin(ZM_BIN_DIR);
  for (const char* name : {"kite_sim", "zerodha_ltp_subscriber", "zerodha_mtm_monitor"}) {
    if (!fs::exists(bin / name)) GTEST_SKIP() << name << " is not built";
  }
  const fs::path dir = bin.parent_path() / "tests" / ("runner_demo_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path out = dir / "out.txt", err = dir / "err.txt";
  const std::string cmd = "timeout 150 " + (bin / "zerodha_runner").string() + " demo --dir " +
                          dir.string() + " --timeout 120 >" + out.string() + " 2>" + err.string() +
                          " </dev/null";
  const int status = std::system(cmd.c_str());
  const std::string stdout_text = ReadTextFile(out).value_or("");
  const std::string stderr_text = ReadTextFile(err).value_or("");
  EXPECT_EQ(WEXITSTATUS(status), 0) << stdout_text << "\n--- stderr ---\n" << stderr_text;
  EXPECT_NE(stdout_text.find("verified flat"), std::string::npos) << stdout_text;
  EXPECT_NE(stdout_text.find("outcome=flat"), std::string::npos) << stdout_text;
  // The report of its square-off: the exit P&L and the latency figures.
  EXPECT_NE(stdout_text.find("Realised exit P&L"), std::string::npos) << stdout_text;
  EXPECT_NE(stdout_text.find("Breach -> first order"), std::string::npos) << stdout_text;
  // The demo serves the dashboard while it runs and prints its URL line (issue #14).
  EXPECT_NE(stdout_text.find("{\"url\": \"http://127.0.0.1:"), std::string::npos) << stdout_text;
  EXPECT_EQ(stdout_text.find("sim_token"), std::string::npos);
  if (!HasFailure()) fs::remove_all(dir);
}

}  // namespace
}  // namespace zm::runner
