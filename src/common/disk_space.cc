#include "common/disk_space.h"

#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>

namespace zm {

Result<uint64_t> AvailableBytes(const std::filesystem::path& dir) {
  struct statvfs vfs {};
  if (::statvfs(dir.c_str(), &vfs) != 0) {
    return IoError("statvfs " + dir.string() + ": " + std::strerror(errno));
  }
  return static_cast<uint64_t>(vfs.f_bavail) * static_cast<uint64_t>(vfs.f_frsize);
}

FreeSpaceVerdict EvaluateFreeSpace(uint64_t available_bytes, double min_free_mb) {
  FreeSpaceVerdict v;
  v.free_mb = static_cast<double>(available_bytes) / (1024.0 * 1024.0);
  v.low = v.free_mb < min_free_mb;
  v.text = std::to_string(static_cast<long long>(v.free_mb)) + " MB free (minimum " +
           std::to_string(static_cast<long long>(min_free_mb)) + " MB)";
  return v;
}

}  // namespace zm
