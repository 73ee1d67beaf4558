// Monitor: the watch step run from the heartbeat loop (monitor.h): the dead-man rule and the
// free space of data_dir.
#include <spdlog/spdlog.h>

#include <boost/asio/this_coro.hpp>

#include "common/disk_space.h"
#include "mtm_monitor/cycle_report.h"
#include "mtm_monitor/monitor.h"

namespace zm::monitor {

namespace asio = boost::asio;

namespace {
constexpr long long kDiskCheckEveryMs = 60'000;
}  // namespace

asio::awaitable<void> Monitor::WatchStep() {
  const auto ex = co_await asio::this_coro::executor;
  const SysTime now = clock_.Now();
  WatchDeadMan(ex, now);
  WatchDisk(ToEpochMs(now));
}

void Monitor::WatchDeadMan(asio::any_io_executor ex, SysTime now) {
  if (stopping_) return;
  const long long now_ms = ToEpochMs(now);
  const DeadManDecision d = dead_man_.Check(now_ms, squareoff_running_, config_.risk_management);
  if (d.recovered) {
    spdlog::warn("{}", d.message);
    Event("info", d.message, now_ms);
  }
  if (d.alert) {
    Critical(d.message, now_ms);
    Alert(alerts::DeadMan(d.message, now_ms));
    Event("alert", d.message, now_ms,
          {{"reason", "dead_man"},
           {"dead_for_ms", d.dead_for_ms},
           {"open_positions", dead_man_.open_positions()}});
  }
  if (d.square_off) {
    Event("squareoff", "starting: dead-man square-off", now_ms, {{"reason", "dead_man"}});
    StartSquareOff(ex, "dead_man", now, last_mtm_);
  }
}

void Monitor::WatchDisk(long long now_ms) {
  if (now_ms < next_disk_check_ms_) return;
  next_disk_check_ms_ = now_ms + kDiskCheckEveryMs;
  auto available = free_space_ ? free_space_(config_.data_dir) : AvailableBytes(config_.data_dir);
  if (!available.ok()) {
    spdlog::warn("free space of {}: {}", config_.data_dir.string(), available.status().ToString());
    return;
  }
  const FreeSpaceVerdict v = EvaluateFreeSpace(*available, config_.system_monitoring.min_free_mb);
  if (v.low && !disk_low_) {
    const std::string message = "disk almost full where the databases live (" +
                                config_.data_dir.string() + "): " + v.text +
                                "; the journal and history need room";
    Critical(message, now_ms);
    Alert(alerts::LowDisk(message, now_ms));
  } else if (!v.low && disk_low_) {
    spdlog::warn("free space of {} back above the minimum: {}", config_.data_dir.string(), v.text);
  }
  disk_low_ = v.low;
}

}  // namespace zm::monitor
