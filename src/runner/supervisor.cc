#include "runner/supervisor.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>
#include <memory>

#include "common/clock.h"
#include "common/process_clock.h"
#include "runner/files.h"

namespace zm::runner {

namespace asio = boost::asio;
using nlohmann::json;

namespace {
MonoTime Mono() { return std::chrono::steady_clock::now(); }

std::string DescribeExit(int wait_status) {
  if (WIFEXITED(wait_status)) {
    const int code = WEXITSTATUS(wait_status);
    return "exited with code " + std::to_string(code) +
           (code == 127 ? " (binary missing or not executable?)" : "");
  }
  if (WIFSIGNALED(wait_status)) return "killed by signal " + std::to_string(WTERMSIG(wait_status));
  return "ended (status " + std::to_string(wait_status) + ")";
}
}  // namespace

struct Supervisor::Child {
  enum class Phase { kWaiting, kRunning, kStopping };
  ChildSpec spec;
  RestartPolicy policy;
  Phase phase = Phase::kWaiting;
  pid_t pid = 0;
  int64_t started_at_ms = 0;
  MonoTime next_start_at{};
  MonoTime kill_at{};
  bool killed = false;
  bool crash_loop = false;
  std::string last_exit;
  std::optional<HangDetector> detector;  // this instance's; reset at every start
  HealthVerdict verdict;
  std::unique_ptr<ChildPipe> out_pipe, err_pipe;  // only between creation and the fork
  // Dead-man bookkeeping, kept across restarts.
  MonoTime last_progress{};
  int open_positions = -1;  // the last heartbeat's word, whoever wrote it
  bool dead_man_alerted = false;
};

Supervisor::Supervisor(asio::any_io_executor executor, SupervisorOptions options,
                       std::vector<ChildSpec> children, HeartbeatSource* heartbeats)
    : executor_(executor), options_(std::move(options)), heartbeats_(heartbeats), timer_(executor) {
  for (auto& spec : children) {
    auto child = std::make_unique<Child>();
    child->spec = std::move(spec);
    child->policy = RestartPolicy(options_.restart);
    child->last_progress = Mono();
    children_.push_back(std::move(child));
  }
}

Supervisor::~Supervisor() = default;

void Supervisor::RequestStop() {
  if (stop_requested_) return;
  stop_requested_ = true;
  spdlog::info("stop requested: stopping children");
  for (auto& child : children_) {
    if (child->phase == Child::Phase::kRunning) SendStop(*child, "shutdown");
    if (child->phase == Child::Phase::kWaiting) child->pid = 0;
  }
  timer_.cancel();
}

asio::awaitable<void> Supervisor::Run() {
  // SIGCHLD only shortens the wait; every tick reaps our pids anyway, so a missed signal is ok.
  // A SIGCHLD that came just before the loop ended can already be queued as a success when the
  // signal_set is cancelled: its handler then runs after this frame (`sigchld`, `arm`), and
  // perhaps the Supervisor, are gone. So every handler shares `listening`, which this frame
  // clears when it ends (also by an exception), and touches nothing else once it is false.
  auto listening = std::make_shared<bool>(true);
  struct ClearOnExit {
    std::shared_ptr<bool> flag;
    ~ClearOnExit() { *flag = false; }
  } clear_on_exit{listening};
  asio::signal_set sigchld(executor_, SIGCHLD);
  std::function<void()> arm = [this, &sigchld, &arm, listening] {
    sigchld.async_wait([this, &arm, listening](const boost::system::error_code& ec, int) {
      if (ec || !*listening) return;
      timer_.cancel();
      arm();
    });
  };
  arm();
  next_health_check_ = Mono() + options_.health_interval;
  for (;;) {
    Tick();
    if (stop_requested_ && AllStopped()) break;
    timer_.expires_at(NextWake(Mono()));
    co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  *listening = false;
  boost::system::error_code ignored;
  sigchld.cancel(ignored);
  co_await WaitForDrains();
  SaveState();
  spdlog::info("all children stopped");
}

asio::awaitable<void> Supervisor::WaitForDrains() {
  // The children are gone, so their pipes reach end of file at once; bounded all the same.
  for (int i = 0; open_drains_ > 0 && i < 40; ++i) {
    timer_.expires_after(std::chrono::milliseconds(50));
    co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

void Supervisor::Tick() {
  Reap();
  const MonoTime now = Mono();
  const bool health_due = now >= next_health_check_;
  if (health_due) next_health_check_ = now + options_.health_interval;
  for (auto& child_ptr : children_) {
    Child& child = *child_ptr;
    switch (child.phase) {
      case Child::Phase::kWaiting:
        if (!stop_requested_ && now >= child.next_start_at) Start(child);
        break;
      case Child::Phase::kRunning:
        if (health_due && !stop_requested_) CheckHealth(child, now);
        break;
      case Child::Phase::kStopping:
        if (!child.killed && now >= child.kill_at) {
          spdlog::warn("{} (pid {}) ignored SIGTERM for {} ms: SIGKILL", child.spec.name, child.pid,
                       options_.stop_grace.count());
          ::kill(child.pid, SIGKILL);
          child.killed = true;
        }
        break;
    }
    if (health_due && !stop_requested_) CheckDeadMan(child, now);
  }
  if (health_due) SaveState();
}

MonoTime Supervisor::NextWake(MonoTime now) const {
  // Sleep until something is due (a health check, a start after backoff, a SIGKILL), at most
  // kIdleWake: SIGCHLD and RequestStop() wake the loop early, so an idle suite costs one
  // wake-up a second here instead of one per tick.
  constexpr Millis kIdleWake{1000};
  MonoTime wake = std::min(now + kIdleWake, next_health_check_);
  for (const auto& child : children_) {
    if (child->phase == Child::Phase::kWaiting && !stop_requested_) {
      wake = std::min(wake, child->next_start_at);
    } else if (child->phase == Child::Phase::kStopping && !child->killed) {
      wake = std::min(wake, child->kill_at);
    }
  }
  return std::max(wake, now + options_.tick);
}

void Supervisor::Reap() {
  for (auto& child : children_) {
    if (child->phase == Child::Phase::kWaiting || child->pid <= 0) continue;
    int wait_status = 0;
    const pid_t r = ::waitpid(child->pid, &wait_status, WNOHANG);
    if (r == child->pid) {
      OnExited(*child, wait_status);
    } else if (r < 0 && errno == ECHILD) {
      OnExited(*child, 0);  // reaped elsewhere: treat as gone
    }
  }
}

void Supervisor::OnExited(Child& child, int wait_status) {
  const bool was_stopping = child.phase == Child::Phase::kStopping;
  child.last_exit = DescribeExit(wait_status);
  child.phase = Child::Phase::kWaiting;
  const pid_t old_pid = child.pid;
  child.pid = 0;
  if (stop_requested_) {
    spdlog::info("{} (pid {}) stopped: {}", child.spec.name, old_pid, child.last_exit);
    SaveState();
    return;
  }
  const MonoTime now = Mono();
  const RestartDecision d = child.policy.OnFailure(now);
  child.next_start_at = now + d.delay;
  spdlog::error("{} (pid {}) {}{}: restarting in {} ms (restart #{})", child.spec.name, old_pid,
                was_stopping ? "was stopped as hung, " : "", child.last_exit, d.delay.count(),
                child.policy.total_restarts());
  child.crash_loop = d.crash_loop;
  if (d.crash_loop) {
    const std::string detail = std::to_string(d.restarts_in_window) +
                               " restarts in 5 minutes, last: " + child.last_exit +
                               "; still restarting";
    Critical(child.spec.name + " crash loop: " + detail,
             alerts::CrashLoop(child.spec.name, detail, ProcessNowMs()));
  }
  SaveState();
}

void Supervisor::CheckHealth(Child& child, MonoTime now) {
  if (!heartbeats_ || !child.detector) return;
  const HeartbeatReading reading = heartbeats_->Read(child.spec.name);
  if (reading.kind == HeartbeatReading::Kind::kRow && reading.seen.open_positions >= 0) {
    child.open_positions = reading.seen.open_positions;
  }
  const Health before = child.verdict.health;
  child.verdict = child.detector->Observe(reading, now);
  const HealthVerdict& v = child.verdict;
  if (v.progress) child.last_progress = now;
  if (v.health == Health::kHung) {
    spdlog::error("{} (pid {}) is hung: {}", child.spec.name, child.pid, v.detail);
    if (options_.on_alert)
      options_.on_alert(alerts::ProcessHung(child.spec.name, v.detail, ProcessNowMs()));
    SendStop(child, "hung");
  } else if (v.health != before &&
             (v.health == Health::kUnreadable || v.health == Health::kStale)) {
    spdlog::warn("{} (pid {}): {}", child.spec.name, child.pid, v.detail);
  }
}

void Supervisor::CheckDeadMan(Child& child, MonoTime now) {
  if (options_.dead_man.count() <= 0 || child.spec.name != options_.dead_man_child) return;
  if (child.phase != Child::Phase::kRunning && heartbeats_) {
    // Down or restarting: the last row (an earlier instance's) still says what is open.
    const HeartbeatReading reading = heartbeats_->Read(child.spec.name);
    if (reading.kind == HeartbeatReading::Kind::kRow && reading.seen.open_positions >= 0) {
      child.open_positions = reading.seen.open_positions;
    }
  }
  const auto since = std::chrono::duration_cast<Millis>(now - child.last_progress);
  if (!DeadManDue(since, child.open_positions, options_.dead_man)) {
    if (since <= options_.dead_man) child.dead_man_alerted = false;
    return;
  }
  if (child.dead_man_alerted) return;
  child.dead_man_alerted = true;
  const std::string message = "dead-man: " + child.spec.name + " has written no heartbeat for " +
                              std::to_string(since.count() / 1000) + " s (" +
                              (child.phase == Child::Phase::kRunning ? "hung" : "not running") +
                              ") with " + std::to_string(child.open_positions) +
                              " open position(s): no MTM is computed and nothing guards them";
  Critical(message, alerts::DeadMan(message, ProcessNowMs()));
}

void Supervisor::Start(Child& child) {
  const ChildStdio stdio = OpenOutputPipes(child);
  auto pid = SpawnChild(child.spec, stdio);
  StartDrains(child, pid.ok());
  if (!pid.ok()) {
    spdlog::error("cannot start {}: {}", child.spec.name, pid.status().message());
    const RestartDecision d = child.policy.OnFailure(Mono());
    child.next_start_at = Mono() + d.delay;
    return;
  }
  child.pid = *pid;
  child.phase = Child::Phase::kRunning;
  child.started_at_ms = ProcessNowMs();
  child.killed = false;
  child.policy.OnStarted(Mono());
  child.detector.emplace(options_.hang, child.pid, Mono());
  child.verdict = HealthVerdict{};
  spdlog::info("started {} (pid {})", child.spec.name, child.pid);
  SaveState();
}

ChildStdio Supervisor::OpenOutputPipes(Child& child) {
  if (!options_.on_output) return {};
  auto out = ChildPipe::Create();
  auto err = ChildPipe::Create();
  if (!out.ok() || !err.ok()) {
    spdlog::error("{}: {}; its output goes to the runner's console", child.spec.name,
                  (out.ok() ? err.status() : out.status()).message());
    return {};
  }
  child.out_pipe = std::move(*out);
  child.err_pipe = std::move(*err);
  return ChildStdio{child.out_pipe->write_fd(), child.err_pipe->write_fd()};
}

void Supervisor::StartDrains(Child& child, bool started) {
  if (!child.out_pipe || !child.err_pipe) return;
  child.out_pipe->CloseWriteEnd();  // the child has its copy; ours would hide end of file
  child.err_pipe->CloseWriteEnd();
  if (started) {
    asio::co_spawn(executor_,
                   DrainChildPipe(child.out_pipe->ReleaseReadEnd(), child.spec.name,
                                  ChildStream::kStdout, options_.on_output, &open_drains_),
                   asio::detached);
    asio::co_spawn(executor_,
                   DrainChildPipe(child.err_pipe->ReleaseReadEnd(), child.spec.name,
                                  ChildStream::kStderr, options_.on_output, &open_drains_),
                   asio::detached);
  }
  child.out_pipe.reset();
  child.err_pipe.reset();
}

void Supervisor::SendStop(Child& child, const std::string& why) {
  spdlog::info("stopping {} (pid {}): {}", child.spec.name, child.pid, why);
  ::kill(child.pid, SIGTERM);
  child.phase = Child::Phase::kStopping;
  child.kill_at = Mono() + options_.stop_grace;
  child.killed = false;
}

void Supervisor::Critical(const std::string& message, std::optional<alerts::AlertEvent> alert) {
  spdlog::critical("{}", message);
  last_critical_ = json{{"at_ms", ProcessNowMs()}, {"message", message}};
  if (alert && options_.on_alert) options_.on_alert(std::move(*alert));
}

bool Supervisor::AllStopped() const {
  for (const auto& child : children_) {
    if (child->phase != Child::Phase::kWaiting) return false;
  }
  return true;
}

pid_t Supervisor::pid_of(const std::string& name) const {
  for (const auto& child : children_) {
    if (child->spec.name == name) return child->pid;
  }
  return 0;
}

json Supervisor::StateJson() const {
  json state;
  state["runner_pid"] = static_cast<int64_t>(::getpid());
  state["started_at_ms"] = options_.runner_started_at_ms;
  state["updated_at_ms"] = ProcessNowMs();
  state["stopping"] = stop_requested_;
  for (const auto& child : children_) {
    json c;
    c["pid"] = static_cast<int64_t>(child->pid);
    c["running"] = child->phase != Child::Phase::kWaiting;
    c["started_at_ms"] = child->started_at_ms;
    c["restarts"] = child->policy.total_restarts();
    c["crash_loop"] = child->crash_loop;
    c["last_exit"] = child->last_exit;
    c["exe"] = child->spec.binary.string();
    c["health"] = child->phase == Child::Phase::kRunning    ? HealthName(child->verdict.health)
                  : child->phase == Child::Phase::kStopping ? "stopping"
                                                            : "not running";
    c["health_detail"] = child->verdict.detail;
    state["children"][child->spec.name] = c;
  }
  state["last_critical"] = last_critical_;
  if (options_.state_extras) {
    // Named: iterating items() of a temporary would outlive the temporary.
    const nlohmann::json extras = options_.state_extras();
    for (const auto& [key, value] : extras.items()) state[key] = value;
  }
  return state;
}

void Supervisor::SaveState() {
  if (options_.state_file.empty()) return;
  // 0600: the state may carry the dashboard's URL with its access token (state_extras).
  Status s = WriteFileAtomically(options_.state_file, StateJson().dump(2) + "\n", 0600);
  if (!s.ok()) spdlog::warn("cannot save runner state: {}", s.message());
}

}  // namespace zm::runner
