// Command-line helpers shared by every binary: --config PATH (default ./config.yaml), --help,
// and loading the config with warnings printed and errors mapped to exit code 2.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/config.h"

namespace zm {

struct CommonArgs {
  std::filesystem::path config_path = "config.yaml";
  bool help = false;
  std::vector<std::string> rest;  // everything else, in order
};

// Accepts "--config PATH", "--config=PATH", "-c PATH", "--help", "-h". Missing value: error.
Result<CommonArgs> ParseCommonArgs(int argc, char** argv);

// Whether the loaded Config keeps zerodha.api_secret. Only the `login` verb (and `check`, which
// reports on it) keeps it; the daemons drop it (wiped) right after loading.
enum class ApiSecretUse { kDrop, kKeep };

// Loads the config. On error prints "config error: ..." to stderr and returns nullopt (the
// caller exits kExitUsage). Warnings go to stderr prefixed "config warning: ".
std::optional<Config> LoadConfigOrReport(const std::filesystem::path& path,
                                         ApiSecretUse secret = ApiSecretUse::kDrop);

// Logging for a long-running process: data_dir/<process_name>.log at logging.level plus the
// console. The console threshold is `console_level` when given; otherwise "warn" when the
// environment has ZM_SUPERVISED=1 (started by the runner), else logging.level. Registers
// api_secret for redaction. An unwritable log file is reported on the console, not fatal.
void InitProcessLogging(const Config& config, const std::string& process_name,
                        const std::string& console_level = "");

}  // namespace zm
