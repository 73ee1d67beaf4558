// InitRunnerLogging (verbs.h): system_runner.log at the configured level; the console shows
// warnings and alerts only, so that the foreground terminal is the monitor's cycle lines.
#include "common/cli.h"
#include "runner/verbs.h"

namespace zm::runner {

void InitRunnerLogging(const Config& config) {
  InitProcessLogging(config, "system_runner", "warn");
}

}  // namespace zm::runner
