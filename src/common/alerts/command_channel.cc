// The command channel (channels.h): fork/exec with the event JSON on stdin, time-limited,
// polled on a timer so that the event loop never waits on the program.
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/alerts/channels.h"
#include "common/logging.h"

namespace zm::alerts {
namespace {

namespace asio = boost::asio;
constexpr auto kPoll = std::chrono::milliseconds(20);
constexpr size_t kStderrKept = 200;

// argv[0] with a '/' as is; a bare name searched in PATH (before fork: nothing is allocated
// in the child).
std::string ResolveProgram(const std::string& program) {
  if (program.find('/') != std::string::npos) return program;
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    const size_t end = std::min(dirs.find(':', start), dirs.size());
    const std::string candidate = dirs.substr(start, end - start) + "/" + program;
    if (end > start && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}

struct Pipes {
  int in[2] = {-1, -1};
  int err[2] = {-1, -1};
  ~Pipes() {
    for (int fd : {in[0], in[1], err[0], err[1]}) {
      if (fd >= 0) ::close(fd);
    }
  }
  static void Close(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

// In the child after fork: only async-signal-safe calls.
[[noreturn]] void ExecChild(const Pipes& p, const std::string& program, char* const* argv) {
  ::setpgid(0, 0);
  const int null = ::open("/dev/null", O_WRONLY);
  ::dup2(p.in[0], 0);
  if (null >= 0) ::dup2(null, 1);
  ::dup2(p.err[1], 2);
  // Nothing of the guard's (sockets, databases, logs) leaks into the program.
  if (::syscall(SYS_close_range, 3U, ~0U, 0U) != 0) {
    for (int fd = 3; fd < 4096; ++fd) ::close(fd);
  }
  ::signal(SIGPIPE, SIG_DFL);
  ::execv(program.c_str(), argv);
  ::_exit(127);
}

std::string ReadStderr(int fd) {
  std::string out(kStderrKept, '\0');
  const ssize_t n = ::read(fd, out.data(), out.size());
  out.resize(n > 0 ? static_cast<size_t>(n) : 0);
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

class CommandChannel final : public AlertChannel {
 public:
  CommandChannel(asio::any_io_executor executor, AlertChannelConfig config, std::string account)
      : executor_(executor), config_(std::move(config)), account_(std::move(account)) {
    ::signal(SIGPIPE, SIG_IGN);  // a program that exits without reading stdin: EPIPE, no signal
  }

  asio::awaitable<Status> Send(AlertEvent event, int repeats) override {
    nlohmann::json body = EventJson(event, account_);
    if (repeats > 0) body["repeats"] = repeats;
    const std::string input = body.dump() + "\n";
    const std::string program = ResolveProgram(config_.command[0]);
    if (program.empty())
      co_return NotFound("program '" + config_.command[0] + "' not found in PATH");
    std::vector<std::string> args = config_.command;
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    Pipes p;
    if (::pipe2(p.in, O_CLOEXEC) != 0 || ::pipe2(p.err, O_CLOEXEC | O_NONBLOCK) != 0) {
      co_return IoError(std::string("pipe: ") + std::strerror(errno));
    }
    const pid_t pid = ::fork();
    if (pid < 0) co_return IoError(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) ExecChild(p, program, argv.data());
    Pipes::Close(p.in[0]);
    Pipes::Close(p.err[1]);
    ::fcntl(p.in[1], F_SETFL, O_NONBLOCK);
    // The event is a few KiB at most: it fits the pipe, so one non-blocking write suffices.
    const ssize_t written = ::write(p.in[1], input.data(), input.size());
    const bool write_ok = written == static_cast<ssize_t>(input.size());
    Pipes::Close(p.in[1]);

    auto exit_status = co_await WaitExit(pid);
    const std::string err = ReadStderr(p.err[0]);
    if (!exit_status) {
      co_return Status(StatusCode::kTimeout,
                       RedactSecrets("killed after " + FormatSeconds() + " (timeout)"));
    }
    const int st = *exit_status;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
      if (!write_ok) co_return IoError("the program exited 0 without reading the whole event");
      co_return Status::Ok();
    }
    std::string why = WIFEXITED(st) ? "exit code " + std::to_string(WEXITSTATUS(st))
                                    : "killed by signal " + std::to_string(WTERMSIG(st));
    if (WIFEXITED(st) && WEXITSTATUS(st) == 127) why += " (cannot execute " + program + ")";
    if (!err.empty()) why += ": " + err;
    co_return Status(StatusCode::kIoError, RedactSecrets(why));
  }

 private:
  std::string FormatSeconds() const {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.1f s", config_.timeout);
    return buf;
  }

  // The wait status, or nullopt when the program outlived the timeout (then it and its group
  // were SIGKILLed and reaped).
  asio::awaitable<std::optional<int>> WaitExit(pid_t pid) {
    asio::steady_timer timer(executor_);
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::milliseconds(static_cast<long long>(config_.timeout * 1000));
    for (;;) {
      int st = 0;
      const pid_t r = ::waitpid(pid, &st, WNOHANG);
      if (r == pid) co_return st;
      if (r < 0 && errno != EINTR) co_return std::optional<int>(0);  // reaped elsewhere
      if (std::chrono::steady_clock::now() >= deadline) break;
      timer.expires_after(kPoll);
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);
    for (int i = 0; i < 100; ++i) {  // SIGKILL ends it at once; bounded all the same
      if (::waitpid(pid, nullptr, WNOHANG) != 0) break;
      timer.expires_after(kPoll);
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    co_return std::nullopt;
  }

  asio::any_io_executor executor_;
  AlertChannelConfig config_;
  std::string account_;
};

}  // namespace

std::unique_ptr<AlertChannel> MakeCommandChannel(asio::any_io_executor executor,
                                                 const AlertChannelConfig& config,
                                                 const std::string& account) {
  return std::make_unique<CommandChannel>(executor, config, account);
}

}  // namespace zm::alerts
