#include "runner/spawn.h"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace zm::runner {
namespace {

std::vector<std::string> MergedEnvironment(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  auto key_of = [](const std::string& kv) { return kv.substr(0, kv.find('=')); };
  for (char** e = environ; e && *e; ++e) {
    const std::string kv = *e;
    bool replaced = false;
    for (const auto& x : extra) replaced = replaced || key_of(x) == key_of(kv);
    if (!replaced) env.push_back(kv);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

Result<pid_t> SpawnChild(const ChildSpec& spec, ChildStdio stdio) {
  std::vector<std::string> argv_strings = {spec.binary.string()};
  argv_strings.insert(argv_strings.end(), spec.args.begin(), spec.args.end());
  std::vector<std::string> env_strings = MergedEnvironment(spec.env);
  std::vector<char*> argv = Pointers(argv_strings);
  std::vector<char*> envp = Pointers(env_strings);
  const std::string path = spec.binary.string();
  const pid_t runner = ::getpid();

  const pid_t pid = ::fork();
  if (pid < 0) return IoError("fork failed for " + spec.name + ": " + std::strerror(errno));
  if (pid == 0) {
    // Child: async-signal-safe calls only until execve.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != runner) ::_exit(1);  // the runner died before prctl: do not start
    ::setpgid(0, 0);
    if (stdio.stdout_fd >= 0) ::dup2(stdio.stdout_fd, STDOUT_FILENO);
    if (stdio.stderr_fd >= 0) ::dup2(stdio.stderr_fd, STDERR_FILENO);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    ::sigaction(SIGPIPE, &dfl, nullptr);
    ::execve(path.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  return pid;
}

}  // namespace zm::runner
