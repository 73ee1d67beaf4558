// Alerts and the square-off report end to end: the real zerodha_mtm_monitor against the
// in-process simulator (the monitor's e2e fixture), its alerts posted to a loopback webhook
// receiver, and `zerodha_runner report --json` checked against the simulator's fills. With every
// channel down or hung, the square-off is not delayed (a generous bound, never a speed claim).
#include <SQLiteCpp/Database.h>

#include <fstream>

#include "common/alerts/receiver.h"
#include "mtm_monitor/cycle_e2e_fixture.h"

namespace zm::testing {
namespace {

using nlohmann::json;

long long WallMs() {
  return std::chrono::duration_cast<milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string AlertsYaml(const std::string& channels) {
  return "trading: {daily_max_profit_target: 50000, mtm_loss_threshold: -5000,"
         " mtm_check_interval: 0.25}\n"
         "alerts:\n  min_severity: info\n  retry_delay: 0.2\n  max_retries: 1\n"
         "  channels:\n" +
         channels;
}

class AlertsE2eTest : public CycleE2eTest {
 protected:
  // Runs zerodha_runner with the monitor's config; its output. `check`: it must exit 0.
  std::string Runner(const std::string& args, bool check = true) {
    const auto out = dir_ / "runner_out.txt";
    const std::string cmd = "timeout 60 " + BinaryPath("zerodha_runner") + " --config " +
                            config_.string() + " " + args + " >" + out.string() + " 2>&1";
    const int code = std::system(cmd.c_str());
    if (check) {
      EXPECT_EQ(code, 0) << args;
    }
    std::ifstream in(out);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  std::string SquareOffDate() {
    SQLite::Database db((dir_ / "zerodha_mtm.db").string(), SQLite::OPEN_READONLY);
    return db.execAndGet("SELECT trading_date FROM squareoffs ORDER BY id LIMIT 1").getString();
  }
  // MTM 75 * (50 - 120) = -5,250 <= -5,000: a loss square-off. Returns the wall time of the breach.
  long long Breach() {
    const long long at = WallMs();
    EXPECT_TRUE(sim_->SetPrice(std::string("NFO:") + kCe, 50).ok());
    return at;
  }
  // The first order POST's time: `clock` "at_ms" is the machine's wall clock (what Breach()
  // returns), "sim_at_ms" the simulator's, which the suite's processes share (SuiteClock).
  long long FirstOrderMs(const char* clock = "at_ms") {
    for (const auto& r : sim_->OrderLog()) {
      if (r.value("method", "") == "POST") return r.value(clock, 0LL);
    }
    return 0;
  }
};

TEST_F(AlertsE2eTest, WebhookGetsTheSquareOffEventsAndTheReportMatchesTheFills) {
  AlertReceiver receiver, telegram;
  Trade("NFO", kCe, 75, 120);
  std::ofstream(dir_ / "bot.txt") << "123456:bot-secret-token\n";
  StartMonitor(AlertsYaml("    - {type: webhook, name: hook, url: \"" + receiver.url("/hook") +
                          "\", header: \"Authorization: Bearer hook-secret\"}\n"
                          "    - {type: telegram, name: phone, bot_token_file: bot.txt,"
                          " chat_id: \"-1001\", min_severity: warning, api_base_url: \"" +
                          telegram.url("") + "\"}\n"));
  ASSERT_TRUE(WaitUntil([&] { return StdoutHas("state=monitoring positions=1"); }, seconds(15)))
      << monitor_->ReadStdout() << monitor_->ReadStderr();
  Breach();
  ASSERT_TRUE(WaitUntil([&] { return NetQuantity(kCe) == 0; }, seconds(20)))
      << monitor_->ReadStderr();
  ASSERT_TRUE(
      WaitUntil([&] { return receiver.WithEvent("squareoff_flat").size() == 1; }, seconds(15)))
      << monitor_->ReadStderr();
  ASSERT_TRUE(WaitUntil([&] { return !receiver.WithEvent("day_locked").empty(); }, seconds(5)));

  const auto trigger = receiver.WithEvent("trigger_fired");
  const auto started = receiver.WithEvent("squareoff_started");
  const auto flat = receiver.WithEvent("squareoff_flat");
  ASSERT_EQ(trigger.size(), 1u);
  ASSERT_EQ(started.size(), 1u);
  const json t = trigger[0].Json();
  EXPECT_EQ(t["severity"], "critical");
  EXPECT_EQ(t["account"], "sim_key");
  EXPECT_EQ(t["source"], "mtm_monitor");
  EXPECT_NEAR(t["mtm"].get<double>(), -5250, 0.01);
  EXPECT_NE(t["text"].get<std::string>().find("loss"), std::string::npos) << t.dump();
  EXPECT_EQ(trigger[0].headers.at("authorization"), "Bearer hook-secret");
  EXPECT_LE(trigger[0].at_ms, started[0].at_ms);
  EXPECT_LE(started[0].at_ms, flat[0].at_ms);
  for (const auto& r : receiver.requests()) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.target, "/hook");
    for (const char* secret : {"sim_token", "sim_secret", "hook-secret"}) {
      EXPECT_EQ(r.body.find(secret), std::string::npos) << r.body;
    }
  }

  // The fake Telegram Bot API got the same square-off as sendMessage, the token in the path only.
  ASSERT_TRUE(WaitUntil([&] { return !telegram.WithText("flat in").empty(); }, seconds(10)));
  EXPECT_FALSE(telegram.WithText("trigger loss").empty());
  for (const auto& r : telegram.requests()) {
    EXPECT_EQ(r.target, "/bot123456:bot-secret-token/sendMessage");
    EXPECT_EQ(r.Json()["chat_id"], "-1001");
    EXPECT_EQ(r.body.find("bot-secret-token"), std::string::npos) << r.body;
    EXPECT_EQ(r.body.find("sim_token"), std::string::npos) << r.body;
  }

  // The report, from the journal alone, against the simulator's own record of the fill.
  const json report = json::parse(Runner("report --json --date " + SquareOffDate()));
  ASSERT_EQ(report["squareoffs"].size(), 1u) << report.dump(2);
  const json& so = report["squareoffs"][0];
  EXPECT_EQ(so["reason"], "loss");
  EXPECT_EQ(so["outcome"], "flat");
  EXPECT_NEAR(so["mtm_at_trigger"].get<double>(), -5250, 0.01);
  auto state = sim_->State();
  ASSERT_TRUE(state.ok());
  double sim_value = 0;
  long long sim_filled = 0;
  for (const auto& o : (*state)["orders"]) {
    if (o.value("tradingsymbol", "") != kCe || o.value("transaction_type", "") != "SELL") continue;
    sim_value += o.value("average_price", 0.0) * o.value("filled_quantity", 0LL);
    sim_filled += o.value("filled_quantity", 0LL);
    bool found = false;
    for (const auto& s : so["slices"]) {
      if (s["order_id"] != o["order_id"]) continue;
      found = true;
      EXPECT_DOUBLE_EQ(s["fill_price"].get<double>(), o["average_price"].get<double>());
      EXPECT_EQ(s["filled"], o["filled_quantity"]);
      EXPECT_DOUBLE_EQ(s["trigger_price"].get<double>(), 50);
    }
    EXPECT_TRUE(found || o.value("filled_quantity", 0) == 0) << o.dump();
  }
  ASSERT_EQ(sim_filled, 75);
  EXPECT_EQ(so["filled_quantity"], 75);
  // Realised exit P&L of the closed position: (average exit - entry) * quantity.
  EXPECT_NEAR(so["exit_pnl"].get<double>(), sim_value - 120.0 * 75, 0.01);
  EXPECT_NEAR(so["slippage"].get<double>(), sim_value - 50.0 * 75, 0.01);
  // The square-off_flat alert carried the same figure.
  EXPECT_NEAR(flat[0].Json()["details"]["exit_pnl"].get<double>(), so["exit_pnl"].get<double>(),
              0.01);
  EXPECT_EQ(so["orders"].get<int>(), static_cast<int>(so["slices"].size()));
  // breach -> first order: the journal's send time vs the simulator's arrival time.
  EXPECT_NEAR(so["breach_to_first_order_ms"].get<double>(),
              static_cast<double>(FirstOrderMs("sim_at_ms") - so["started_at_ms"].get<long long>()),
              1000);
  EXPECT_GE(so["breach_to_flat_ms"].get<long long>(),
            so["breach_to_first_order_ms"].get<long long>());
  const std::string text = Runner("report --date " + SquareOffDate());
  EXPECT_NE(text.find("Realised exit P&L"), std::string::npos) << text;
  // `summary` carries the day's MTM sparkline and the square-off's report line.
  const std::string summary = Runner("summary");
  EXPECT_NE(summary.find("MTM today"), std::string::npos) << summary;
  EXPECT_NE(summary.find(" loss flat: MTM at trigger -5,250.00"), std::string::npos) << summary;
  StopMonitor();
}

TEST_F(AlertsE2eTest, DeadAndHungChannelsNeitherDelayTheSquareOffNorHideInStatus) {
  AlertReceiver hung;
  hung.set_mode(AlertReceiver::Mode::kBlackHole);
  Trade("NFO", kCe, 75, 120);
  // Port 1 on loopback: nothing listens (connection refused). The hung receiver never answers.
  StartMonitor(
      AlertsYaml("    - {type: webhook, name: refused, url: \"http://127.0.0.1:1/hook\"}\n"
                 "    - {type: webhook, name: hung, url: \"" +
                 hung.url("/hook") +
                 "\", timeout: 5}\n"
                 "    - {type: command, name: slow, command: [sleep, \"30\"], timeout: 5}\n"));
  ASSERT_TRUE(WaitUntil([&] { return StdoutHas("state=monitoring positions=1"); }, seconds(15)))
      << monitor_->ReadStdout() << monitor_->ReadStderr();
  const long long breach_ms = Breach();
  ASSERT_TRUE(WaitUntil([&] { return NetQuantity(kCe) == 0; }, seconds(20)))
      << monitor_->ReadStderr();
  const long long first_order_ms = FirstOrderMs();
  ASSERT_GT(first_order_ms, 0);
  EXPECT_LT(first_order_ms - breach_ms, 2000) << "breach -> first order with every channel down";
  RecordProperty("breach_to_first_order_ms_channels_down",
                 static_cast<int>(first_order_ms - breach_ms));

  // `status` shows the refused channel failing, with its error.
  json channels;
  ASSERT_TRUE(WaitUntil(
      [&] {
        const json s = json::parse(Runner("status --json", false), nullptr, false);
        if (!s.is_object() || !s.contains("alerts") || !s["alerts"].contains("mtm_monitor")) {
          return false;
        }
        channels = s["alerts"]["mtm_monitor"];
        return channels.size() == 3 && channels[0]["state"] == "failing";
      },
      seconds(15), milliseconds(250)))
      << channels.dump(2);
  EXPECT_EQ(channels[0]["name"], "refused");
  EXPECT_EQ(channels[0]["sent"], 0);
  EXPECT_FALSE(channels[0]["last_error"].get<std::string>().empty());
  EXPECT_NE(Runner("status", false).find("refused FAILING"), std::string::npos);
  StopMonitor();  // bounded: the monitor's exit waits at most 3 s for the queues
}

}  // namespace
}  // namespace zm::testing
