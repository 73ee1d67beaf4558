// ConsoleWriter / ConsoleSink / ConsoleStreamBuf against consoles nobody reads: a 4 KiB pipe
// that fills at once, a socket, a closed pipe. Nothing here may block: every write is bounded
// by running it on a thread with a deadline (a blocked write would fail the test, not hang it).
#include "common/console.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <functional>
#include <future>
#include <set>
#include <sstream>
#include <string>

namespace zm {
namespace {

using std::chrono::seconds;

struct Pipe {
  int read_fd = -1, write_fd = -1;
  Pipe() {
    int fds[2];
    EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    read_fd = fds[0];
    write_fd = fds[1];
    EXPECT_GT(::fcntl(write_fd, F_SETPIPE_SZ, 4096), 0);  // fills after a few lines
    ::fcntl(read_fd, F_SETFL, ::fcntl(read_fd, F_GETFL) | O_NONBLOCK);
  }
  ~Pipe() {
    if (read_fd >= 0) ::close(read_fd);
    if (write_fd >= 0) ::close(write_fd);
  }
  std::string Drain() {
    std::string out;
    char buf[4096];
    for (;;) {
      const ssize_t n = ::read(read_fd, buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }
};

// Runs `work` on a thread; false when it did not finish within 20 s (it blocked).
bool FinishesInTime(const std::function<void()>& work, const std::function<void()>& unblock) {
  auto done = std::async(std::launch::async, work);
  if (done.wait_for(seconds(20)) == std::future_status::ready) return true;
  unblock();  // let the blocked thread go so that the test can end
  done.wait();
  return false;
}

std::string LineOf(int i) { return "line " + std::to_string(i) + " " + std::string(60, 'x'); }

TEST(ConsoleWriterTest, AFullPipeDropsAndCountsThenSaysSo) {
  Pipe pipe;
  ConsoleWriter writer(pipe.write_fd);
  EXPECT_STREQ(writer.mode_name(), "nonblocking");
  int written = 0;
  ASSERT_TRUE(FinishesInTime(
      [&] {
        for (int i = 0; i < 2000; ++i) written += writer.WriteLine(LineOf(i)) ? 1 : 0;
      },
      [&] { pipe.Drain(); }))
      << "a write blocked on a full pipe";
  EXPECT_GT(written, 10);
  EXPECT_EQ(writer.dropped_total(), static_cast<uint64_t>(2000 - written));
  // What reached the pipe is whole lines, in order, none torn.
  std::istringstream got(pipe.Drain());
  std::string line;
  int count = 0, last = -1;
  while (std::getline(got, line)) {
    ASSERT_EQ(line.rfind("line ", 0), 0u) << line;
    const int n = std::stoi(line.substr(5));
    EXPECT_EQ(line, LineOf(n));
    EXPECT_GT(n, last);
    last = n;
    ++count;
  }
  EXPECT_EQ(count, written);
  // The pipe drained: the next line is preceded by one notice with the count.
  ASSERT_TRUE(writer.WriteLine("after"));
  const std::string after = pipe.Drain();
  EXPECT_EQ(after, "[console: " + std::to_string(2000 - written) +
                       " line(s) dropped while the output was not read]\nafter\n");
  ASSERT_TRUE(writer.WriteLine("again"));
  EXPECT_EQ(pipe.Drain(), "again\n");
}

TEST(ConsoleWriterTest, TheInheritedDescriptionStaysBlocking) {
  Pipe pipe;
  ConsoleWriter writer(pipe.write_fd);
  EXPECT_EQ(::fcntl(pipe.write_fd, F_GETFL) & O_NONBLOCK, 0);  // the shell's view is unchanged
}

TEST(ConsoleWriterTest, ALongLineIsWrittenWholeOrNotAtAll) {
  Pipe pipe;
  ConsoleWriter writer(pipe.write_fd);
  const std::string big(10000, 'b');  // more than the pipe holds: a tail stays pending
  ASSERT_TRUE(FinishesInTime([&] { EXPECT_TRUE(writer.WriteLine(big)); }, [&] { pipe.Drain(); }));
  EXPECT_FALSE(writer.WriteLine("dropped: the tail is still pending"));
  std::string got;
  for (int i = 0; i < 10 && got.find("next\n") == std::string::npos; ++i) {
    got += pipe.Drain();
    writer.WriteLine("next");  // dropped until the tail is out, then written after a notice
  }
  got += pipe.Drain();
  EXPECT_EQ(got.substr(0, 10001), big + "\n");
  EXPECT_NE(got.find("line(s) dropped while the output was not read]\nnext\n"), std::string::npos)
      << got.substr(10001);
}

TEST(ConsoleWriterTest, AGoneReaderNeitherKillsNorBlocks) {
  std::signal(SIGPIPE, SIG_IGN);  // what InitLogging does in every process
  Pipe pipe;
  ConsoleWriter writer(pipe.write_fd);
  ::close(pipe.read_fd);
  pipe.read_fd = -1;
  EXPECT_FALSE(writer.WriteLine("nobody reads this"));
  EXPECT_FALSE(writer.WriteLine("nor this"));
  EXPECT_EQ(writer.dropped_total(), 2u);
}

TEST(ConsoleWriterTest, ASocketConsoleIsWrittenWithoutWaiting) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  int small = 4096;
  ::setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  ConsoleWriter writer(fds[0]);
  EXPECT_STREQ(writer.mode_name(), "socket");
  ASSERT_TRUE(FinishesInTime(
      [&] {
        for (int i = 0; i < 20000; ++i) writer.WriteLine(LineOf(i));
      },
      [&] { ::shutdown(fds[1], SHUT_RDWR); }));
  EXPECT_GT(writer.dropped_total(), 0u);
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(ConsoleWriterTest, ARegularFileIsWrittenDirectly) {
  char path[] = "/tmp/console_test_XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  {
    ConsoleWriter writer(fd);
    EXPECT_STREQ(writer.mode_name(), "direct");
    EXPECT_TRUE(writer.WriteLine("one"));
    EXPECT_TRUE(writer.WriteLine("two\n"));
  }
  char buf[64] = {};
  EXPECT_EQ(::pread(fd, buf, sizeof buf - 1, 0), 8);
  EXPECT_STREQ(buf, "one\ntwo\n");
  ::close(fd);
  ::unlink(path);
}

TEST(ConsoleSinkTest, SpdlogThroughAFullPipeNeverBlocks) {
  Pipe pipe;
  ConsoleWriter writer(pipe.write_fd);
  auto sink = std::make_shared<ConsoleSink>(writer);
  sink->set_pattern("[%l] %v");
  spdlog::logger logger("console_test", sink);
  ASSERT_TRUE(FinishesInTime(
      [&] {
        for (int i = 0; i < 2000; ++i) logger.warn("warning {}", i);
      },
      [&] { pipe.Drain(); }));
  EXPECT_GT(writer.dropped_total(), 0u);
  EXPECT_EQ(pipe.Drain().rfind("[warning] warning 0\n[warning] warning 1\n", 0), 0u);
  logger.error("back");
  EXPECT_NE(pipe.Drain().find("dropped while the output was not read]\n[error] back\n"),
            std::string::npos);
}

TEST(ConsoleStreamBufTest, WholeLinesOnly) {
  Pipe pipe;
  ConsoleWriter writer(pipe.write_fd);
  ConsoleStreamBuf buffer(writer);
  std::ostream out(&buffer);
  out << "MTM " << 12.5 << std::flush;  // no newline yet: nothing written
  EXPECT_EQ(pipe.Drain(), "");
  out << " state=monitoring" << std::endl << "second\n";
  EXPECT_EQ(pipe.Drain(), "MTM 12.5 state=monitoring\nsecond\n");
}

}  // namespace
}  // namespace zm
