// `logs`: the three files merged by their time prefix, continuation lines kept with their line,
// an unfinished last line held back for -f, --since and --process.
#include "runner/logs_view.h"

#include <gtest/gtest.h>

namespace zm::runner {
namespace {

constexpr const char* kMonitor =
    "2026-12-01T09:15:00.100+05:30 [mtm_monitor] [info] cycle\n"
    "2026-12-01T09:15:02.300+05:30 [mtm_monitor] [critical] trigger loss\n"
    "  second line of it\n";
constexpr const char* kRunner =
    "2026-12-01T09:14:59.900+05:30 [system_runner] [info] started\n"
    "2026-12-01T09:15:02.300+05:30 [system_runner] [warning] same millisecond\n";

TEST(LogsViewTest, MergesByTimeKeepingContinuationsAndFileOrderOnTies) {
  const auto merged = MergeLogs({ParseLogText(kMonitor), ParseLogText(kRunner)});
  ASSERT_EQ(merged.size(), 4u);
  EXPECT_NE(merged[0].text.find("started"), std::string::npos);
  EXPECT_NE(merged[1].text.find("cycle"), std::string::npos);
  EXPECT_EQ(merged[2].text,
            "2026-12-01T09:15:02.300+05:30 [mtm_monitor] [critical] trigger loss\n"
            "  second line of it");
  EXPECT_NE(merged[3].text.find("same millisecond"), std::string::npos);
}

TEST(LogsViewTest, SinceKeepsLaterEntriesOnly) {
  const auto merged =
      MergeLogs({ParseLogText(kMonitor), ParseLogText(kRunner)}, "2026-12-01T09:15");
  ASSERT_EQ(merged.size(), 3u);
  EXPECT_NE(merged[0].text.find("cycle"), std::string::npos);
  EXPECT_TRUE(MergeLogs({ParseLogText(kMonitor)}, "2026-12-01T09:16").empty());
}

TEST(LogsViewTest, AnUnfinishedLastLineIsHeldBack) {
  std::string rest;
  auto entries =
      ParseLogText("2026-12-01T09:15:00.100+05:30 [a] [info] one\n2026-12-01T09:1", &rest);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(rest, "2026-12-01T09:1");
  entries = ParseLogText(rest + "5:01.000+05:30 [a] [info] two\n", &rest);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].at, "2026-12-01T09:15:01.000+05:30");
  EXPECT_TRUE(rest.empty());
}

TEST(LogsViewTest, ProcessNamesAndColours) {
  EXPECT_EQ(LogFileOfProcess("monitor"), "mtm_monitor.log");
  EXPECT_EQ(LogFileOfProcess("ltp_subscriber"), "ltp_subscriber.log");
  EXPECT_EQ(LogFileOfProcess("runner"), "system_runner.log");
  EXPECT_FALSE(LogFileOfProcess("kite_sim"));
  const LogEntry critical{"", "t [p] [critical] x"}, info{"", "t [p] [info] x"};
  EXPECT_EQ(FormatLogEntry(critical, true), "\033[1;31mt [p] [critical] x\033[0m");
  EXPECT_EQ(FormatLogEntry(critical, false), "t [p] [critical] x");
  EXPECT_EQ(FormatLogEntry(info, true), "t [p] [info] x");
}

}  // namespace
}  // namespace zm::runner
