#include "common/token_watch.h"

#include "common/text_file.h"

namespace zm {
Result<std::optional<Secret>> TokenFileWatch::Poll() {
  std::error_code ec;
  const auto mtime = std::filesystem::last_write_time(path_, ec);
  if (ec) return IoError("access token file " + path_.string() + ": " + ec.message());
  const uintmax_t size = std::filesystem::file_size(path_, ec);
  if (ec) return IoError("access token file " + path_.string() + ": " + ec.message());
  // Same stat as last time: nothing to read. (Content is compared anyway when the stat moved,
  // because a rewrite with the same token must not cause a reconnect.)
  if (stat_known_ && mtime == last_mtime_ && size == last_size_) return std::optional<Secret>();
  const std::optional<std::string> content = ReadTextFile(path_);
  if (!content) return IoError("access token file " + path_.string() + " cannot be read");
  const std::string token(TrimSpace(*content));
  if (token.empty()) return IoError("access token file " + path_.string() + " is empty");
  last_mtime_ = mtime;
  last_size_ = size;
  stat_known_ = true;
  if (token == current_.reveal()) return std::optional<Secret>();
  current_ = RegisteredSecret(token);
  return std::optional<Secret>(current_);
}

}  // namespace zm
