#include "runner/files.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <random>
#include <sstream>

#include "common/text_file.h"

namespace zm::runner {

namespace {

std::string RandomSuffix() {
  std::random_device random;
  std::ostringstream out;
  out << std::hex << random() << random();
  return out.str();
}

// A fresh file next to `path` that nobody else can have prepared: O_EXCL refuses an existing
// name (a planted file or symlink), O_NOFOLLOW refuses a symlink, the name is unpredictable.
Result<std::pair<int, fs::path>> CreateTempFile(const fs::path& path, mode_t mode) {
  for (int attempt = 0; attempt < 8; ++attempt) {
    const fs::path tmp =
        path.parent_path() / ("." + path.filename().string() + ".tmp." + RandomSuffix());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd >= 0) return std::make_pair(fd, tmp);
    if (errno != EEXIST) {
      return IoError("cannot create a temporary file in " + path.parent_path().string() + ": " +
                     std::strerror(errno));
    }
  }
  return IoError("cannot create a temporary file in " + path.parent_path().string());
}

bool WriteAll(int fd, const std::string& content) {
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// A rename is durable only once the folder's entry is on disk too.
bool SyncFolder(const fs::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

Status WriteFileAtomically(const fs::path& path, const std::string& content, mode_t mode) {
  const fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  auto created = CreateTempFile(folder / path.filename(), mode);
  if (!created.ok()) return created.status();
  const auto [fd, tmp] = *created;
  // open() honours the umask; fchmod makes the mode exact (0600 for the token file).
  bool ok = ::fchmod(fd, mode) == 0 && WriteAll(fd, content) && ::fsync(fd) == 0;
  const int saved_errno = errno;
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(ok ? errno : saved_errno);
    ::unlink(tmp.c_str());
    return IoError("cannot write " + path.string() + ": " + why);
  }
  if (!SyncFolder(folder)) return IoError("cannot sync folder " + folder.string());
  return Status::Ok();
}

Result<std::unique_ptr<InstanceLock>> InstanceLock::Acquire(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("cannot open " + path.string() + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd);
    if (err != EWOULDBLOCK)
      return IoError("cannot lock " + path.string() + ": " + std::strerror(err));
    auto holder = ReadPidFile(path);
    return IoError("another zerodha_runner is already running (pid " +
                   (holder ? std::to_string(*holder) : std::string("unknown")) + ", lock " +
                   path.string() + ")");
  }
  const std::string pid = std::to_string(getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    // The lock itself is what matters; the pid inside is informational.
  }
  return std::unique_ptr<InstanceLock>(new InstanceLock(fd));
}

InstanceLock::~InstanceLock() { ::close(fd_); }

bool IsLockHeld(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);
  return held;
}

std::optional<pid_t> ReadPidFile(const fs::path& path) {
  auto text = ReadTextFile(path);
  if (!text) return std::nullopt;
  char* end = nullptr;
  const long pid = std::strtol(text->c_str(), &end, 10);
  if (end == text->c_str() || pid <= 0) return std::nullopt;
  return static_cast<pid_t>(pid);
}

bool ProcessAlive(pid_t pid) {
  if (pid <= 0 || (::kill(pid, 0) != 0 && errno != EPERM)) return false;
  // A zombie still answers kill(0); its state letter in /proc/<pid>/stat is 'Z'.
  auto stat = ReadTextFile("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return true;
  const size_t paren = stat->rfind(')');
  return paren == std::string::npos || paren + 2 >= stat->size() || (*stat)[paren + 2] != 'Z';
}

bool ProcessLooksLike(pid_t pid, const std::string& name) {
  auto cmdline = ReadTextFile("/proc/" + std::to_string(pid) + "/cmdline");
  if (!cmdline || cmdline->empty()) return false;
  const std::string argv0 = cmdline->substr(0, cmdline->find('\0'));
  return argv0.size() >= name.size() &&
         argv0.compare(argv0.size() - name.size(), name.size(), name) == 0;
}

fs::path SelfExeDir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::current_path() : exe.parent_path();
}

}  // namespace zm::runner
