#include "common/console.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace zm {
namespace {

// Errors after which nobody will ever read this console again.
bool ConsoleGone(int err) {
  return err == EPIPE || err == ECONNRESET || err == ENOTCONN || err == EBADF;
}

std::string DroppedNotice(uint64_t lines) {
  return "[console: " + std::to_string(lines) + " line(s) dropped while the output was not read]\n";
}

}  // namespace

ConsoleWriter::ConsoleWriter(int fd) : fd_(fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    gone_ = true;  // no console at all (closed fd): nothing to write, nothing to report
    return;
  }
  if (S_ISSOCK(st.st_mode)) {
    mode_ = Mode::kSocket;
  } else if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) {
    // A private open file description: O_NONBLOCK on it affects nobody else.
    const std::string path = "/proc/self/fd/" + std::to_string(fd);
    const int own = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (own >= 0) {
      fd_ = own;
      own_fd_ = true;
      mode_ = Mode::kNonBlocking;
    } else {
      mode_ = Mode::kPoll;
    }
  }
}

ConsoleWriter::~ConsoleWriter() {
  if (own_fd_) ::close(fd_);
}

long ConsoleWriter::WriteSome(const char* data, size_t size) {
  for (;;) {
    ssize_t n = 0;
    if (mode_ == Mode::kSocket) {
      n = ::send(fd_, data, size, MSG_DONTWAIT | MSG_NOSIGNAL);
    } else if (mode_ == Mode::kPoll) {
      pollfd p{fd_, POLLOUT, 0};
      const int ready = ::poll(&p, 1, 0);
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) return 0;
      if (p.revents & (POLLERR | POLLNVAL)) return -1;
      // A pipe that polls writable has room for PIPE_BUF bytes: this write cannot block.
      n = ::write(fd_, data, std::min<size_t>(size, PIPE_BUF));
    } else {
      n = ::write(fd_, data, size);
    }
    if (n >= 0) return n;
    if (errno == EINTR) continue;
    if (ConsoleGone(errno)) return -1;
    return 0;  // EAGAIN, or a transient error (ENOSPC on a file): this line is dropped
  }
}

size_t ConsoleWriter::WriteAvailable(const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    const long n = WriteSome(data.data() + done, data.size() - done);
    if (n < 0) {
      gone_ = true;
      break;
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return done;
}

bool ConsoleWriter::Drop() {
  ++unreported_;
  ++dropped_total_;
  return false;
}

bool ConsoleWriter::WriteLine(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  std::lock_guard<std::mutex> lock(mutex_);
  if (gone_) {
    ++dropped_total_;  // the reader is gone for good: no notice will ever be read
    return false;
  }
  if (!pending_.empty()) {
    pending_.erase(0, WriteAvailable(pending_));
    if (!pending_.empty() || gone_) return Drop();
  }
  std::string text = unreported_ > 0 ? DroppedNotice(unreported_) : std::string();
  if (line.size() > kMaxLine) {
    text.append(line.substr(0, kMaxLine)).append(" [cut]");
  } else {
    text.append(line);
  }
  text.push_back('\n');
  const size_t written = WriteAvailable(text);
  if (written == 0) return Drop();
  unreported_ = 0;
  pending_ = text.substr(written);
  return true;
}

uint64_t ConsoleWriter::dropped_total() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return dropped_total_;
}

const char* ConsoleWriter::mode_name() const {
  switch (mode_) {
    case Mode::kNonBlocking:
      return "nonblocking";
    case Mode::kSocket:
      return "socket";
    case Mode::kPoll:
      return "poll";
    case Mode::kDirect:
      break;
  }
  return "direct";
}

ConsoleWriter& StdoutConsole() {
  static ConsoleWriter* writer = new ConsoleWriter(STDOUT_FILENO);  // never destroyed
  return *writer;
}

ConsoleWriter& StderrConsole() {
  static ConsoleWriter* writer = new ConsoleWriter(STDERR_FILENO);  // never destroyed
  return *writer;
}

void ConsoleSink::sink_it_(const spdlog::details::log_msg& msg) {
  spdlog::memory_buf_t formatted;
  formatter_->format(msg, formatted);
  writer_.WriteLine(std::string_view(formatted.data(), formatted.size()));
}

ConsoleStreamBuf::int_type ConsoleStreamBuf::overflow(int_type ch) {
  if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
  const char c = traits_type::to_char_type(ch);
  Append(&c, 1);
  return ch;
}

std::streamsize ConsoleStreamBuf::xsputn(const char* s, std::streamsize n) {
  Append(s, static_cast<size_t>(n));
  return n;
}

void ConsoleStreamBuf::Append(const char* s, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (s[i] == '\n') {
      writer_.WriteLine(line_);
      line_.clear();
    } else if (line_.size() <= ConsoleWriter::kMaxLine) {
      line_.push_back(s[i]);
    }
  }
}

}  // namespace zm
