// kite_sim: placeholder until its issue lands; answers --help and validates the config.
#include <iostream>

#include "common/cli.h"

int main(int argc, char** argv) {
  auto args = zm::ParseCommonArgs(argc, argv);
  if (!args.ok()) {
    std::cerr << "kite_sim: " << args.status().message() << "\n";
    return zm::kExitUsage;
  }
  if (args->help) {
    std::cout << "usage: kite_sim [--config PATH]\n";
    return zm::kExitOk;
  }
  auto config = zm::LoadConfigOrReport(args->config_path);
  if (!config) return zm::kExitUsage;
  std::cerr << "kite_sim: not implemented yet\n";
  return zm::kExitRuntime;
}
