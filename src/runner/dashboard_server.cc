#include "runner/dashboard_server.h"

#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <deque>
#include <list>
#include <set>

#include "common/spawned_task.h"
#include "runner/dashboard_core.h"
#include "runner/dashboard_page.h"

namespace zm::runner {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// One open /events stream: its own queue, written by its own coroutine, one write at a time.
struct EventStream {
  explicit EventStream(beast::tcp_stream s)
      : tcp(std::move(s)), wake(tcp.get_executor(), asio::steady_timer::time_point::max()) {}
  beast::tcp_stream tcp;
  std::deque<std::shared_ptr<const std::string>> queue;
  asio::steady_timer wake;  // cancelled when an event is queued or the stream is closed
  bool closed = false;
  void Close() {
    closed = true;
    boost::system::error_code ec;
    tcp.socket().close(ec);
    wake.cancel();
  }
};

}  // namespace

struct DashboardServer::State {
  State(asio::any_io_executor ex, DashboardOptions opts)
      : executor(ex), options(std::move(opts)), acceptor(ex), push_timer(ex) {}
  asio::any_io_executor executor;
  DashboardOptions options;
  tcp::acceptor acceptor;
  asio::steady_timer push_timer;
  uint16_t port = 0;
  bool stopped = false;
  size_t connections = 0, dropped = 0;
  std::set<beast::tcp_stream*> requests;  // connections waiting for or answering a request
  std::list<std::shared_ptr<EventStream>> streams;
  std::string last_data;  // the last snapshot sent
  std::chrono::steady_clock::time_point last_sent{};

  std::string Snapshot() {
    try {
      return options.snapshot ? options.snapshot() : std::string("{}");
    } catch (const std::exception& e) {
      spdlog::error("dashboard: snapshot failed: {}", e.what());
      return "{}";
    }
  }
  void Queue(EventStream& s, std::shared_ptr<const std::string> frame) {
    if (s.closed) return;
    if (s.queue.size() >= options.max_queued) {  // the browser does not keep up: drop it
      ++dropped;
      s.Close();
      return;
    }
    s.queue.push_back(std::move(frame));
    s.wake.cancel();
  }
  void Broadcast(const std::string& frame) {
    auto shared = std::make_shared<const std::string>(frame);
    for (auto& s : streams) Queue(*s, shared);
  }
};

namespace {

using State = DashboardServer::State;

http::response<http::string_body> MakeResponse(DashboardRoute route, State& s,
                                               const http::request<http::string_body>& req) {
  http::response<http::string_body> res;
  res.version(req.version());
  res.keep_alive(req.keep_alive());
  res.set(http::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");  // the token is in the URL
  res.set("X-Frame-Options", "DENY");
  switch (route) {
    case DashboardRoute::kPage:
      res.result(http::status::ok);
      res.set(http::field::content_type, "text/html; charset=utf-8");
      res.set("Content-Security-Policy",
              "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
              "connect-src 'self'; img-src data:");
      res.body() = std::string(DashboardPageHtml());
      break;
    case DashboardRoute::kSnapshot:
      res.result(http::status::ok);
      res.set(http::field::content_type, "application/json");
      res.body() = s.Snapshot();
      break;
    case DashboardRoute::kForbidden:
      res.result(http::status::forbidden);
      res.set(http::field::content_type, "text/plain");
      res.body() = "403: the dashboard needs its ?token= (printed by zerodha_runner)\n";
      break;
    case DashboardRoute::kBadMethod:
      res.result(http::status::method_not_allowed);
      res.set(http::field::allow, "GET, HEAD");
      break;
    default:
      res.result(http::status::not_found);
      res.set(http::field::content_type, "text/plain");
      res.body() = "404\n";
      break;
  }
  res.prepare_payload();
  if (req.method() == http::verb::head) res.body().clear();  // Content-Length stays
  return res;
}

// Writes the stream's queue until it is closed, the client goes away or a write times out.
asio::awaitable<void> ServeEvents(std::shared_ptr<State> s, std::shared_ptr<EventStream> es) {
  static const std::string kHeader =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"
      "X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n"
      "Connection: close\r\n\r\n";
  if (s->last_data.empty()) s->last_data = s->Snapshot();
  s->Queue(*es, std::make_shared<const std::string>(kHeader + SseRetry(2000) +
                                                    SseEvent("snapshot", s->last_data)));
  while (!es->closed && !s->stopped) {
    if (es->queue.empty()) {
      es->wake.expires_at(asio::steady_timer::time_point::max());
      co_await es->wake.async_wait(kTuple);
      continue;
    }
    const std::shared_ptr<const std::string> frame = es->queue.front();
    es->tcp.expires_after(s->options.write_timeout);
    auto [ec, n] = co_await asio::async_write(es->tcp, asio::buffer(*frame), kTuple);
    if (ec) {
      if (ec == beast::error::timeout) ++s->dropped;
      break;
    }
    if (!es->queue.empty()) es->queue.pop_front();
  }
  es->Close();
  s->streams.remove(es);
}

asio::awaitable<void> Session(std::shared_ptr<State> s, tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  s->requests.insert(&stream);
  beast::flat_buffer buffer(16 * 1024);
  bool upgraded = false;
  while (!s->stopped) {
    http::request_parser<http::string_body> parser;  // a body is read (and ignored): a 405
    parser.header_limit(8 * 1024);
    parser.body_limit(4 * 1024);
    stream.expires_after(s->options.read_timeout);
    auto [ec, n] = co_await http::async_read(stream, buffer, parser, kTuple);
    if (ec) break;
    const auto& req = parser.get();
    const DashboardRoute route = RouteRequest(req.method_string(), req.target(), s->options.token);
    if (route == DashboardRoute::kEvents) {
      s->requests.erase(&stream);
      stream.expires_never();
      auto es = std::make_shared<EventStream>(std::move(stream));
      s->streams.push_back(es);
      upgraded = true;
      co_await ServeEvents(s, es);
      break;
    }
    auto res = MakeResponse(route, *s, req);
    stream.expires_after(s->options.write_timeout);
    auto [wec, wn] = co_await http::async_write(stream, res, kTuple);
    if (wec || !res.keep_alive()) break;
  }
  if (!upgraded) {
    s->requests.erase(&stream);
    boost::system::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  }
  --s->connections;
}

asio::awaitable<void> AcceptLoop(std::shared_ptr<State> s) {
  while (!s->stopped) {
    auto [ec, socket] = co_await s->acceptor.async_accept(kTuple);
    if (ec) {
      if (s->stopped || ec == asio::error::operation_aborted) break;
      continue;  // e.g. too many open files: keep serving
    }
    if (s->connections >= s->options.max_connections) continue;  // closed by its destructor
    ++s->connections;
    asio::co_spawn(s->executor, Session(s, std::move(socket)), LogIfThrown("dashboard session"));
  }
}

// Every `poll_interval` asks `changed` (cheap: no database read); builds and pushes a snapshot
// when it says yes or `push_interval` passed since the last one.
asio::awaitable<void> PushLoop(std::shared_ptr<State> s) {
  const auto tick = s->options.changed
                        ? std::min(s->options.poll_interval, s->options.push_interval)
                        : s->options.push_interval;
  auto last_built = std::chrono::steady_clock::now();
  while (!s->stopped) {
    s->push_timer.expires_after(tick);
    co_await s->push_timer.async_wait(kTuple);
    if (s->stopped) break;
    if (s->streams.empty()) {
      s->last_data.clear();  // nobody watches: no reads at all
      continue;
    }
    const auto now = std::chrono::steady_clock::now();
    const bool changed = s->options.changed && s->options.changed();
    if (!changed && now - last_built < s->options.push_interval) continue;
    last_built = now;
    std::string data = s->Snapshot();
    if (data != s->last_data) {
      s->Broadcast(SseEvent("snapshot", data));
      s->last_data = std::move(data);
      s->last_sent = now;
    } else if (now - s->last_sent >= s->options.keepalive_interval) {
      s->Broadcast(SseComment("keepalive"));
      s->last_sent = now;
    }
  }
}

}  // namespace

Result<std::string> RandomDashboardToken() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) return InternalError("no random bytes (OpenSSL)");
  return HexToken(bytes, sizeof(bytes));
}

Result<std::unique_ptr<DashboardServer>> DashboardServer::Start(asio::any_io_executor executor,
                                                                DashboardOptions options) {
  if (options.token.empty()) {
    auto token = RandomDashboardToken();
    if (!token.ok()) return token.status();
    options.token = *token;
  }
  auto s = std::make_shared<State>(executor, std::move(options));
  boost::system::error_code ec;
  const tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), s->options.port);
  s->acceptor.open(endpoint.protocol(), ec);
  if (!ec) s->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s->acceptor.bind(endpoint, ec);
  if (!ec) s->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return IoError("dashboard: listen on 127.0.0.1:" + std::to_string(s->options.port) + ": " +
                   ec.message());
  }
  s->port = s->acceptor.local_endpoint().port();
  asio::co_spawn(executor, AcceptLoop(s), LogIfThrown("dashboard accept"));
  asio::co_spawn(executor, PushLoop(s), LogIfThrown("dashboard push"));
  return std::unique_ptr<DashboardServer>(new DashboardServer(s));
}

DashboardServer::~DashboardServer() { Stop(); }

uint16_t DashboardServer::port() const { return state_->port; }

std::string DashboardServer::url() const {
  return DashboardUrl(state_->port, state_->options.token);
}

void DashboardServer::Stop() {
  State& s = *state_;
  if (s.stopped) return;
  s.stopped = true;
  boost::system::error_code ec;
  s.acceptor.close(ec);
  s.push_timer.cancel();
  for (beast::tcp_stream* stream : s.requests) stream->socket().close(ec);
  for (auto& es : std::list<std::shared_ptr<EventStream>>(s.streams)) es->Close();
}

size_t DashboardServer::streams() const { return state_->streams.size(); }

size_t DashboardServer::dropped_streams() const { return state_->dropped; }

}  // namespace zm::runner
