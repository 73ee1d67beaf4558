// Free space where the databases live (issue #12): a full disk must never turn the guard off
// silently. `check` FAILs and the monitor raises a critical alert (checked every minute) when
// paths.data_dir has less than system_monitoring.min_free_mb available.
// EvaluateFreeSpace is pure; AvailableBytes is the one statvfs adapter. Thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "common/status.h"

namespace zm {

// Bytes an unprivileged process can still write on the filesystem of `dir` (statvfs f_bavail).
Result<uint64_t> AvailableBytes(const std::filesystem::path& dir);

struct FreeSpaceVerdict {
  bool low = false;    // below the minimum
  double free_mb = 0;  // available, in MiB
  std::string text;    // "153 MB free (minimum 200 MB)"
};

// `available_bytes` below `min_free_mb` MiB is low; exactly at the minimum is not.
FreeSpaceVerdict EvaluateFreeSpace(uint64_t available_bytes, double min_free_mb);

}  // namespace zm
