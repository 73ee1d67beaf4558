// start --detach: the suite in the background. The runner starts itself again as
// `zerodha_runner --config PATH start` in a new session (no terminal; stdin /dev/null, stdout and
// stderr into data_dir/runner_console.log, where a failed check is written), then waits until
// the runner supervises both children with heartbeats "ok", at most kReadyBound.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <iostream>
#include <thread>

#include "common/cli.h"
#include "common/text_file.h"
#include "runner/render.h"
#include "runner/verbs.h"

namespace zm::runner {
namespace {

constexpr auto kReadyBound = std::chrono::seconds(60);

bool SuiteReady(const nlohmann::json& status) {
  if (!status["runner"].value("running", false)) return false;
  for (const char* name : {kSubscriber, kMonitor}) {
    if (status["processes"][name].value("health", "") != "ok") return false;
  }
  return true;
}

std::string Tail(const fs::path& path, size_t bytes) {
  const std::string text = ReadTextFile(path).value_or("");
  return text.size() > bytes ? "..." + text.substr(text.size() - bytes) : text;
}

}  // namespace

int RunStartDetached(const Config& config) {
  std::error_code ec;
  fs::create_directories(config.data_dir, ec);
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) {
    std::cerr << "zerodha_runner: cannot find its own executable: " << ec.message() << "\n";
    return kExitRuntime;
  }
  const fs::path console = config.data_dir / "runner_console.log";
  // Everything the child needs is built before fork: it only calls async-signal-safe functions.
  const std::string exe = self.string(), config_path = config.config_path.string(),
                    console_path = console.string();
  const pid_t pid = ::fork();
  if (pid < 0) {
    std::cerr << "zerodha_runner: fork failed\n";
    return kExitRuntime;
  }
  if (pid == 0) {
    ::setsid();
    const int in = ::open("/dev/null", O_RDONLY);
    const int out = ::open(console_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in >= 0) ::dup2(in, 0);
    if (out >= 0) {
      ::dup2(out, 1);
      ::dup2(out, 2);
    }
    ::execl(exe.c_str(), "zerodha_runner", "--config", config_path.c_str(), "start",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + kReadyBound;
  while (std::chrono::steady_clock::now() < deadline) {
    int st = 0;
    if (::waitpid(pid, &st, WNOHANG) == pid) {
      std::cerr << "zerodha_runner: the suite did not start (runner exited "
                << (WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st)) << "); its output ("
                << console_path << "):\n"
                << Tail(console, 2000) << "\n";
      return kExitRuntime;
    }
    const nlohmann::json status = BuildStatusJson(CollectStatusInputs(config));
    if (SuiteReady(status)) {
      std::cout << "zerodha-mtm is running in the background (runner pid " << pid << ").\n";
      // The detached runner's stdout is a file: the dashboard's URL is printed here instead.
      if (status["dashboard"].is_object() && status["dashboard"].contains("url")) {
        std::cout << "  dashboard: " << status["dashboard"]["url"].get<std::string>() << "\n";
      }
      std::cout << "  status: zerodha_runner --config " << config_path << " status\n"
                << "  logs:   zerodha_runner --config " << config_path << " logs -f   (in "
                << config.data_dir.string() << ")\n"
                << "  stop:   zerodha_runner --config " << config_path << " stop\n";
      return kExitOk;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  std::cerr << "zerodha_runner: the suite is not healthy after "
            << std::chrono::duration_cast<std::chrono::seconds>(kReadyBound).count()
            << " s; it keeps running in the background (runner pid " << pid
            << "): see `zerodha_runner status` and " << console_path << "\n";
  return kExitRuntime;
}

}  // namespace zm::runner
