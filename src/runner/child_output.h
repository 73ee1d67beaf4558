// The children's console output, drained by the runner (issue #12: a console nobody reads must
// never freeze a child). Each child's stdout and stderr are pipes whose read ends the runner
// owns; DrainChildPipe() reads one on the runner's io_context (non-blocking, never waiting on
// anything but the pipe) and hands every line to a handler: the runner logs it to
// system_runner.log prefixed by the child's name and writes it, without blocking, to its own
// console (common/console.h).
// LineSplitter is pure. ChildPipe owns both ends until the child is started, then only the read
// end. Single-threaded (the runner's io_context thread).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace zm::runner {

enum class ChildStream { kStdout, kStderr };

// Splits a byte stream into lines (without '\n'; a trailing '\r' is kept). A line longer than
// `max_line` is emitted in pieces of `max_line` bytes so that memory stays bounded.
class LineSplitter {
 public:
  explicit LineSplitter(size_t max_line = 8192) : max_line_(max_line) {}
  std::vector<std::string> Feed(std::string_view bytes);
  // The unterminated rest (at end of stream); empty when none.
  std::string TakeRest();

 private:
  size_t max_line_;
  std::string partial_;
};

using ChildLineHandler =
    std::function<void(const std::string& child, ChildStream stream, std::string_view line)>;

// A pipe for one output stream of one child.
class ChildPipe {
 public:
  // pipe2(O_CLOEXEC); the read end is made non-blocking.
  static Result<std::unique_ptr<ChildPipe>> Create();
  ~ChildPipe();
  ChildPipe(const ChildPipe&) = delete;
  ChildPipe& operator=(const ChildPipe&) = delete;

  int write_fd() const { return write_fd_; }
  // After the fork: the child has its copy, the runner's write end must go (or EOF never comes).
  void CloseWriteEnd();
  // Hands the read end over (to DrainChildPipe); -1 afterwards.
  int ReleaseReadEnd();

 private:
  ChildPipe(int read_fd, int write_fd) : read_fd_(read_fd), write_fd_(write_fd) {}
  int read_fd_;
  int write_fd_;
};

// Reads `read_fd` (taken over and closed at the end) until end of file or error, calling
// `handler` for each line; the last unterminated piece is delivered too. `*open_count` is
// incremented while it runs (the supervisor waits for drains to finish before it returns).
boost::asio::awaitable<void> DrainChildPipe(int read_fd, std::string child, ChildStream stream,
                                            ChildLineHandler handler, int* open_count);

}  // namespace zm::runner
