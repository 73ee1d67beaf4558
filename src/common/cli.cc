#include "common/cli.h"

#include <iostream>

namespace zm {

Result<CommonArgs> ParseCommonArgs(int argc, char** argv) {
  CommonArgs args;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--config" || arg == "-c") {
      if (i + 1 >= argc) return InvalidArgument(arg + " needs a path");
      args.config_path = argv[++i];
    } else if (arg.rfind("--config=", 0) == 0) {
      args.config_path = arg.substr(9);
    } else if (arg == "--help" || arg == "-h") {
      args.help = true;
    } else {
      args.rest.push_back(arg);
    }
  }
  return args;
}

std::optional<Config> LoadConfigOrReport(const std::filesystem::path& path) {
  auto loaded = LoadConfig(path);
  if (!loaded.ok()) {
    std::cerr << "config error: " << loaded.status().message() << "\n";
    return std::nullopt;
  }
  for (const auto& warning : loaded->warnings) std::cerr << "config warning: " << warning << "\n";
  return std::move(loaded->config);
}

}  // namespace zm
