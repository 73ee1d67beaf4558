// The pure delivery policy: severity filter, duplicates, rate limit, retries with backoff,
// one delivery in flight per channel, the bounded queue, and the health it reports.
#include "common/alerts/dispatcher.h"

#include <gtest/gtest.h>

namespace zm::alerts {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

AlertEvent Event(const std::string& text, AlertSeverity severity = AlertSeverity::kCritical) {
  AlertEvent e;
  e.type = "test";
  e.severity = severity;
  e.text = text;
  return e;
}

class DispatcherTest : public ::testing::Test {
 protected:
  Dispatcher Make(DispatchPolicy policy = {}, size_t channels = 1) {
    std::vector<ChannelInfo> infos;
    for (size_t i = 0; i < channels; ++i) {
      infos.push_back({"c" + std::to_string(i), "webhook", AlertSeverity::kWarning});
    }
    return Dispatcher(policy, infos);
  }
  MonoTime t0_ = MonoTime{} + std::chrono::hours(1);
};

TEST_F(DispatcherTest, SeverityBelowTheChannelMinimumIsNotQueuedUnlessForced) {
  Dispatcher d = Make();
  EXPECT_EQ(d.Submit(Event("x", AlertSeverity::kInfo), t0_), 0);
  EXPECT_TRUE(d.Idle());
  EXPECT_EQ(d.Submit(Event("x", AlertSeverity::kInfo), t0_, /*force=*/true), 1);
  EXPECT_EQ(d.Submit(Event("y", AlertSeverity::kWarning), t0_), 1);
  EXPECT_FALSE(d.Idle());
}

TEST_F(DispatcherTest, OneDeliveryInFlightPerChannelInOrder) {
  Dispatcher d = Make({}, 2);
  d.Submit(Event("a"), t0_);
  d.Submit(Event("b"), t0_);
  auto due = d.TakeDue(t0_);
  ASSERT_EQ(due.size(), 2u);  // one per channel
  EXPECT_EQ(due[0].event.text, "a");
  EXPECT_EQ(due[1].event.text, "a");
  EXPECT_TRUE(d.TakeDue(t0_).empty());
  EXPECT_FALSE(d.NextDue(t0_).has_value());  // only waits on the in-flight deliveries
  d.Complete(due[0].id, Status::Ok(), t0_, 1000);
  auto next = d.TakeDue(t0_);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].channel, 0u);
  EXPECT_EQ(next[0].event.text, "b");
  EXPECT_EQ(d.health()[0].sent, 1);
  EXPECT_EQ(d.health()[0].state(), "ok");
  EXPECT_EQ(d.health()[1].state(), "idle");
}

TEST_F(DispatcherTest, DuplicatesWithinTheWindowCollapse) {
  DispatchPolicy p;
  p.duplicate_window = seconds(60);
  Dispatcher d = Make(p);
  d.Submit(Event("dup"), t0_);
  d.Submit(Event("dup"), t0_ + seconds(1));
  d.Submit(Event("dup"), t0_ + seconds(2));
  auto due = d.TakeDue(t0_ + seconds(2));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].repeats, 2);
  EXPECT_EQ(d.health()[0].suppressed, 2);
  d.Complete(due[0].id, Status::Ok(), t0_ + seconds(2), 1);
  d.Submit(Event("dup"), t0_ + seconds(30));  // sent already, still inside the window
  EXPECT_TRUE(d.Idle());
  d.Submit(Event("dup"), t0_ + seconds(61));  // the window has passed
  EXPECT_EQ(d.TakeDue(t0_ + seconds(61)).size(), 1u);
}

TEST_F(DispatcherTest, RateLimitPerChannelPerSlidingMinute) {
  DispatchPolicy p;
  p.rate_per_minute = 2;
  Dispatcher d = Make(p);
  for (const char* text : {"1", "2", "3"}) d.Submit(Event(text), t0_);
  for (int i = 0; i < 2; ++i) {
    auto due = d.TakeDue(t0_ + seconds(i));
    ASSERT_EQ(due.size(), 1u);
    d.Complete(due[0].id, Status::Ok(), t0_ + seconds(i), 1);
  }
  EXPECT_TRUE(d.TakeDue(t0_ + seconds(30)).empty());
  ASSERT_TRUE(d.NextDue(t0_ + seconds(30)).has_value());
  EXPECT_EQ(*d.NextDue(t0_ + seconds(30)), t0_ + seconds(60));
  EXPECT_EQ(d.TakeDue(t0_ + seconds(60)).size(), 1u);
}

TEST_F(DispatcherTest, FailuresRetryWithBackoffThenGiveUp) {
  DispatchPolicy p;
  p.max_retries = 2;
  p.retry_delay = seconds(2);
  Dispatcher d = Make(p);
  d.Submit(Event("x"), t0_);
  MonoTime now = t0_;
  const Status down(StatusCode::kConnectFailed, "connection refused");
  std::vector<MonoDuration> waits;
  for (int attempt = 0; attempt <= 2; ++attempt) {
    auto due = d.TakeDue(now);
    ASSERT_EQ(due.size(), 1u) << attempt;
    EXPECT_EQ(due[0].attempt, attempt);
    d.Complete(due[0].id, down, now, 5);
    if (attempt < 2) {
      ASSERT_TRUE(d.NextDue(now).has_value());
      waits.push_back(*d.NextDue(now) - now);
      EXPECT_TRUE(d.TakeDue(*d.NextDue(now) - milliseconds(1)).empty());
      now = *d.NextDue(now);
    }
  }
  EXPECT_EQ(waits, (std::vector<MonoDuration>{seconds(2), seconds(4)}));
  EXPECT_TRUE(d.Idle());
  const ChannelHealth& h = d.health()[0];
  EXPECT_EQ(h.failed, 1);
  EXPECT_EQ(h.retried, 2);
  EXPECT_EQ(h.state(), "failing");
  EXPECT_EQ(h.last_error, "connection refused");
  d.Submit(Event("y"), now);
  auto due = d.TakeDue(now);
  ASSERT_EQ(due.size(), 1u);
  d.Complete(due[0].id, Status::Ok(), now, 9);
  EXPECT_EQ(d.health()[0].state(), "ok");
  EXPECT_EQ(HealthToJson(d.health())[0]["state"], "ok");
}

TEST_F(DispatcherTest, AFullQueueDropsTheLowestSeverityFirst) {
  DispatchPolicy p;
  p.queue_limit = 2;
  Dispatcher d = Make(p);
  d.Submit(Event("w1", AlertSeverity::kWarning), t0_);
  d.Submit(Event("c1", AlertSeverity::kCritical), t0_);
  d.Submit(Event("c2", AlertSeverity::kCritical), t0_);  // pushes out w1
  d.Submit(Event("w2", AlertSeverity::kWarning), t0_);   // less than everything queued: dropped
  EXPECT_EQ(d.health()[0].dropped, 2);
  std::vector<std::string> sent;
  while (!d.Idle()) {
    auto due = d.TakeDue(t0_);
    ASSERT_EQ(due.size(), 1u);
    sent.push_back(due[0].event.text);
    d.Complete(due[0].id, Status::Ok(), t0_, 1);
  }
  EXPECT_EQ(sent, (std::vector<std::string>{"c1", "c2"}));
}

}  // namespace
}  // namespace zm::alerts
