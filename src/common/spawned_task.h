// Completion handlers for co_spawn'ed tasks. An exception that escapes a task would be rethrown
// from io_context::run() and end the process's event loop, so every co_spawn gets a handler
// that logs it instead (at critical: an escaped exception is a bug). Header-only; spdlog, so
// only for code that links zm_common.
#pragma once

#include <spdlog/spdlog.h>

#include <exception>
#include <string>

namespace zm {

// The message of the exception a task ended with: "" for none, "unknown exception" for one
// that is not a std::exception.
inline std::string ExceptionText(std::exception_ptr error) {
  if (!error) return "";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

// co_spawn(executor, Task(), LogIfThrown("heartbeat")) logs "heartbeat task failed: <message>".
// `what` must be a string literal: the handler keeps the pointer.
inline auto LogIfThrown(const char* what) {
  return [what](std::exception_ptr error) {
    if (error) spdlog::critical("{} task failed: {}", what, ExceptionText(error));
  };
}

}  // namespace zm
