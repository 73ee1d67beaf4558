// Console output that never blocks the process.
//
// A console nobody reads (a pipe to a stalled reader, a stuck terminal, a full container log)
// must not freeze a process inside its event loop: that is how the guard once stopped guarding.
// ConsoleWriter writes whole lines to stdout or stderr without ever waiting:
//   - pipes and terminals are reopened through /proc/self/fd/N as a private, non-blocking file
//     description (setting O_NONBLOCK on the inherited one would change it for the shell and
//     every other process sharing it);
//   - sockets (systemd's journal stream) are written with send(MSG_DONTWAIT);
//   - regular files and /dev/null are written directly (they never block);
//   - when reopening fails, a pipe or terminal is written only after poll() says it has room,
//     at most PIPE_BUF bytes at a time.
// A line that does not fit is dropped and counted; once the console accepts output again, the
// next line is preceded by one notice saying how many lines were lost. A partially written line
// is completed before anything else is written, so lines are never interleaved or torn.
// After EPIPE (the reader is gone for good) every later line is dropped silently.
//
// StdoutConsole() / StderrConsole() are the process-wide writers (created on first use, never
// destroyed, so that logging during exit is safe). ConsoleSink is the spdlog sink every process
// uses for its console; ConsoleStreamBuf turns a writer into a std::ostream (the monitor's one
// line per cycle).
// Thread-safety: ConsoleWriter and ConsoleSink are thread-safe; a ConsoleStreamBuf is used by
// one thread at a time (like any std::ostream).
#pragma once

#include <spdlog/sinks/base_sink.h>

#include <cstdint>
#include <mutex>
#include <streambuf>
#include <string>
#include <string_view>

namespace zm {

class ConsoleWriter {
 public:
  // `fd` is borrowed (never closed); a private non-blocking copy may be opened from it.
  explicit ConsoleWriter(int fd);
  ~ConsoleWriter();
  ConsoleWriter(const ConsoleWriter&) = delete;
  ConsoleWriter& operator=(const ConsoleWriter&) = delete;

  // Writes `line` plus '\n' (a trailing '\n' in `line` is not doubled). Never blocks. True when
  // the line was written (or its tail is pending behind a partial write); false when dropped.
  bool WriteLine(std::string_view line);

  // Lines dropped since the writer was created.
  uint64_t dropped_total() const;
  // "nonblocking" | "socket" | "direct" | "poll": how this console is written (tests, status).
  const char* mode_name() const;

  // Lines longer than this are cut (with a marker) so that a pending tail stays small.
  static constexpr size_t kMaxLine = 16 * 1024;

 private:
  enum class Mode { kDirect, kNonBlocking, kSocket, kPoll };
  // Bytes written now (0 when the console has no room); -1 when the console is gone.
  long WriteSome(const char* data, size_t size);
  // Writes as much of `data` as fits now; the number of bytes written (sets gone_ on EPIPE).
  size_t WriteAvailable(const std::string& data);
  bool Drop();  // counts one dropped line; returns false

  mutable std::mutex mutex_;
  int fd_ = -1;
  bool own_fd_ = false;
  Mode mode_ = Mode::kDirect;
  bool gone_ = false;
  std::string pending_;      // tail of a partially written line: written first
  uint64_t unreported_ = 0;  // dropped since the last notice
  uint64_t dropped_total_ = 0;
};

ConsoleWriter& StdoutConsole();
ConsoleWriter& StderrConsole();

// spdlog sink: formats each message with the sink's formatter and writes it through a
// ConsoleWriter (never blocking).
class ConsoleSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit ConsoleSink(ConsoleWriter& writer) : writer_(writer) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override;
  void flush_() override {}

 private:
  ConsoleWriter& writer_;
};

// std::streambuf that hands every complete line to a ConsoleWriter (a partial line waits for
// its '\n'; flushes never block). Use: ConsoleStreamBuf buf(StdoutConsole()); std::ostream o(&buf).
class ConsoleStreamBuf final : public std::streambuf {
 public:
  explicit ConsoleStreamBuf(ConsoleWriter& writer) : writer_(writer) {}

 protected:
  int_type overflow(int_type ch) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;

 private:
  void Append(const char* s, size_t n);
  ConsoleWriter& writer_;
  std::string line_;
};

}  // namespace zm
