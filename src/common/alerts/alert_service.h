// AlertService: the alerts of one process (issue #14). Raise() puts the event on the
// dispatcher's queues (dispatcher.h: filter, duplicates, rate limit, retries) and wakes the
// drain coroutine, which starts every due delivery as its own coroutine and sleeps until the
// next one is due. Nothing the guard does ever waits for a channel: Raise() returns at once,
// each delivery is bounded by its channel's timeout, and a dead channel only fills its own
// queue (bounded; the oldest low-severity event is dropped first).
// Channel health (HealthJson) goes where each process persists it: the monitor's heartbeat
// details, the runner's runner_state.json; `status` shows failing channels.
// Ownership: borrows the executor; owns its channels and the TLS context.
// Threading: the process's io_context thread only (Raise from handlers on that thread).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <vector>

#include "common/alerts/channels.h"
#include "common/alerts/dispatcher.h"
#include "common/config.h"

namespace zm::alerts {

class AlertService final : public AlertSink {
 public:
  // `source`: the process name stamped on every event ("mtm_monitor", "system_runner", ...).
  AlertService(boost::asio::any_io_executor executor, const AlertsConfig& config,
               std::string source);
  // Tests: explicit channels (same order as config.channels).
  AlertService(boost::asio::any_io_executor executor, const AlertsConfig& config,
               std::string source, std::vector<std::unique_ptr<AlertChannel>> channels);
  ~AlertService() override;
  AlertService(const AlertService&) = delete;
  AlertService& operator=(const AlertService&) = delete;

  void Raise(AlertEvent event) override;
  nlohmann::json HealthJson() const override;
  // To every channel whatever its min_severity (alert-test).
  void RaiseToAll(AlertEvent event);

  // Starts the drain coroutine (once). Raise() before Start() queues.
  void Start();
  // Waits until every queue is empty and nothing is in flight, or `bound` passed. True when
  // everything was delivered or given up.
  boost::asio::awaitable<bool> Flush(std::chrono::milliseconds bound);
  // Ends the drain coroutine; in-flight deliveries finish on their own timeouts.
  void Stop();

  bool empty() const { return channels_.empty(); }
  const std::vector<ChannelHealth>& health() const { return dispatcher_.health(); }

 private:
  void Submit(AlertEvent event, bool force);
  boost::asio::awaitable<void> DrainLoop();
  boost::asio::awaitable<void> Deliver(Delivery delivery);

  boost::asio::any_io_executor executor_;
  std::string source_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  std::vector<std::shared_ptr<AlertChannel>> channels_;  // shared with running deliveries
  Dispatcher dispatcher_;
  boost::asio::steady_timer wake_;
  bool started_ = false;
  bool stopping_ = false;
  std::shared_ptr<bool> alive_;  // deliveries outliving the service see false
};

// The dispatcher policy and channel list of the config.
DispatchPolicy PolicyOf(const AlertsConfig& config);
std::vector<ChannelInfo> ChannelInfos(const AlertsConfig& config);

}  // namespace zm::alerts
