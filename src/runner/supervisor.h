// Supervisor: keeps the subscriber and the monitor running.
//
// When something is due (at most every `tick`, at least every second; SIGCHLD wakes it early)
// it reaps exited children, starts children whose backoff
// has elapsed, escalates SIGTERM to SIGKILL after `stop_grace`, and every `health_interval`
// reads each child's heartbeat; HangDetector (health.h) decides when a child is hung (several
// consecutive readings beyond the bound, a longer bound during a square-off). A failed child is
// restarted per RestartPolicy; a crash loop is a critical alert (log + state file) and restarts
// go on. Dead-man: when the `dead_man_child` (the monitor) shows no heartbeat progress for
// `dead_man` while its last heartbeat said positions were open (hung, down, crash-looping), a
// critical alert is raised once per episode.
// With `on_output` set, each child's stdout/stderr are pipes the supervisor drains itself on
// its io_context (child_output.h); otherwise the children inherit the runner's.
// The state (pids, executables, health, restarts, last critical event) is rewritten atomically
// to `state_file` on every change so that `status` and `stop` can use it. RequestStop() ends
// Run(): both children get SIGTERM, SIGKILL after `stop_grace`, and Run() returns once both are
// reaped and their output drained.
// Lives on the process's single io_context thread; not thread-safe. Reaps only its own pids.
#pragma once

#include <sys/types.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/alerts/event.h"
#include "runner/child_output.h"
#include "runner/health.h"
#include "runner/restart_policy.h"
#include "runner/spawn.h"

namespace zm::runner {

// Where heartbeats come from (the children's databases; a fake in tests).
class HeartbeatSource {
 public:
  virtual ~HeartbeatSource() = default;
  virtual HeartbeatReading Read(const std::string& component) = 0;
};

struct SupervisorOptions {
  Millis tick{100};
  Millis health_interval{3000};
  HangOptions hang;
  Millis stop_grace{10000};
  Millis dead_man{0};  // 0 = off
  std::string dead_man_child = "mtm_monitor";
  ChildLineHandler on_output;  // empty: children inherit the runner's stdout/stderr
  RestartPolicyOptions restart;
  std::filesystem::path state_file;  // empty: not written
  int64_t runner_started_at_ms = 0;
  // Crash loops, hung children and the dead-man rule are also raised here (the runner's
  // AlertService); empty = log and state file only. Must not block.
  std::function<void(alerts::AlertEvent)> on_alert;
  // Keys added to the state file (alerts health, dashboard URL); called at every save.
  std::function<nlohmann::json()> state_extras;
};

class Supervisor {
 public:
  Supervisor(boost::asio::any_io_executor executor, SupervisorOptions options,
             std::vector<ChildSpec> children, HeartbeatSource* heartbeats);
  ~Supervisor();

  boost::asio::awaitable<void> Run();
  void RequestStop();

  nlohmann::json StateJson() const;
  // Current pid of a child (0 when not running).
  pid_t pid_of(const std::string& name) const;

 private:
  struct Child;
  void Tick();
  MonoTime NextWake(MonoTime now) const;  // when Run() must tick next
  void Reap();
  void OnExited(Child& child, int wait_status);
  void CheckHealth(Child& child, MonoTime now);
  void CheckDeadMan(Child& child, MonoTime now);
  void Start(Child& child);
  ChildStdio OpenOutputPipes(Child& child);
  void StartDrains(Child& child, bool started);
  boost::asio::awaitable<void> WaitForDrains();
  void SendStop(Child& child, const std::string& why);
  void Critical(const std::string& message, std::optional<alerts::AlertEvent> alert = {});
  void SaveState();
  bool AllStopped() const;

  boost::asio::any_io_executor executor_;
  SupervisorOptions options_;
  HeartbeatSource* heartbeats_;
  std::vector<std::unique_ptr<Child>> children_;
  boost::asio::steady_timer timer_;
  bool stop_requested_ = false;
  MonoTime next_health_check_{};
  nlohmann::json last_critical_;
  int open_drains_ = 0;
};

}  // namespace zm::runner
