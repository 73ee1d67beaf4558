#include "support/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

extern char** environ;

namespace zm::testing {
namespace {

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::filesystem::path FreshTempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "zm_child_XXXXXX").string();
  if (!mkdtemp(pattern.data())) return std::filesystem::temp_directory_path();
  return pattern;
}

}  // namespace

Result<std::unique_ptr<ChildProcess>> ChildProcess::Start(const std::string& binary,
                                                          const std::vector<std::string>& args,
                                                          const Env& env,
                                                          std::filesystem::path output_dir) {
  if (output_dir.empty()) output_dir = FreshTempDir();
  std::error_code ec;
  std::filesystem::create_directories(output_dir, ec);
  const std::string name = std::filesystem::path(binary).filename().string();
  const std::filesystem::path out_path = output_dir / (name + ".stdout");
  const std::filesystem::path err_path = output_dir / (name + ".stderr");
  const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0 || err < 0) {
    for (int fd : {out, err})
      if (fd >= 0) close(fd);
    return IoError("cannot open output files in " + output_dir.string());
  }
  auto child = StartWithStdio(binary, args, env, out, err);
  close(out);
  close(err);
  if (child.ok()) {
    (*child)->stdout_path_ = out_path;
    (*child)->stderr_path_ = err_path;
  }
  return child;
}

Result<std::unique_ptr<ChildProcess>> ChildProcess::StartWithStdio(
    const std::string& binary, const std::vector<std::string>& args, const Env& env, int out,
    int err) {
  std::unique_ptr<ChildProcess> child(new ChildProcess());

  // Everything the child needs is prepared before fork(): no allocation after it.
  std::vector<std::string> argv_text = {binary};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::map<std::string, std::string> env_map;
  for (char** e = environ; *e; ++e) {
    const std::string entry = *e;
    const size_t eq = entry.find('=');
    if (eq != std::string::npos) env_map[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& [key, value] : env) env_map[key] = value;
  std::vector<std::string> env_text;
  for (const auto& [key, value] : env_map) env_text.push_back(key + "=" + value);
  std::vector<char*> argv, envp;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);

  const int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (in < 0) return IoError("cannot open /dev/null");
  const pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    // A test killed by its timeout (or a crash) must not leave the suite it started running:
    // the child dies with the test process.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    execve(binary.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  close(in);
  if (pid < 0) return IoError(std::string("fork: ") + std::strerror(errno));
  setpgid(pid, pid);  // also from the parent: no race with an early Signal()
  child->pid_ = pid;
  return child;
}

ChildProcess::~ChildProcess() {
  if (pid_ <= 0 || exit_code_) {
    if (pid_ > 0) kill(-pid_, SIGKILL);  // grandchildren left in the group
    return;
  }
  kill(-pid_, SIGKILL);
  kill(pid_, SIGKILL);
  (void)WaitExit(std::chrono::seconds(5));
}

bool ChildProcess::Signal(int signal) {
  if (pid_ <= 0 || !running()) return false;
  return kill(pid_, signal) == 0;
}

bool ChildProcess::running() {
  if (exit_code_) return false;
  int status = 0;
  const pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
  }
  return r == 0;
}

std::optional<int> ChildProcess::WaitExit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return exit_code_;
}

std::string ChildProcess::ReadStdout() const { return ReadAll(stdout_path_); }
std::string ChildProcess::ReadStderr() const { return ReadAll(stderr_path_); }

}  // namespace zm::testing
