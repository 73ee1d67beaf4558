// HangDetector and the runner's dead-man rule: tables of readings on a monotonic time line.
#include "runner/health.h"

#include <gtest/gtest.h>

#include <vector>

namespace zm::runner {
namespace {

using std::chrono::milliseconds;
using Kind = HeartbeatReading::Kind;

constexpr int64_t kPid = 42;

struct Step {
  int at_ms;           // monotonic, since the child started
  Kind kind;           // what the read returned
  int64_t pid;         // row's pid (kRow)
  int64_t updated_ms;  // row's updated_at_ms (wall clock of the writer; only compared)
  const char* state;   // row's details.state
  Health expected;
};

HeartbeatReading Reading(const Step& s) {
  HeartbeatReading r;
  r.kind = s.kind;
  if (s.kind == Kind::kRow) r.seen = HeartbeatSeen{s.pid, s.updated_ms, s.state, -1};
  if (s.kind == Kind::kUnreadable) r.error = "database is locked";
  return r;
}

struct Case {
  const char* name;
  std::vector<Step> steps;
};

// stale 15 s, square-off 60 s, 3 readings; health checks every 3 s.
const std::vector<Case> kCases = {
    {"starting then ok",
     {{0, Kind::kAbsent, 0, 0, "", Health::kStarting},
      {3000, Kind::kRow, kPid, 100, "monitoring", Health::kOk},
      {6000, Kind::kRow, kPid, 200, "monitoring", Health::kOk}}},
    {"one unreadable read is not a hang",
     {{3000, Kind::kRow, kPid, 100, "", Health::kOk},
      {6000, Kind::kUnreadable, 0, 0, "", Health::kUnreadable},
      {9000, Kind::kRow, kPid, 300, "", Health::kOk}}},
    {"unreadable reads within the bound never count",
     {{3000, Kind::kRow, kPid, 100, "", Health::kOk},
      {6000, Kind::kUnreadable, 0, 0, "", Health::kUnreadable},
      {9000, Kind::kUnreadable, 0, 0, "", Health::kUnreadable},
      {12000, Kind::kUnreadable, 0, 0, "", Health::kUnreadable},
      {15000, Kind::kUnreadable, 0, 0, "", Health::kUnreadable},
      {18000, Kind::kRow, kPid, 900, "", Health::kOk}}},
    {"three stale readings make a hang",
     {{3000, Kind::kRow, kPid, 100, "", Health::kOk},
      {15000, Kind::kRow, kPid, 100, "", Health::kOk},     // 12 s without progress
      {18000, Kind::kRow, kPid, 100, "", Health::kOk},     // exactly 15 s: still within
      {18001, Kind::kRow, kPid, 100, "", Health::kStale},  // 1 of 3
      {21000, Kind::kRow, kPid, 100, "", Health::kStale},  // 2 of 3
      {24000, Kind::kRow, kPid, 100, "", Health::kHung}}},
    {"progress resets the count",
     {{3000, Kind::kRow, kPid, 100, "", Health::kOk},
      {19000, Kind::kRow, kPid, 100, "", Health::kStale},
      {21000, Kind::kRow, kPid, 100, "", Health::kStale},
      {24000, Kind::kRow, kPid, 101, "", Health::kOk},
      {40000, Kind::kRow, kPid, 101, "", Health::kStale}}},
    {"unreadable beyond the bound counts, and says so",
     {{3000, Kind::kRow, kPid, 100, "", Health::kOk},
      {19000, Kind::kUnreadable, 0, 0, "", Health::kUnreadable},
      {22000, Kind::kRow, kPid, 100, "", Health::kStale},
      {25000, Kind::kUnreadable, 0, 0, "", Health::kHung}}},
    {"a row of an earlier instance is no progress",
     {{3000, Kind::kRow, 41, 100, "", Health::kStarting},
      {9000, Kind::kRow, 41, 200, "", Health::kStarting},
      {16000, Kind::kRow, 41, 300, "", Health::kStale},
      {19000, Kind::kRow, 41, 400, "", Health::kStale},
      {22000, Kind::kRow, 41, 500, "", Health::kHung}}},
    {"never a heartbeat: hung after the bound and three readings",
     {{15000, Kind::kAbsent, 0, 0, "", Health::kStarting},
      {18000, Kind::kAbsent, 0, 0, "", Health::kStale},
      {21000, Kind::kAbsent, 0, 0, "", Health::kStale},
      {24000, Kind::kAbsent, 0, 0, "", Health::kHung}}},
    {"a square-off in progress gets the longer bound",
     {{3000, Kind::kRow, kPid, 100, "squaring_off", Health::kOk},
      {30000, Kind::kRow, kPid, 100, "squaring_off", Health::kOk},
      {63000, Kind::kRow, kPid, 100, "squaring_off", Health::kOk},
      {63001, Kind::kUnreadable, 0, 0, "", Health::kUnreadable},
      {66000, Kind::kRow, kPid, 100, "squaring_off", Health::kStale},
      {69000, Kind::kRow, kPid, 100, "squaring_off", Health::kHung}}},
    {"after the square-off the normal bound is back",
     {{3000, Kind::kRow, kPid, 100, "squaring_off", Health::kOk},
      {6000, Kind::kRow, kPid, 200, "monitoring", Health::kOk},
      {22000, Kind::kRow, kPid, 200, "monitoring", Health::kStale}}},
    {"a wall-clock jump in the row is just progress",
     {{3000, Kind::kRow, kPid, 1'000'000, "", Health::kOk},
      {6000, Kind::kRow, kPid, 10, "", Health::kOk},  // the writer's clock went back
      {9000, Kind::kRow, kPid, 5'000'000, "", Health::kOk}}},
};

TEST(HangDetectorTest, Table) {
  HangOptions options;
  options.stale = milliseconds(15000);
  options.squareoff_stale = milliseconds(60000);
  options.readings = 3;
  const MonoTime start{};
  for (const Case& c : kCases) {
    HangDetector detector(options, kPid, start);
    for (size_t i = 0; i < c.steps.size(); ++i) {
      const Step& s = c.steps[i];
      const HealthVerdict v = detector.Observe(Reading(s), start + milliseconds(s.at_ms));
      EXPECT_EQ(HealthName(v.health), std::string(HealthName(s.expected)))
          << c.name << ", step " << i << " (t=" << s.at_ms << " ms): " << v.detail;
    }
  }
}

TEST(HangDetectorTest, DetailTellsStaleFromUnreadable) {
  HangOptions options;
  options.stale = milliseconds(1000);
  options.readings = 2;
  const MonoTime start{};
  HangDetector stale(options, kPid, start);
  stale.Observe(Reading({0, Kind::kRow, kPid, 1, "", Health::kOk}), start);
  const auto v =
      stale.Observe(Reading({0, Kind::kRow, kPid, 1, "", Health::kOk}), start + milliseconds(2000));
  EXPECT_NE(v.detail.find("no new heartbeat for 2 s"), std::string::npos) << v.detail;
  HangDetector unreadable(options, kPid, start);
  const auto u = unreadable.Observe(Reading({0, Kind::kUnreadable, 0, 0, "", Health::kOk}),
                                    start + milliseconds(2000));
  EXPECT_NE(u.detail.find("heartbeat unreadable (database is locked)"), std::string::npos)
      << u.detail;
  EXPECT_NE(u.detail.find("reading 1 of 2"), std::string::npos) << u.detail;
}

TEST(DeadManDueTest, Table) {
  const milliseconds limit(30000);
  struct Row {
    int since_ms, open;
    bool due;
  } rows[] = {{31000, 2, true},   {30000, 2, false}, {31000, 0, false},
              {31000, -1, false}, {5000, 3, false},  {999999, 1, true}};
  for (const Row& r : rows) {
    EXPECT_EQ(DeadManDue(milliseconds(r.since_ms), r.open, limit), r.due)
        << r.since_ms << " ms, " << r.open << " open";
  }
  EXPECT_FALSE(DeadManDue(milliseconds(999999), 2, milliseconds(0)));  // off
}

}  // namespace
}  // namespace zm::runner
