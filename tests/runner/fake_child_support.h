// Shared by the tests that run the Supervisor in process with the stand-in child (fake_child):
// the child's spec and a bounded run of the io_context until a condition holds.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

#include "runner/supervisor.h"

namespace zm::runner {

// fake_child (built next to the tests) playing `name`, writing into `data_dir`.
inline ChildSpec FakeChildSpec(const std::string& name, const std::filesystem::path& data_dir) {
  return ChildSpec{name,
                   std::filesystem::path(ZM_BIN_DIR).parent_path() / "tests" / "fake_child",
                   {"--name", name, "--data-dir", data_dir.string()},
                   {"ZM_SUPERVISED=1"}};
}

// Runs `io` until `pred` holds; false after `timeout`.
inline bool RunIoUntil(boost::asio::io_context& io, const std::function<bool()>& pred,
                       std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    io.run_for(std::chrono::milliseconds(20));
    if (io.stopped()) io.restart();
  }
  return true;
}

}  // namespace zm::runner
