// zerodha_runner: placeholder until its issue lands; answers --help and validates the config.
#include <iostream>

#include "common/cli.h"

int main(int argc, char** argv) {
  auto args = zm::ParseCommonArgs(argc, argv);
  if (!args.ok()) {
    std::cerr << "zerodha_runner: " << args.status().message() << "\n";
    return zm::kExitUsage;
  }
  if (args->help) {
    std::cout << "usage: zerodha_runner [--config PATH]\n";
    return zm::kExitOk;
  }
  auto config = zm::LoadConfigOrReport(args->config_path);
  if (!config) return zm::kExitUsage;
  std::cerr << "zerodha_runner: not implemented yet\n";
  return zm::kExitRuntime;
}
