// Starting a supervised child: fork + execve with prepared argv/envp (nothing allocated after
// fork). The child gets its own process group, so a Ctrl+C in the terminal reaches only the
// runner, which then stops the children in order.
// stdout/stderr: the write ends of pipes the runner drains (child_output.h), or inherited when
// none are given. The child dies with its runner: PR_SET_PDEATHSIG(SIGTERM) is set after fork
// and the parent pid re-checked right after, so a runner killed between fork and prctl leaves
// no orphan either. (SIGTERM, not SIGKILL: the monitor finishes a running square-off step first.)
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

struct ChildStdio {
  int stdout_fd = -1;  // becomes the child's fd 1; -1 = inherit
  int stderr_fd = -1;  // becomes the child's fd 2; -1 = inherit
};

// Returns the child's pid. A binary that cannot be executed makes the child _exit(127).
// The caller still owns (and closes) the fds in `stdio`.
Result<pid_t> SpawnChild(const ChildSpec& spec, ChildStdio stdio = {});

}  // namespace zm::runner
