#include "common/core_dumps.h"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <iostream>

namespace zm {

Status DisableCoreDumps() {
  const rlimit no_core{0, 0};
  if (::setrlimit(RLIMIT_CORE, &no_core) != 0) {
    return InternalError(std::string("setrlimit(RLIMIT_CORE, 0): ") + std::strerror(errno));
  }
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
    return InternalError(std::string("prctl(PR_SET_DUMPABLE, 0): ") + std::strerror(errno));
  }
  return Status::Ok();
}

void DisableCoreDumpsOrWarn(const char* program) {
  const Status status = DisableCoreDumps();
  if (!status.ok()) {
    std::cerr << program << ": warning: core dumps may stay on: " << status.message() << "\n";
  }
}

}  // namespace zm
