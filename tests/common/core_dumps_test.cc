// DisableCoreDumps (in a forked child, so the test process keeps its own settings) and the log
// files' close-on-exec flag.
#include "common/core_dumps.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "common/logging.h"

namespace zm {
namespace {

namespace fs = std::filesystem;

TEST(CoreDumpsTest, LimitIsZeroAndProcessIsNotDumpable) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const bool ok = DisableCoreDumps().ok();
    rlimit limit{};
    ::getrlimit(RLIMIT_CORE, &limit);
    const bool zero = limit.rlim_cur == 0 && limit.rlim_max == 0;
    const bool not_dumpable = ::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0;
    ::_exit(ok && zero && not_dumpable ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

// The descriptor open on `file`, or -1.
int FindDescriptor(const fs::path& file) {
  for (const auto& entry : fs::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    if (fs::read_symlink(entry.path(), ec) == file) return std::stoi(entry.path().filename());
  }
  return -1;
}

TEST(CoreDumpsTest, LogFilesAreCloseOnExec) {
  const fs::path dir = fs::temp_directory_path() / ("zm_cloexec_" + std::to_string(::getpid()));
  LogOptions options;
  options.process_name = "cloexec";
  options.file = dir / "cloexec.log";
  options.console = false;
  options.max_file_bytes = 1024;  // rotates below: the re-opened file must be close-on-exec too
  ASSERT_TRUE(InitLogging(options).ok());
  for (int i = 0; i < 40; ++i) spdlog::info("line {} {}", i, std::string(60, 'x'));
  spdlog::default_logger()->flush();
  const int fd = FindDescriptor(fs::canonical(options.file));
  ASSERT_GE(fd, 0);
  EXPECT_TRUE(::fcntl(fd, F_GETFD) & FD_CLOEXEC);
  EXPECT_TRUE(fs::exists(dir / "cloexec.1.log")) << "the log did not rotate";
  spdlog::set_default_logger(spdlog::stderr_color_mt("restore_cloexec"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace zm
