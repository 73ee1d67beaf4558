#include "kite_sim/sim_server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "common/clock.h"
#include "common/kite/text_frame.h"
#include "common/spawned_task.h"

namespace zm::sim {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

namespace {

int64_t WallMs() { return ToEpochMs(std::chrono::system_clock::now()); }
int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

KiteSim::KiteSim(asio::io_context& ioc, Scenario scenario, uint64_t seed)
    : ioc_(ioc),
      scenario_(std::move(scenario)),
      clock_(WallMs, SteadyMs),
      market_(scenario_.instruments, seed),
      broker_(scenario_, &market_, clock_.NowMs()),
      acceptor_(ioc),
      market_timer_(ioc),
      order_timer_(ioc),
      started_(std::chrono::steady_clock::now()) {
  order_limits_.AddWindow(1000, scenario_.order_rate_limit);
  order_limits_.AddWindow(60'000, scenario_.order_rate_limit_per_minute);
  order_limits_.SetDailyLimit(scenario_.order_limit_per_day);
  quote_limits_.AddWindow(1000, scenario_.quote_rate_limit);
  other_limits_.AddWindow(1000, scenario_.other_rate_limit);
}

KiteSim::~KiteSim() = default;

int64_t KiteSim::NowMs() const { return clock_.NowMs(); }

int64_t KiteSim::MonotonicMs() const { return SteadyMs(); }

int64_t KiteSim::WallNowMs() const { return WallMs(); }

double KiteSim::SecondsSinceStart() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

Result<uint16_t> KiteSim::Listen(uint16_t port) {
  boost::system::error_code ec;
  const tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return Status(StatusCode::kIoError,
                  "listen on 127.0.0.1:" + std::to_string(port) + ": " + ec.message());
  return acceptor_.local_endpoint().port();
}

void KiteSim::Start() {
  for (const nlohmann::json& fault : scenario_.faults) {
    if (Status s = faults_.Apply(fault, MonotonicMs()); !s.ok())
      spdlog::warn("kite_sim: {}", s.message());
  }
  started_ = std::chrono::steady_clock::now();
  asio::co_spawn(ioc_, AcceptLoop(), LogIfThrown("kite_sim accept"));
  asio::co_spawn(ioc_, MarketLoop(), LogIfThrown("kite_sim market"));
  asio::co_spawn(ioc_, OrderLoop(), LogIfThrown("kite_sim orders"));
}

void KiteSim::Shutdown() {
  if (stopping_) return;
  stopping_ = true;
  boost::system::error_code ec;
  acceptor_.close(ec);
  market_timer_.cancel();
  order_timer_.cancel();
  for (beast::tcp_stream* stream : http_streams_) stream->socket().close(ec);
  for (asio::steady_timer* timer : hold_timers_) timer->cancel();
  DropAllWs();
}

asio::awaitable<void> KiteSim::AcceptLoop() {
  while (!stopping_) {
    auto [ec, socket] = co_await acceptor_.async_accept(kTuple);
    if (ec) {
      if (stopping_ || ec == asio::error::operation_aborted) break;
      continue;  // e.g. too many open files: keep serving
    }
    asio::co_spawn(ioc_, HttpSession(std::move(socket)), LogIfThrown("kite_sim session"));
  }
}

asio::awaitable<void> KiteSim::HttpSession(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  http_streams_.insert(&stream);
  beast::flat_buffer buffer;
  while (!stopping_) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(1 << 20);
    stream.expires_after(std::chrono::seconds(120));
    auto [ec, n] = co_await http::async_read(stream, buffer, parser, kTuple);
    if (ec) break;
    HttpRequest request = parser.release();
    if (beast::websocket::is_upgrade(request)) {
      http_streams_.erase(&stream);
      co_await WsSession(std::move(stream), std::move(request));
      co_return;
    }
    Reply reply = Handle(request);
    if (reply.hold.count() > 0) {
      asio::steady_timer hold(ioc_, reply.hold);
      hold_timers_.insert(&hold);
      co_await hold.async_wait(kTuple);
      hold_timers_.erase(&hold);
      RunOrderEngine();
    }
    if (stopping_ || reply.no_answer) break;
    reply.response.keep_alive(request.keep_alive());
    reply.response.prepare_payload();
    stream.expires_after(std::chrono::seconds(30));
    auto [wec, wn] = co_await http::async_write(stream, reply.response, kTuple);
    if (wec || !reply.response.keep_alive()) break;
  }
  http_streams_.erase(&stream);
  boost::system::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

asio::awaitable<void> KiteSim::MarketLoop() {
  while (!stopping_) {
    market_timer_.expires_after(std::chrono::milliseconds(scenario_.tick_interval_ms));
    co_await market_timer_.async_wait(kTuple);
    if (stopping_) break;
    market_.Advance(SecondsSinceStart());
    BroadcastTicks();
    SendHeartbeats();
  }
}

asio::awaitable<void> KiteSim::OrderLoop() {
  while (!stopping_) {
    order_timer_.expires_after(std::chrono::milliseconds(10));
    co_await order_timer_.async_wait(kTuple);
    if (stopping_) break;
    RunOrderEngine();
  }
}

void KiteSim::RunOrderEngine() {
  const int64_t now = NowMs();
  RunLateOrders(now);
  RunGtts(now);
  FillPolicy policy;
  policy.rest = faults_.orders_rest();
  policy.partial_fraction = faults_.partial_fraction();
  for (const kite::Order& order : broker_.Process(now, policy)) {
    BroadcastText(OrderFrame(order));
  }
}

}  // namespace zm::sim
