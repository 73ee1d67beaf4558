#include "runner/child_output.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <cstring>

namespace zm::runner {

namespace asio = boost::asio;

std::vector<std::string> LineSplitter::Feed(std::string_view bytes) {
  std::vector<std::string> lines;
  for (const char c : bytes) {
    if (c == '\n') {
      lines.push_back(std::move(partial_));
      partial_.clear();
      continue;
    }
    partial_.push_back(c);
    if (partial_.size() >= max_line_) {
      lines.push_back(std::move(partial_));
      partial_.clear();
    }
  }
  return lines;
}

std::string LineSplitter::TakeRest() {
  std::string rest = std::move(partial_);
  partial_.clear();
  return rest;
}

Result<std::unique_ptr<ChildPipe>> ChildPipe::Create() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return IoError(std::string("pipe2 for a child's output: ") + std::strerror(errno));
  }
  const int flags = ::fcntl(fds[0], F_GETFL);
  ::fcntl(fds[0], F_SETFL, flags | O_NONBLOCK);
  return std::unique_ptr<ChildPipe>(new ChildPipe(fds[0], fds[1]));
}

ChildPipe::~ChildPipe() {
  if (read_fd_ >= 0) ::close(read_fd_);
  CloseWriteEnd();
}

void ChildPipe::CloseWriteEnd() {
  if (write_fd_ >= 0) ::close(write_fd_);
  write_fd_ = -1;
}

int ChildPipe::ReleaseReadEnd() {
  const int fd = read_fd_;
  read_fd_ = -1;
  return fd;
}

asio::awaitable<void> DrainChildPipe(int read_fd, std::string child, ChildStream stream,
                                     ChildLineHandler handler, int* open_count) {
  ++*open_count;
  asio::posix::stream_descriptor pipe(co_await asio::this_coro::executor, read_fd);
  LineSplitter splitter;
  std::array<char, 4096> buffer;
  for (;;) {
    auto [ec, n] =
        co_await pipe.async_read_some(asio::buffer(buffer), asio::as_tuple(asio::use_awaitable));
    for (const std::string& line : splitter.Feed(std::string_view(buffer.data(), n))) {
      handler(child, stream, line);
    }
    if (ec) break;  // end of file (the child and every copy of the write end are gone) or error
  }
  const std::string rest = splitter.TakeRest();
  if (!rest.empty()) handler(child, stream, rest);
  --*open_count;
}

}  // namespace zm::runner
