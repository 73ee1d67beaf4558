// Starting a supervised child: fork + execve with prepared argv/envp (nothing allocated after
// fork). The child gets its own process group, so a Ctrl+C in the terminal reaches only the
// runner, which then stops the children in order. stdout/stderr are inherited, so the monitor's
// one line per cycle shows in the runner's terminal.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/status.h"

namespace zm::runner {

struct ChildSpec {
  std::string name;               // component name: "ltp_subscriber" | "mtm_monitor"
  std::filesystem::path binary;   // absolute path of the executable
  std::vector<std::string> args;  // argv[1..]
  std::vector<std::string> env;   // "KEY=VALUE" added to (or replacing in) the environment
};

// Returns the child's pid. A binary that cannot be executed makes the child _exit(127).
Result<pid_t> SpawnChild(const ChildSpec& spec);

}  // namespace zm::runner
