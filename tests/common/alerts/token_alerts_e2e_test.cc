// The token alerts end to end: the real zerodha_mtm_monitor against the in-process simulator
// posts token_rejected to a loopback webhook receiver when Kite refuses the access token (the
// simulator's token_expired fault), and token_renewed once a new token is written to the token
// file (as `zerodha_runner login` does) and accepted. The token never appears in a message.
#include <fstream>

#include "common/alerts/receiver.h"
#include "mtm_monitor/cycle_e2e_fixture.h"

namespace zm::testing {
namespace {

using nlohmann::json;

class TokenAlertsE2eTest : public CycleE2eTest {};

TEST_F(TokenAlertsE2eTest, WebhookGetsTokenRejectedThenRenewed) {
  AlertReceiver receiver;
  Trade("NFO", kCe, 75, 120);
  StartMonitor(
      "trading: {mtm_check_interval: 0.25}\n"
      "alerts:\n  min_severity: info\n  retry_delay: 0.2\n  max_retries: 1\n"
      "  channels:\n    - {type: webhook, name: hook, url: \"" +
      receiver.url("/hook") + "\"}\n");
  ASSERT_TRUE(WaitUntil([&] { return StdoutHas("state=monitoring positions=1"); }, seconds(15)))
      << monitor_->ReadStdout() << monitor_->ReadStderr();
  EXPECT_TRUE(receiver.WithEvent("token_rejected").empty());

  // Kite refuses the token: the monitor's next REST call gets 403 TokenException.
  ASSERT_TRUE(sim_->Fault({{"kind", "token_expired"}, {"on", true}}).ok());
  ASSERT_TRUE(WaitUntil([&] { return !receiver.WithEvent("token_rejected").empty(); }, seconds(20)))
      << monitor_->ReadStderr();
  const json rejected = receiver.WithEvent("token_rejected").front().Json();
  EXPECT_EQ(rejected["severity"], "critical") << rejected.dump();
  EXPECT_NE(rejected.value("text", "").find("login"), std::string::npos) << rejected.dump();

  // The daily login: a new token in the file, which the broker accepts from now on.
  ASSERT_TRUE(sim_->Control("POST", "/_sim/token", {{"access_token", "sim_token_renewed"}}).ok());
  ASSERT_TRUE(sim_->Fault({{"kind", "token_expired"}, {"on", false}}).ok());
  {
    const auto token_file = dir_ / "access_token" / "access_token.txt";
    const auto tmp = dir_ / "access_token" / "access_token.txt.new";
    std::ofstream(tmp) << "sim_token_renewed\n";
    std::filesystem::rename(tmp, token_file);
  }
  ASSERT_TRUE(WaitUntil([&] { return !receiver.WithEvent("token_renewed").empty(); }, seconds(20)))
      << monitor_->ReadStderr();
  EXPECT_EQ(receiver.WithEvent("token_renewed").front().Json()["severity"], "info");
  // One rejection episode: one alert, and no access token in any message.
  EXPECT_EQ(receiver.WithEvent("token_rejected").size(), 1u);
  for (const auto& r : receiver.requests()) {
    EXPECT_EQ(r.body.find("sim_token"), std::string::npos) << r.body;
  }
}

}  // namespace
}  // namespace zm::testing
