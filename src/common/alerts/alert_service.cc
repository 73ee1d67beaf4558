#include "common/alerts/alert_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/net/http_client.h"

namespace zm::alerts {

namespace asio = boost::asio;

namespace {
MonoTime Now() { return std::chrono::steady_clock::now(); }
int64_t WallMs() { return ToEpochMs(std::chrono::system_clock::now()); }
MonoDuration Seconds(double s) {
  return std::chrono::duration_cast<MonoDuration>(std::chrono::duration<double>(s));
}
}  // namespace

DispatchPolicy PolicyOf(const AlertsConfig& config) {
  DispatchPolicy p;
  p.max_retries = config.max_retries;
  p.retry_delay = Seconds(config.retry_delay);
  p.rate_per_minute = config.rate_limit_per_minute;
  p.duplicate_window = Seconds(config.duplicate_window);
  return p;
}

std::vector<ChannelInfo> ChannelInfos(const AlertsConfig& config) {
  std::vector<ChannelInfo> out;
  for (const auto& c : config.channels) {
    out.push_back({c.name, c.type, c.min_severity.value_or(config.min_severity)});
  }
  return out;
}

AlertService::AlertService(asio::any_io_executor executor, const AlertsConfig& config,
                           std::string source)
    : AlertService(executor, config, std::move(source), {}) {
  // OpenSSL is loaded only when a channel speaks HTTPS: initialising it costs each process
  // about 3 MB of memory, and the command channel and a suite without alerts need none.
  const bool needs_tls = std::any_of(config.channels.begin(), config.channels.end(),
                                     [](const auto& c) { return c.type != "command"; });
  Result<std::shared_ptr<asio::ssl::context>> tls = InternalError("no channel needs TLS");
  if (needs_tls) tls = net::MakeClientTlsContext();
  if (tls.ok()) tls_ = *tls;
  for (const auto& c : config.channels) {
    if (!tls_ && c.type != "command") {
      channels_.push_back(MakeBrokenChannel("no TLS context: " + tls.status().message()));
    } else if (!tls_) {
      asio::ssl::context unused(asio::ssl::context::tls_client);  // the command channel ignores it
      channels_.push_back(MakeChannel(executor, unused, c, config.account));
    } else {
      channels_.push_back(MakeChannel(executor, *tls_, c, config.account));
    }
  }
}

AlertService::AlertService(asio::any_io_executor executor, const AlertsConfig& config,
                           std::string source, std::vector<std::unique_ptr<AlertChannel>> channels)
    : executor_(executor),
      source_(std::move(source)),
      dispatcher_(PolicyOf(config), ChannelInfos(config)),
      wake_(executor),
      alive_(std::make_shared<bool>(true)) {
  for (auto& c : channels) channels_.push_back(std::move(c));
}

AlertService::~AlertService() { *alive_ = false; }

void AlertService::Raise(AlertEvent event) { Submit(std::move(event), /*force=*/false); }

void AlertService::RaiseToAll(AlertEvent event) { Submit(std::move(event), /*force=*/true); }

void AlertService::Submit(AlertEvent event, bool force) {
  if (event.source.empty()) event.source = source_;
  if (channels_.empty()) return;
  if (dispatcher_.Submit(event, Now(), force) > 0) wake_.cancel();
}

nlohmann::json AlertService::HealthJson() const { return HealthToJson(dispatcher_.health()); }

void AlertService::Start() {
  if (started_ || channels_.empty()) return;
  started_ = true;
  asio::co_spawn(executor_, DrainLoop(), [](std::exception_ptr e) {
    if (e) spdlog::critical("alerts: the delivery loop ended with an exception");
  });
}

void AlertService::Stop() {
  stopping_ = true;
  wake_.cancel();
}

asio::awaitable<void> AlertService::DrainLoop() {
  std::shared_ptr<bool> alive = alive_;
  while (*alive && !stopping_) {
    for (Delivery& d : dispatcher_.TakeDue(Now())) {
      asio::co_spawn(executor_, Deliver(std::move(d)), asio::detached);
    }
    const auto next = dispatcher_.NextDue(Now());
    wake_.expires_at(next ? *next : Now() + std::chrono::hours(1));
    co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

asio::awaitable<void> AlertService::Deliver(Delivery d) {
  std::shared_ptr<bool> alive = alive_;
  std::shared_ptr<AlertChannel> channel = channels_[d.channel];
  Status result;
  try {
    result = co_await channel->Send(d.event, d.repeats);
  } catch (const std::exception& e) {
    result = InternalError(std::string("delivery threw: ") + e.what());
  }
  if (!*alive) co_return;
  const ChannelHealth& before = dispatcher_.health()[d.channel];
  if (!result.ok() && before.consecutive_failures == 0) {
    spdlog::warn("alerts: channel {} failed ({}): {}", before.name, d.event.type, result.message());
  } else if (result.ok() && before.consecutive_failures > 0) {
    spdlog::warn("alerts: channel {} works again", before.name);
  }
  dispatcher_.Complete(d.id, result, Now(), WallMs());
  wake_.cancel();
}

asio::awaitable<bool> AlertService::Flush(std::chrono::milliseconds bound) {
  asio::steady_timer timer(executor_);
  const auto deadline = Now() + bound;
  while (!dispatcher_.Idle() && Now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  co_return dispatcher_.Idle();
}

}  // namespace zm::alerts
