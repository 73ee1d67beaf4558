// Small POSIX adapters of the runner: atomic file writes, the single-instance lock, pid files,
// process liveness and the runner's own folder. Errors are returned as Status, never thrown.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>

#include "common/status.h"
#include "common/text_file.h"

namespace zm::runner {

namespace fs = std::filesystem;

// Writes `content` to a new file under a random name next to `path` (O_EXCL | O_NOFOLLOW: no
// planted file or symlink is ever written through), sets `mode` exactly, fsyncs, renames over
// `path` and fsyncs the folder. Readers see either the old or the new content, never a torn
// file; after OK the new content survives a power cut. A symlink at `path` is replaced, not
// followed. On error no temporary file is left behind.
Status WriteFileAtomically(const fs::path& path, const std::string& content, mode_t mode = 0644);

// An exclusive flock() on `path` held for the object's lifetime (released by the kernel even
// when the process is killed). The holder's pid is written into the lock file. Not copyable.
class InstanceLock {
 public:
  // Fails with kIoError naming the holder's pid when another process holds the lock.
  static Result<std::unique_ptr<InstanceLock>> Acquire(const fs::path& path);
  ~InstanceLock();
  InstanceLock(const InstanceLock&) = delete;
  InstanceLock& operator=(const InstanceLock&) = delete;

 private:
  explicit InstanceLock(int fd) : fd_(fd) {}
  int fd_;
};

// True when some process currently holds the lock on `path` (probes with a non-blocking flock).
bool IsLockHeld(const fs::path& path);

// The pid recorded in a pid file; nullopt when absent or malformed.
std::optional<pid_t> ReadPidFile(const fs::path& path);

// kill(pid, 0) succeeds and the process is not a zombie.
bool ProcessAlive(pid_t pid);

// True when /proc/<pid>/cmdline's first word ends with `name` (guards against recycled pids).
bool ProcessLooksLike(pid_t pid, const std::string& name);

// The folder of the running executable (/proc/self/exe).
fs::path SelfExeDir();

}  // namespace zm::runner
