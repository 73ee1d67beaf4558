// Supervisor: keeps the subscriber and the monitor running.
//
// Every `tick` it reaps exited children (SIGCHLD wakes it early), starts children whose backoff
// has elapsed, escalates SIGTERM to SIGKILL after `stop_grace`, and every `health_interval`
// reads each child's heartbeat to detect a hung child (health.h). A failed child is restarted
// per RestartPolicy; a crash loop is a critical alert (log + state file) and restarts go on.
// The state (pids, restarts, last critical event) is rewritten atomically to `state_file` on
// every change so that `status` can show it. RequestStop() ends Run(): both children get
// SIGTERM, SIGKILL after `stop_grace`, and Run() returns once both are reaped.
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

#include "runner/health.h"
#include "runner/restart_policy.h"
#include "runner/spawn.h"

namespace zm::runner {

// Where heartbeats come from (the children's databases; a fake in tests).
class HeartbeatSource {
 public:
  virtual ~HeartbeatSource() = default;
  virtual std::optional<HeartbeatSeen> Read(const std::string& component) = 0;
};

struct SupervisorOptions {
  Millis tick{100};
  Millis health_interval{3000};
  double stale_seconds = 15;
  Millis stop_grace{10000};
  RestartPolicyOptions restart;
  std::filesystem::path state_file;  // empty: not written
  int64_t runner_started_at_ms = 0;
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
  void Reap();
  void OnExited(Child& child, int wait_status);
  void CheckHealth(Child& child);
  void Start(Child& child);
  void SendStop(Child& child, const std::string& why);
  void Critical(const std::string& message);
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
};

}  // namespace zm::runner
