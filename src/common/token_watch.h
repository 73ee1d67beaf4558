// TokenFileWatch: notices when the access token file changes (the daily login rewrites it), so
// the subscriber can reconnect with the new token without a restart.
//
// Poll() compares the file's modification time, size and content with what it saw last; a
// change to a non-empty, readable token is reported once. A missing or empty file is reported as
// an error, not as a change (the current token stays in use). Not thread-safe; call from the
// io_context thread. Filesystem I/O only (a few bytes), no sockets.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "common/secret.h"
#include "common/status.h"

namespace zm {

class TokenFileWatch {
 public:
  // `initial` is the token in use now (read at start).
  TokenFileWatch(std::filesystem::path path, Secret initial)
      : path_(std::move(path)), current_(std::move(initial)) {}

  // A new token when the file now holds a different one; nullopt when unchanged; an error
  // (naming the path, never the content) when it cannot be read or is empty.
  Result<std::optional<Secret>> Poll();

 private:
  std::filesystem::path path_;
  Secret current_;
  std::filesystem::file_time_type last_mtime_{};
  uintmax_t last_size_ = 0;
  bool stat_known_ = false;
};

}  // namespace zm
