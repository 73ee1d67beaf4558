// DashboardServer: the dashboard's HTTP server (Boost.Beast) on 127.0.0.1 only. Serves the
// embedded page (dashboard_page.h), /snapshot.json and /events (server-sent events: the snapshot
// every `push_interval`, sooner when `changed` says so, while at least one stream is open);
// every request needs `?token=`
// (dashboard_core.h RouteRequest), otherwise 403.
//
// It runs on the caller's io_context (in `start`, the supervisor's single thread), so nothing
// here may wait: a request must arrive within `read_timeout`; each event stream has one write
// in flight at a time, at most `max_queued` events waiting, and a write that does not finish
// within `write_timeout` ends the stream, as does a full queue (a slow or stuck browser is
// dropped, never waited for; it reconnects by itself). At most `max_connections` connections;
// more are closed at once. `snapshot` is called on the io thread, once per push (not per
// client), and only while a stream is open; it must be short (DashboardData reads with a small
// busy timeout).
// Not thread-safe: create, use and Stop() on the io_context's thread. Handlers hold the shared
// state, so destroying the server (after Stop()) while handlers are pending is safe.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/status.h"

namespace zm::runner {

struct DashboardOptions {
  uint16_t port = 0;  // 0: any free port
  std::string token;  // required on every request; empty: a random one (RandomDashboardToken)
  std::function<std::string()> snapshot;  // the snapshot as JSON text
  std::chrono::milliseconds push_interval{1000};
  // Optional, polled every `poll_interval` while a stream is open: true when the data may have
  // changed (then a snapshot goes out at once instead of at the next push_interval). Must be
  // cheap (DashboardData::Changed: two stat() calls).
  std::function<bool()> changed;
  std::chrono::milliseconds poll_interval{200};
  std::chrono::milliseconds keepalive_interval{15000};  // comment when nothing changed
  std::chrono::milliseconds read_timeout{10000};
  std::chrono::milliseconds write_timeout{5000};
  size_t max_queued = 4;
  size_t max_connections = 32;
};

// 128 random bits (OpenSSL RAND_bytes) as 32 hex digits.
Result<std::string> RandomDashboardToken();

class DashboardServer {
 public:
  // Binds 127.0.0.1:port and starts accepting on `executor`.
  static Result<std::unique_ptr<DashboardServer>> Start(boost::asio::any_io_executor executor,
                                                        DashboardOptions options);
  ~DashboardServer();
  DashboardServer(const DashboardServer&) = delete;
  DashboardServer& operator=(const DashboardServer&) = delete;

  uint16_t port() const;
  // http://127.0.0.1:PORT/?token=TOKEN (never log it: the token opens the dashboard).
  std::string url() const;
  // Closes the listener and every connection. Idempotent.
  void Stop();
  // Event streams open now; events dropped clients so far (figures and tests).
  size_t streams() const;
  size_t dropped_streams() const;

  struct State;

 private:
  explicit DashboardServer(std::shared_ptr<State> state) : state_(std::move(state)) {}
  std::shared_ptr<State> state_;
};

}  // namespace zm::runner
