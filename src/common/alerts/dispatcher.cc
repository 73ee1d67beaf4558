#include "common/alerts/dispatcher.h"

#include <algorithm>

#include "common/backoff.h"

namespace zm::alerts {
namespace {
// At most 2^16 x retry_delay: max_retries (at most 10) bounds the attempts long before.
constexpr int kMaxRetryDoublings = 16;
constexpr auto kMinute = std::chrono::minutes(1);
}  // namespace

std::string ChannelHealth::state() const {
  if (consecutive_failures > 0) return "failing";
  return last_ok_at_ms > 0 ? "ok" : "idle";
}

nlohmann::json HealthToJson(const std::vector<ChannelHealth>& health) {
  nlohmann::json out = nlohmann::json::array();
  for (const ChannelHealth& h : health) {
    out.push_back({{"name", h.name},
                   {"type", h.type},
                   {"state", h.state()},
                   {"sent", h.sent},
                   {"failed", h.failed},
                   {"retried", h.retried},
                   {"dropped", h.dropped},
                   {"suppressed", h.suppressed},
                   {"queued", h.queued},
                   {"consecutive_failures", h.consecutive_failures},
                   {"last_error", h.last_error},
                   {"last_error_at_ms", h.last_error_at_ms},
                   {"last_ok_at_ms", h.last_ok_at_ms}});
  }
  return out;
}

Dispatcher::Dispatcher(DispatchPolicy policy, std::vector<ChannelInfo> channels) : policy_(policy) {
  for (auto& info : channels) {
    ChannelHealth h;
    h.name = info.name;
    h.type = info.type;
    health_.push_back(h);
    channels_.push_back(Channel{std::move(info), {}, {}, {}, {}, {}});
  }
}

int Dispatcher::Submit(const AlertEvent& event, MonoTime now, bool force) {
  int accepted = 0;
  for (size_t i = 0; i < channels_.size(); ++i) {
    Channel& c = channels_[i];
    if (!force && event.severity < c.info.min_severity) continue;
    Enqueue(c, health_[i], event, now);
    ++accepted;
  }
  return accepted;
}

void Dispatcher::Enqueue(Channel& c, ChannelHealth& h, const AlertEvent& event, MonoTime now) {
  const std::string key = event.key();
  auto seen = c.recent.find(key);
  if (seen != c.recent.end() && now - seen->second < policy_.duplicate_window) {
    ++h.suppressed;
    for (Pending& p : c.queue) {
      if (p.event.key() == key) ++p.repeats;
    }
    return;
  }
  c.recent[key] = now;
  // Forget keys older than the window so the map stays small.
  for (auto it = c.recent.begin(); it != c.recent.end();) {
    it = now - it->second >= policy_.duplicate_window && it->first != key ? c.recent.erase(it)
                                                                          : std::next(it);
  }
  if (c.queue.size() >= policy_.queue_limit && !c.queue.empty()) {
    auto lowest = std::min_element(
        c.queue.begin(), c.queue.end(),
        [](const Pending& a, const Pending& b) { return a.event.severity < b.event.severity; });
    if (lowest->event.severity > event.severity) {
      ++h.dropped;  // everything queued matters more than this one
      return;
    }
    c.queue.erase(lowest);
    ++h.dropped;
  }
  c.queue.push_back(Pending{event, 0, 0, now});
  h.queued = c.queue.size();
}

std::optional<MonoTime> Dispatcher::ReadyAt(const Channel& c, MonoTime now) const {
  if (c.in_flight || c.queue.empty()) return std::nullopt;
  MonoTime at = std::max(now, c.queue.front().not_before);
  if (static_cast<int>(c.attempts.size()) >= policy_.rate_per_minute) {
    // The oldest attempt in the window must age out first.
    const size_t oldest = c.attempts.size() - static_cast<size_t>(policy_.rate_per_minute);
    at = std::max(at, c.attempts[oldest] + kMinute);
  }
  return at;
}

std::vector<Delivery> Dispatcher::TakeDue(MonoTime now) {
  std::vector<Delivery> out;
  for (size_t i = 0; i < channels_.size(); ++i) {
    Channel& c = channels_[i];
    while (!c.attempts.empty() && now - c.attempts.front() >= kMinute) c.attempts.pop_front();
    auto ready = ReadyAt(c, now);
    if (!ready || *ready > now) continue;
    Pending p = std::move(c.queue.front());
    c.queue.pop_front();
    health_[i].queued = c.queue.size();
    c.attempts.push_back(now);
    const uint64_t id = next_id_++;
    c.in_flight = id;
    out.push_back(Delivery{id, i, p.event, p.attempt, p.repeats});
    c.in_flight_item = std::move(p);
  }
  return out;
}

void Dispatcher::Complete(uint64_t delivery_id, const Status& result, MonoTime now,
                          int64_t now_ms) {
  for (size_t i = 0; i < channels_.size(); ++i) {
    Channel& c = channels_[i];
    if (c.in_flight != delivery_id) continue;
    ChannelHealth& h = health_[i];
    Pending p = std::move(*c.in_flight_item);
    c.in_flight.reset();
    c.in_flight_item.reset();
    if (result.ok()) {
      ++h.sent;
      h.consecutive_failures = 0;
      h.last_ok_at_ms = now_ms;
      return;
    }
    ++h.consecutive_failures;
    h.last_error = result.message().substr(0, 300);
    h.last_error_at_ms = now_ms;
    if (p.attempt >= policy_.max_retries) {
      ++h.failed;
      return;
    }
    ++h.retried;
    p.not_before = now + DoublingBackoff(policy_.retry_delay, p.attempt,
                                         policy_.retry_delay * (1 << kMaxRetryDoublings));
    ++p.attempt;
    c.queue.push_front(std::move(p));  // keeps the channel's order
    h.queued = c.queue.size();
    return;
  }
}

std::optional<MonoTime> Dispatcher::NextDue(MonoTime now) const {
  std::optional<MonoTime> next;
  for (const Channel& c : channels_) {
    auto ready = ReadyAt(c, now);
    if (ready && (!next || *ready < *next)) next = ready;
  }
  return next;
}

bool Dispatcher::Idle() const {
  for (const Channel& c : channels_) {
    if (c.in_flight || !c.queue.empty()) return false;
  }
  return true;
}

}  // namespace zm::alerts
