// Small text files (config, token files, scenario files, /proc entries): read whole, trimmed.
// Plain functions, no state: safe from any thread.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace zm {

// The whole content of `path`, or nullopt when it does not exist or cannot be read. For files
// of a few KB to a few MB: the content is held in memory.
std::optional<std::string> ReadTextFile(const std::filesystem::path& path);

// `text` without leading and trailing whitespace (space, tab, CR, LF, VT, FF).
std::string_view TrimSpace(std::string_view text);

}  // namespace zm
