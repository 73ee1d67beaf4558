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

// Loads the config. On error prints "config error: ..." to stderr and returns nullopt (the
// caller exits kExitUsage). Warnings go to stderr prefixed "config warning: ".
std::optional<Config> LoadConfigOrReport(const std::filesystem::path& path);

}  // namespace zm
