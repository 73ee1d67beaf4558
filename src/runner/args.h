// Command line of zerodha_runner: `zerodha_runner [--config PATH] [VERB] [options]`.
//
// Pure parsing: argv in, RunnerArgs or a usage error out (the caller exits 2). VERB defaults to
// `start`. Every verb accepts --help. Options are accepted only by the verbs they belong to, so
// a typo is an error rather than silently ignored.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace zm::runner {

// Names: kVerbNames in args.cc, in this order (common/enum_names.h).
enum class Verb {
  kStart,
  kStop,
  kStatus,
  kSummary,
  kCheck,
  kLogin,
  kDemo,
  kReport,     // report [--date YYYY-MM-DD] [--json]
  kAlertTest,  // alert-test
  kLogs,       // logs [-f] [--process NAME] [--since HH:MM]
  kDashboard,  // dashboard: serve the live dashboard until Ctrl+C
  kMaxValue = kDashboard,
};

const char* VerbName(Verb verb);

struct RunnerArgs {
  std::filesystem::path config_path = "config.yaml";
  bool config_given = false;
  Verb verb = Verb::kStart;
  bool help = false;
  bool json = false;                              // status, summary, check, report
  std::optional<std::string> login_input;         // login: --request-token T or a pasted URL
  std::optional<std::filesystem::path> scenario;  // demo
  double demo_timeout_seconds = 120;              // demo
  std::optional<std::filesystem::path> demo_dir;  // demo: where to create the run folder
  std::optional<std::string> report_date;         // report --date YYYY-MM-DD (default today)
  bool detach = false;                            // start --detach
  bool follow = false;                            // logs -f
  std::optional<std::string> log_process;         // logs --process NAME
  std::optional<int> log_since_minute;            // logs --since HH:MM (IST minute of day)
};

Result<RunnerArgs> ParseRunnerArgs(const std::vector<std::string>& argv);

// The usage text of a verb (the general one for start when `general`).
std::string UsageText(Verb verb, bool general);

}  // namespace zm::runner
