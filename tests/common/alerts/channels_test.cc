// The channel adapters against loopback receivers and real programs: what is sent, what a
// failure looks like, that every attempt is bounded, and that secrets never leave.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <fstream>

#include "common/alerts/alert_service.h"
#include "common/alerts/receiver.h"
#include "common/logging.h"
#include "common/net/http_client.h"
#include "support/sim_harness.h"

namespace zm::alerts {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::AlertReceiver;

// Runs one Send() on a fresh io_context, bounded.
Status SendOnce(const AlertChannelConfig& config, const AlertEvent& event,
                milliseconds bound = seconds(10)) {
  asio::io_context io;
  auto tls = net::MakeClientTlsContext();
  EXPECT_TRUE(tls.ok());
  auto channel = MakeChannel(io.get_executor(), **tls, config, "desk-1");
  Status result(StatusCode::kInternal, "did not finish");
  asio::co_spawn(io, channel->Send(event, 0), [&](std::exception_ptr e, Status s) {
    result = e ? Status(StatusCode::kInternal, "threw") : s;
  });
  io.run_for(bound);
  return result;
}

AlertEvent Sample() {
  AlertEvent e = TriggerFired("loss", -5025.5, -5000, true, 1764131103000);
  e.source = "mtm_monitor";
  return e;
}

AlertChannelConfig Webhook(const std::string& url) {
  AlertChannelConfig c;
  c.type = "webhook";
  c.name = "hook";
  c.url = url;
  c.timeout = 1;
  return c;
}

TEST(WebhookChannelTest, PostsTheEventJsonWithItsHeader) {
  AlertReceiver receiver;
  AlertChannelConfig c = Webhook(receiver.url("/hook?k=1"));
  c.header_name = "Authorization";
  c.header_value = Secret("Bearer hook-secret");
  ASSERT_TRUE(SendOnce(c, Sample()).ok());
  auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/hook?k=1");
  EXPECT_EQ(requests[0].headers["authorization"], "Bearer hook-secret");
  EXPECT_EQ(requests[0].headers["content-type"], "application/json");
  const auto body = requests[0].Json();
  EXPECT_EQ(body["event"], "trigger_fired");
  EXPECT_EQ(body["severity"], "critical");
  EXPECT_EQ(body["account"], "desk-1");
  EXPECT_EQ(body["source"], "mtm_monitor");
  EXPECT_DOUBLE_EQ(body["mtm"].get<double>(), -5025.5);
  EXPECT_EQ(body["time"], "2025-11-26T09:55:03.000+05:30");
  EXPECT_EQ(body["text"], "trigger loss: MTM -5,025.50 (threshold -5,000.00); squaring off");
  EXPECT_EQ(body["details"]["reason"], "loss");
}

TEST(WebhookChannelTest, AnErrorAnswerAndAHungReceiverFailBounded) {
  AlertReceiver receiver;
  receiver.set_reply({503, "busy"});
  Status s = SendOnce(Webhook(receiver.url("/h")), Sample());
  EXPECT_EQ(s.message(), "HTTP 503: busy");
  receiver.set_mode(AlertReceiver::Mode::kBlackHole);
  const auto start = std::chrono::steady_clock::now();
  s = SendOnce(Webhook(receiver.url("/h")), Sample());
  EXPECT_EQ(s.code(), StatusCode::kTimeout) << s.ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(5));
}

TEST(TelegramChannelTest, SendsMessageWithTheTokenOnlyInThePath) {
  AlertReceiver receiver;
  const auto dir = testing::MakeTempDir("tg");
  std::ofstream(dir / "bot.txt") << "123456:ABC-def_ghi\n";
  AlertChannelConfig c;
  c.type = "telegram";
  c.bot_token_file = dir / "bot.txt";
  c.chat_id = "-100777";
  c.api_base_url = receiver.url("");
  c.timeout = 1;
  ASSERT_TRUE(SendOnce(c, Sample()).ok());
  auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].target, "/bot123456:ABC-def_ghi/sendMessage");
  const auto body = requests[0].Json();
  EXPECT_EQ(body["chat_id"], "-100777");
  const std::string text = body["text"];
  EXPECT_EQ(text.rfind("CRITICAL zerodha-mtm [desk-1]: trigger loss: MTM -5,025.50", 0), 0u)
      << text;
  EXPECT_EQ(requests[0].body.find("ABC-def"), std::string::npos);

  // Telegram's refusal: the description, never the token.
  receiver.set_reply({401, R"({"ok":false,"error_code":401,"description":"Unauthorized"})"});
  Status s = SendOnce(c, Sample());
  EXPECT_EQ(s.message(), "HTTP 401: Unauthorized");
  std::filesystem::remove_all(dir);
}

TEST(TelegramChannelTest, AMissingTokenFileFailsEverySendNamingTheFile) {
  AlertChannelConfig c;
  c.type = "telegram";
  c.bot_token_file = "/nonexistent/bot.txt";
  c.chat_id = "1";
  Status s = SendOnce(c, Sample());
  EXPECT_NE(s.message().find("/nonexistent/bot.txt is missing"), std::string::npos) << s.message();
}

class CommandChannelTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::MakeTempDir("cmd"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  AlertChannelConfig Script(const std::string& body, double timeout = 5) {
    const auto path = dir_ / "notify.sh";
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    ::chmod(path.c_str(), 0755);
    AlertChannelConfig c;
    c.type = "command";
    c.command = {path.string(), "--flag"};
    c.timeout = timeout;
    return c;
  }
  std::filesystem::path dir_;
};

TEST_F(CommandChannelTest, TheEventJsonArrivesOnStdin) {
  const auto out = dir_ / "event.json";
  ASSERT_TRUE(
      SendOnce(Script("echo \"$1\" > " + out.string() + ".arg; cat > " + out.string()), Sample())
          .ok());
  std::ifstream in(out);
  std::string line;
  std::getline(in, line);
  const auto body = nlohmann::json::parse(line, nullptr, false);
  EXPECT_EQ(body["event"], "trigger_fired");
  std::ifstream arg(out.string() + ".arg");
  std::getline(arg, line);
  EXPECT_EQ(line, "--flag");
}

TEST_F(CommandChannelTest, ExitCodeAndStderrMakeTheError) {
  Status s = SendOnce(Script("cat >/dev/null; echo 'no route' >&2; exit 3"), Sample());
  EXPECT_EQ(s.message(), "exit code 3: no route");
}

TEST_F(CommandChannelTest, AProgramOutlivingTheTimeoutIsKilled) {
  const auto start = std::chrono::steady_clock::now();
  Status s = SendOnce(Script("sleep 30", 0.3), Sample());
  EXPECT_EQ(s.code(), StatusCode::kTimeout);
  EXPECT_EQ(s.message(), "killed after 0.3 s (timeout)");
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(5));
}

TEST(AlertServiceTest, ADeadChannelNeverHoldsUpAnotherAndShowsAsFailing) {
  AlertReceiver good, hung;
  hung.set_mode(AlertReceiver::Mode::kBlackHole);
  RegisterSecret("s3cr3t-token-value");
  AlertsConfig config;
  config.account = "acct";
  config.max_retries = 1;
  config.retry_delay = 0.05;
  config.channels = {Webhook(good.url("/ok")), Webhook(hung.url("/hung")),
                     Webhook("http://127.0.0.1:1/refused")};
  config.channels[0].name = "good";
  config.channels[1].name = "hung";
  config.channels[2].name = "refused";
  asio::io_context io;
  AlertService service(io.get_executor(), config, "system_runner");
  service.Start();
  AlertEvent e = DeadMan("dead-man: no MTM; token s3cr3t-token-value leaked?", 1764131103000);
  service.Raise(e);
  service.Raise(TokenRenewed(1764131104000));  // info: below the default minimum (warning)
  io.run_for(milliseconds(500));
  ASSERT_EQ(good.requests().size(), 1u);
  EXPECT_EQ(good.requests()[0].body.find("s3cr3t"), std::string::npos);
  EXPECT_NE(good.requests()[0].body.find("***"), std::string::npos);
  bool flushed = true;
  asio::co_spawn(io, service.Flush(seconds(8)), [&](std::exception_ptr, bool f) { flushed = f; });
  io.run_for(seconds(9));
  EXPECT_TRUE(flushed);
  const auto health = service.HealthJson();
  EXPECT_EQ(health[0]["state"], "ok");
  EXPECT_EQ(health[0]["sent"], 1);
  EXPECT_EQ(health[1]["state"], "failing");
  EXPECT_EQ(health[1]["failed"], 1);
  EXPECT_EQ(health[2]["state"], "failing");
  EXPECT_EQ(health[2]["retried"], 1);
  EXPECT_NE(health[2]["last_error"].get<std::string>().find("refused"), std::string::npos)
      << health.dump();
  EXPECT_EQ(hung.requests().size(), 2u);  // the first attempt and one retry
}

}  // namespace
}  // namespace zm::alerts
