// zerodha_runner: the one command users type. Parses the command line and dispatches a verb
// (runner/verbs.h); exit codes: 0 ok, 1 runtime failure, 2 bad config or usage.
#include <iostream>

#include "common/cli.h"
#include "common/core_dumps.h"
#include "runner/args.h"
#include "runner/verbs.h"

int main(int argc, char** argv) {
  using namespace zm::runner;
  zm::DisableCoreDumpsOrWarn("zerodha_runner");
  auto args = ParseRunnerArgs(std::vector<std::string>(argv + 1, argv + argc));
  if (!args.ok()) {
    std::cerr << "zerodha_runner: " << args.status().message() << "\n"
              << "see zerodha_runner --help\n";
    return zm::kExitUsage;
  }
  if (args->help) {
    const bool general = args->verb == Verb::kStart &&
                         std::find(argv + 1, argv + argc, std::string("start")) == argv + argc;
    std::cout << UsageText(args->verb, general);
    return zm::kExitOk;
  }
  if (args->verb == Verb::kDemo) return RunDemo(*args);
  // Only login uses the api_secret; check reports whether it is there. Every other verb (and
  // every daemon) drops it at load, so it is not kept in memory while the suite runs.
  const bool needs_secret = args->verb == Verb::kLogin || args->verb == Verb::kCheck;
  auto config = zm::LoadConfigOrReport(
      args->config_path, needs_secret ? zm::ApiSecretUse::kKeep : zm::ApiSecretUse::kDrop);
  if (!config) return zm::kExitUsage;
  switch (args->verb) {
    case Verb::kStart:
      return args->detach ? RunStartDetached(*config) : RunStart(*config);
    case Verb::kStop:
      return RunStop(*config);
    case Verb::kStatus:
      return RunStatus(*config, args->json);
    case Verb::kSummary:
      return RunSummary(*config, args->json);
    case Verb::kCheck:
      return RunCheck(*config, args->json);
    case Verb::kLogin:
      return RunLogin(*config, *args);
    case Verb::kReport:
      return RunReport(*config, *args);
    case Verb::kAlertTest:
      return RunAlertTest(*config);
    case Verb::kLogs:
      return RunLogs(*config, *args);
    case Verb::kDashboard:
      return RunDashboard(*config);
    case Verb::kDemo:
      break;
  }
  return zm::kExitUsage;
}
