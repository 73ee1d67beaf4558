// ChildProcess: runs a binary under test (fork/exec) with arguments and extra environment,
// stdout/stderr captured to files, stdin from /dev/null. The child leads its own process group;
// destruction SIGKILLs the whole group and reaps it, so a failing test never leaves processes
// behind. Not thread-safe: use from one test thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace zm::testing {

class ChildProcess {
 public:
  using Env = std::vector<std::pair<std::string, std::string>>;

  // Starts `binary` with `args` (argv[1..]); `env` entries are added to (or override) the
  // parent's environment. Output goes to output_dir/<name>.stdout|stderr (output_dir is created;
  // empty = a fresh temporary folder).
  static Result<std::unique_ptr<ChildProcess>> Start(const std::string& binary,
                                                     const std::vector<std::string>& args,
                                                     const Env& env = {},
                                                     std::filesystem::path output_dir = {});
  // Same, with the child's stdout/stderr on the given descriptors (e.g. pipe write ends the test
  // never reads); they are dup'ed for the child and stay the caller's. ReadStdout() is then "".
  static Result<std::unique_ptr<ChildProcess>> StartWithStdio(const std::string& binary,
                                                              const std::vector<std::string>& args,
                                                              const Env& env, int stdout_fd,
                                                              int stderr_fd);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Sends `signal` to the child (not its group). False when it already exited.
  bool Signal(int signal);
  // Waits up to `timeout` for the exit. The exit code, 128 + N when killed by signal N,
  // or nullopt when still running.
  std::optional<int> WaitExit(std::chrono::milliseconds timeout);
  bool running();

  std::string ReadStdout() const;
  std::string ReadStderr() const;
  const std::filesystem::path& stdout_path() const { return stdout_path_; }
  const std::filesystem::path& stderr_path() const { return stderr_path_; }

 private:
  ChildProcess() = default;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::filesystem::path stdout_path_, stderr_path_;
};

}  // namespace zm::testing
