#include "runner/args.h"

#include <cstdlib>
#include <regex>

#include "common/enum_names.h"
#include "common/ist.h"

namespace zm::runner {
namespace {

// "--name=value" or "--name value": the value, advancing `i`; nullopt when missing.
std::optional<std::string> TakeValue(const std::vector<std::string>& argv, size_t* i,
                                     const std::string& name) {
  const std::string& arg = argv[*i];
  if (arg.size() > name.size() && arg.compare(0, name.size() + 1, name + "=") == 0) {
    return arg.substr(name.size() + 1);
  }
  if (arg != name || *i + 1 >= argv.size()) return std::nullopt;
  return argv[++*i];
}

bool Is(const std::string& arg, const std::string& name) {
  return arg == name || arg.rfind(name + "=", 0) == 0;
}

// The options that take a value ("--name value" or "--name=value"), each with its verb.
constexpr std::pair<const char*, Verb> kValueOptions[] = {
    {"--process", Verb::kLogs},        {"--since", Verb::kLogs},    {"--date", Verb::kReport},
    {"--request-token", Verb::kLogin}, {"--scenario", Verb::kDemo}, {"--dir", Verb::kDemo},
    {"--timeout", Verb::kDemo}};

// Checks and stores the value `v` of the value option `name` (one of kValueOptions).
Status SetValueOption(std::string_view name, const std::string& v, RunnerArgs* out) {
  if (name == "--process") {
    out->log_process = v;
  } else if (name == "--since") {
    out->log_since_minute = ParseHhMm(v);
    if (!out->log_since_minute)
      return InvalidArgument("--since: expected HH:MM (IST), found '" + v + "'");
  } else if (name == "--date") {
    if (!std::regex_match(v, std::regex(R"(\d{4}-\d{2}-\d{2})")) || !IstDayStart(v)) {
      return InvalidArgument("--date: expected YYYY-MM-DD, found '" + v + "'");
    }
    out->report_date = v;
  } else if (name == "--request-token") {
    out->login_input = v;
  } else if (name == "--scenario") {
    out->scenario = v;
  } else if (name == "--dir") {
    out->demo_dir = v;
  } else if (name == "--timeout") {
    char* end = nullptr;
    out->demo_timeout_seconds = std::strtod(v.c_str(), &end);
    if (end == v.c_str() || *end != '\0' || out->demo_timeout_seconds <= 0) {
      return InvalidArgument("--timeout: expected seconds > 0, found '" + v + "'");
    }
  }
  return Status::Ok();
}

Status ParseVerbOption(const std::vector<std::string>& argv, size_t* i, RunnerArgs* out) {
  const std::string& arg = argv[*i];
  const std::string verb = VerbName(out->verb);
  for (const auto& [name, owner] : kValueOptions) {
    if (owner != out->verb || !Is(arg, name)) continue;
    const std::optional<std::string> value = TakeValue(argv, i, name);
    if (!value) return InvalidArgument(std::string(name) + " needs a value");
    return SetValueOption(name, *value, out);
  }
  const bool json_verb = out->verb == Verb::kStatus || out->verb == Verb::kSummary ||
                         out->verb == Verb::kCheck || out->verb == Verb::kReport;
  if (arg == "--json" && json_verb) {
    out->json = true;
  } else if (arg == "--detach" && out->verb == Verb::kStart) {
    out->detach = true;
  } else if ((arg == "-f" || arg == "--follow") && out->verb == Verb::kLogs) {
    out->follow = true;
  } else if (out->verb == Verb::kLogin && !arg.empty() && arg[0] != '-' && !out->login_input) {
    out->login_input = arg;  // the pasted redirect URL (or a bare request token)
  } else {
    return InvalidArgument("unknown option '" + arg + "' for '" + verb + "' (see zerodha_runner " +
                           verb + " --help)");
  }
  return Status::Ok();
}

}  // namespace

constexpr auto kVerbNames =
    MakeEnumNames<Verb>({"start", "stop", "status", "summary", "check", "login", "demo", "report",
                         "alert-test", "logs", "dashboard"});

const char* VerbName(Verb verb) { return kVerbNames.Name(verb); }

Result<RunnerArgs> ParseRunnerArgs(const std::vector<std::string>& argv) {
  RunnerArgs out;
  bool verb_seen = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (Is(arg, "--config") || arg == "-c") {
      auto v = TakeValue(argv, &i, arg == "-c" ? "-c" : "--config");
      if (!v || v->empty()) return InvalidArgument("--config needs a path");
      out.config_path = *v;
      out.config_given = true;
    } else if (arg == "--help" || arg == "-h" || (arg == "help" && !verb_seen)) {
      out.help = true;
    } else if (!verb_seen && !arg.empty() && arg[0] != '-') {
      std::optional<Verb> verb = kVerbNames.Parse(arg);
      if (!verb) {
        return InvalidArgument(
            "unknown verb '" + arg +
            "' (expected start, stop, status, summary, check, login, demo, report, "
            "alert-test, logs or dashboard)");
      }
      out.verb = *verb;
      verb_seen = true;
    } else {
      ZM_RETURN_IF_ERROR(ParseVerbOption(argv, &i, &out));
    }
  }
  if (!verb_seen && out.help) return out;  // general help
  return out;
}

std::string UsageText(Verb verb, bool general) {
  const std::string common =
      "  --config PATH   the suite's config.yaml (default ./config.yaml)\n"
      "  --help          this text\n"
      "Exit codes: 0 ok, 1 runtime failure, 2 bad config or usage.\n";
  if (general) {
    return "usage: zerodha_runner [--config PATH] [VERB] [options]\n"
           "Automated MTM risk guard for Zerodha Kite Connect. Verbs:\n"
           "  start     (default) check, then run and supervise the LTP subscriber and the MTM\n"
           "            monitor in the foreground; Ctrl+C stops everything [--detach]\n"
           "  stop      stop a running suite (waits at most 15 s)\n"
           "  status    runner and children: pids, uptime, restarts, heartbeats [--json]\n"
           "  summary   today's MTM, limits, positions and square-offs [--json]\n"
           "  check     verify every prerequisite, PASS/FAIL with the fix [--json]\n"
           "  login     daily login: print the Kite login URL, then\n"
           "            login --request-token T  (or paste the whole redirect URL)\n"
           "  demo      a complete simulated session against the bundled simulator\n"
           "  report    what each square-off cost: slippage, latency [--date D] [--json]\n"
           "  alert-test  send one test alert to every configured channel\n"
           "  logs      the three logs merged in time order [-f] [--process P] [--since HH:MM]\n"
           "  dashboard the live dashboard in a browser (127.0.0.1, prints its URL)\n"
           "`zerodha_runner VERB --help` describes one verb.\n" +
           common;
  }
  switch (verb) {
    case Verb::kStart:
      return "usage: zerodha_runner [--config PATH] [start] [--detach]\n"
             "Runs the checks, takes the single-instance lock in data_dir, starts and supervises\n"
             "zerodha_ltp_subscriber and zerodha_mtm_monitor (restarts with backoff). Details\n"
             "go to system_runner.log. SIGINT/SIGTERM stop both children and exit 0.\n"
             "  --detach  run in the background (output into data_dir/runner_console.log);\n"
             "            returns once both children are healthy (0) or not within 60 s (1)\n" +
             common;
    case Verb::kStop:
      return "usage: zerodha_runner [--config PATH] stop\n"
             "Signals the running runner and waits (<= 15 s) until it and its children are gone.\n"
             "Nothing running is not an error.\n" +
             common;
    case Verb::kStatus:
      return "usage: zerodha_runner [--config PATH] status [--json]\n"
             "Runner and children: pid, running, uptime, restarts, heartbeat age, WebSocket,\n"
             "last tick age, token state, last critical event.\n" +
             common;
    case Verb::kSummary:
      return "usage: zerodha_runner [--config PATH] summary [--json]\n"
             "Reads the monitor's snapshot (read-only, suite running or not): MTM, max MTM,\n"
             "threshold and target with distances, state, positions, square-offs.\n" +
             common;
    case Verb::kCheck:
      return "usage: zerodha_runner [--config PATH] check [--json]\n"
             "Each prerequisite with PASS/FAIL and the fix; exit 0 only if all pass.\n" +
             common;
    case Verb::kLogin:
      return "usage: zerodha_runner [--config PATH] login [--request-token T | REDIRECT_URL]\n"
             "Without a token: prints the Kite login URL. With the request token (or the whole\n"
             "redirect URL pasted): creates the session and writes the access token file\n"
             "(mode 0600). A running suite picks the new token up without a restart.\n" +
             common;
    case Verb::kDemo:
      return "usage: zerodha_runner demo [--scenario FILE] [--timeout S] [--dir DIR]\n"
             "Starts kite_sim with scenarios/demo.yaml on a free loopback port, writes a demo\n"
             "config into DIR/<timestamp> (default ./demo-run), runs the suite until the\n"
             "square-off is verified flat (or S seconds, default 120), prints the summary.\n" +
             common;
    case Verb::kReport:
      return "usage: zerodha_runner [--config PATH] report [--date YYYY-MM-DD] [--json]\n"
             "For every square-off of the day (IST; default today), from zerodha_mtm.db\n"
             "(read-only): MTM at the trigger vs the realised exit P&L, slippage per slice (fill\n"
             "vs the price at the trigger), breach-to-first-order and breach-to-flat latency,\n"
             "rejections and re-prices.\n" +
             common;
    case Verb::kLogs:
      return "usage: zerodha_runner [--config PATH] logs [-f] [--process NAME] [--since HH:MM]\n"
             "Merges ltp_subscriber.log, mtm_monitor.log and system_runner.log in time order\n"
             "(levels coloured on a terminal). -f follows them until Ctrl+C; --process:\n"
             "subscriber, monitor or runner; --since: today's lines from that IST time.\n" +
             common;
    case Verb::kDashboard:
      return "usage: zerodha_runner [--config PATH] dashboard\n"
             "Serves the live dashboard (MTM curve with the limits, positions, processes,\n"
             "events, square-off reports) on 127.0.0.1:dashboard.port (0 = any free port) until\n"
             "Ctrl+C, reading data_dir read-only. Prints one line {\"url\": \"...\"}: open it;\n"
             "its token is required. `start` serves the same page when dashboard.enabled.\n" +
             common;
    case Verb::kAlertTest:
      return "usage: zerodha_runner [--config PATH] alert-test\n"
             "Sends one test alert to every channel in alerts.channels (whatever their\n"
             "min_severity) and prints each channel's result; exit 0 only if all delivered.\n" +
             common;
  }
  return common;
}

}  // namespace zm::runner
