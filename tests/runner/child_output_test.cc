// LineSplitter (pure) and one child pipe drained on an io_context.
#include "runner/child_output.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

namespace zm::runner {
namespace {

using Lines = std::vector<std::string>;

TEST(LineSplitterTest, Table) {
  struct Row {
    size_t max_line;
    std::vector<std::string> chunks;
    Lines lines;
    std::string rest;
  } rows[] = {
      {100, {"a\nb\n"}, {"a", "b"}, ""},
      {100, {"par", "tial\nnext"}, {"partial"}, "next"},
      {100, {"\n\n"}, {"", ""}, ""},
      {100, {"crlf\r\n"}, {"crlf\r"}, ""},
      {4, {"abcdefghij"}, {"abcd", "efgh"}, "ij"},  // long lines come in pieces
      {100, {}, {}, ""},
  };
  for (const Row& r : rows) {
    LineSplitter splitter(r.max_line);
    Lines got;
    for (const auto& c : r.chunks) {
      for (auto& l : splitter.Feed(c)) got.push_back(l);
    }
    EXPECT_EQ(got, r.lines);
    EXPECT_EQ(splitter.TakeRest(), r.rest);
    EXPECT_EQ(splitter.TakeRest(), "");
  }
}

TEST(DrainChildPipeTest, DeliversEveryLineThenTheRestAtEndOfFile) {
  auto pipe = ChildPipe::Create();
  ASSERT_TRUE(pipe.ok());
  const std::string text = "first\nsecond\nno newline";
  ASSERT_EQ(::write((*pipe)->write_fd(), text.data(), text.size()),
            static_cast<ssize_t>(text.size()));
  (*pipe)->CloseWriteEnd();
  boost::asio::io_context io;
  Lines got;
  int open = 0;
  boost::asio::co_spawn(
      io,
      DrainChildPipe((*pipe)->ReleaseReadEnd(), "mtm_monitor", ChildStream::kStderr,
                     [&](const std::string& child, ChildStream stream, std::string_view line) {
                       EXPECT_EQ(child, "mtm_monitor");
                       EXPECT_EQ(stream, ChildStream::kStderr);
                       got.emplace_back(line);
                     },
                     &open),
      boost::asio::detached);
  io.run_for(std::chrono::seconds(10));
  EXPECT_EQ(got, (Lines{"first", "second", "no newline"}));
  EXPECT_EQ(open, 0);
}

}  // namespace
}  // namespace zm::runner
