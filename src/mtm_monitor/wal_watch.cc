#include "mtm_monitor/wal_watch.h"

#include <spdlog/spdlog.h>
#include <sys/inotify.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstring>

namespace zm::monitor {

namespace asio = boost::asio;

namespace {
struct Events {
  bool modified = false;
  bool ended = false;  // the watch is gone (file deleted or replaced)
};
// Outside the coroutine: inotify_event (a flexible array member) cannot live in a frame.
Events ParseEvents(const char* data, size_t n) {
  Events out;
  for (size_t at = 0; at + sizeof(inotify_event) <= n;) {
    inotify_event event;
    std::memcpy(&event, data + at, sizeof(event));
    if (event.mask & IN_MODIFY) out.modified = true;
    if (event.mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) out.ended = true;
    at += sizeof(inotify_event) + event.len;
  }
  return out;
}
}  // namespace

WalWatch::WalWatch(asio::any_io_executor executor) : inotify_(executor) {
  const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    spdlog::warn("inotify unavailable ({}): new prices are polled for", std::strerror(errno));
    return;
  }
  inotify_.assign(fd);
}

WalWatch::~WalWatch() {
  boost::system::error_code ignored;
  inotify_.close(ignored);
}

bool WalWatch::Arm(const std::filesystem::path& db_path) {
  if (!inotify_.is_open()) return false;
  const std::string wal = db_path.string() + "-wal";
  watch_ = ::inotify_add_watch(inotify_.native_handle(), wal.c_str(),
                               IN_MODIFY | IN_DELETE_SELF | IN_MOVE_SELF);
  return watch_ >= 0;
}

asio::awaitable<bool> WalWatch::Wait() {
  if (!armed()) co_return false;
  // Room for many events: one read drains every write since the last wait.
  std::array<char, 4096> buffer;
  auto [ec, n] =
      co_await inotify_.async_read_some(asio::buffer(buffer), asio::as_tuple(asio::use_awaitable));
  if (ec) co_return false;  // cancelled, or the descriptor failed
  const Events events = ParseEvents(buffer.data(), n);
  if (events.ended && watch_ >= 0) {
    ::inotify_rm_watch(inotify_.native_handle(), watch_);
    watch_ = -1;  // the caller polls and re-arms
  }
  co_return events.modified;
}

void WalWatch::Cancel() {
  boost::system::error_code ignored;
  inotify_.cancel(ignored);
}

}  // namespace zm::monitor
