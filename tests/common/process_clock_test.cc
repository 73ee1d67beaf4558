// The process clock's offset forms (process_clock.h). ProcessClock() itself is built once per
// process from the environment, so these tests use OffsetClock directly.
#include "common/process_clock.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

namespace zm {
namespace {

using std::chrono::milliseconds;

TEST(ProcessClockTest, ParsesOffsets) {
  EXPECT_EQ(ParseOffsetMs("3600000"), milliseconds(3600000));
  EXPECT_EQ(ParseOffsetMs("-5"), milliseconds(-5));
  EXPECT_EQ(ParseOffsetMs("+7"), milliseconds(7));
  EXPECT_EQ(ParseOffsetMs(""), std::nullopt);
  EXPECT_EQ(ParseOffsetMs("-"), std::nullopt);
  EXPECT_EQ(ParseOffsetMs("12s"), std::nullopt);
}

TEST(ProcessClockTest, FixedOffsetShiftsEveryReading) {
  const OffsetClock clock(std::chrono::hours(-6));
  const auto delta = std::chrono::system_clock::now() - clock.Now();
  EXPECT_GE(delta, std::chrono::hours(6) - std::chrono::seconds(5));
  EXPECT_LE(delta, std::chrono::hours(6) + std::chrono::seconds(5));
}

TEST(ProcessClockTest, FileOffsetIsReadAgainWhenTheFileChanges) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("zm_clock_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "offset";
  const OffsetClock clock(milliseconds(5), file);  // no file yet: the start offset
  EXPECT_EQ(clock.offset(), milliseconds(5));
  auto write = [&](const std::string& text) {
    std::ofstream(dir / "tmp") << text << "\n";
    std::filesystem::rename(dir / "tmp", file);  // atomic, as the tests do it
  };
  write("86400000");
  bool seen = false;
  for (int i = 0; i < 100 && !seen; ++i) {  // bounded: 2 s
    seen = clock.offset() == milliseconds(86400000);
    if (!seen) std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_TRUE(seen);
  write("-1000");
  seen = false;
  for (int i = 0; i < 100 && !seen; ++i) {
    seen = clock.offset() == milliseconds(-1000);
    if (!seen) std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_TRUE(seen);
  write("garbage");  // unreadable: the last offset stays
  std::this_thread::sleep_for(milliseconds(150));
  EXPECT_EQ(clock.offset(), milliseconds(-1000));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace zm
