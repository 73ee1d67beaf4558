// start --detach against the simulator with the stand-in children (suite_fixture.h): returns
// once both children are healthy, the suite keeps running without the terminal, stop ends it.
#include "runner/suite_fixture.h"

namespace zm::runner {
namespace {

class DetachTest : public SuiteFixture {};

TEST_F(DetachTest, ReturnsOnceHealthyAndStopEndsTheBackgroundSuite) {
  InstallBinaries();
  const fs::path runner = dir_ / "bin" / "zerodha_runner";
  auto started = Run("start --detach", runner);
  ASSERT_EQ(started.code, 0) << started.out << started.err;
  EXPECT_NE(started.out.find("running in the background"), std::string::npos) << started.out;
  json s = Status();
  EXPECT_TRUE(s["runner"].value("running", false)) << s.dump();
  EXPECT_EQ(s["processes"]["ltp_subscriber"]["health"], "ok") << s.dump();
  EXPECT_EQ(s["processes"]["mtm_monitor"]["health"], "ok") << s.dump();
  auto stopped = Run("stop", runner);
  EXPECT_EQ(stopped.code, 0) << stopped.out << stopped.err;
  EXPECT_TRUE(testing::WaitUntil([&] { return !Status()["runner"].value("running", true); },
                                 milliseconds(20000)));
  if (HasFailure()) {  // never leave a background runner behind
    if (auto pid = ReadPidFile(dir_ / "data" / "runner.pid")) ::kill(*pid, SIGKILL);
  }
}

TEST_F(DetachTest, AFailedCheckIsReportedWithTheRunnersOutput) {
  InstallBinaries();
  ASSERT_TRUE(sim_->Fault({{"kind", "token_expired"}, {"on", true}}).ok());
  auto started = Run("start --detach", dir_ / "bin" / "zerodha_runner");
  EXPECT_EQ(started.code, 1);
  EXPECT_NE(started.err.find("did not start"), std::string::npos) << started.err;
  EXPECT_NE(started.err.find("FAIL"), std::string::npos) << started.err;
}

}  // namespace
}  // namespace zm::runner
