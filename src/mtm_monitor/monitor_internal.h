// Helpers shared by monitor.cc and monitor_io.cc (not part of the monitor's interface).
#pragma once

#include <spdlog/spdlog.h>

#include <exception>

namespace zm::monitor {

// Completion handler for co_spawn'ed background tasks: an exception never escapes to
// io_context::run(); it is logged as critical (it would mean a bug).
// `what` must be a string literal (static storage: no temporaries in coroutine frames).
inline auto LogIfThrown(const char* what) {
  return [what](std::exception_ptr error) {
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      spdlog::critical("{} task failed: {}", what, e.what());
    } catch (...) {
      spdlog::critical("{} task failed", what);
    }
  };
}

}  // namespace zm::monitor
