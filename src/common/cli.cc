#include "common/cli.h"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <iostream>

#include "common/logging.h"

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

std::optional<Config> LoadConfigOrReport(const std::filesystem::path& path, ApiSecretUse secret) {
  auto loaded = LoadConfig(path);
  if (!loaded.ok()) {
    std::cerr << "config error: " << loaded.status().message() << "\n";
    return std::nullopt;
  }
  for (const auto& warning : loaded->warnings) std::cerr << "config warning: " << warning << "\n";
  if (secret == ApiSecretUse::kDrop) loaded->config.zerodha.api_secret = Secret();
  // Info lines once, from the process a person started (not again from each supervised child).
  const char* supervised = std::getenv("ZM_SUPERVISED");
  if (supervised == nullptr || std::string(supervised) != "1") {
    for (const auto& note : loaded->notes) std::cerr << "config info: " << note << "\n";
  }
  return std::move(loaded->config);
}

void InitProcessLogging(const Config& config, const std::string& process_name,
                        const std::string& console_level) {
  const char* supervised = std::getenv("ZM_SUPERVISED");
  LogOptions options;
  options.process_name = process_name;
  options.file = config.data_dir / (process_name + ".log");
  options.level = config.log_level;
  options.console_level = console_level;
  if (options.console_level.empty() && supervised && std::string(supervised) == "1") {
    options.console_level = "warn";
  }
  const Status status = InitLogging(options);
  if (!status.ok()) spdlog::warn("{}", status.ToString());
}

}  // namespace zm
