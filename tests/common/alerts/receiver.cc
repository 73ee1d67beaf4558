#include "common/alerts/receiver.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace zm::testing {
namespace {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
}  // namespace

AlertReceiver::AlertReceiver() : acceptor_(ioc_) {
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();
  asio::co_spawn(ioc_, AcceptLoop(), asio::detached);
  thread_ = std::thread([this] { ioc_.run(); });
}

AlertReceiver::~AlertReceiver() {
  ioc_.stop();
  if (thread_.joinable()) thread_.join();
}

std::string AlertReceiver::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void AlertReceiver::set_reply(Reply reply) {
  std::lock_guard lock(mu_);
  reply_ = std::move(reply);
}

std::vector<ReceivedRequest> AlertReceiver::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

std::vector<ReceivedRequest> AlertReceiver::WithEvent(const std::string& type) const {
  std::vector<ReceivedRequest> out;
  for (const auto& r : requests()) {
    const auto j = r.Json();
    if (j.is_object() && j.value("event", "") == type) out.push_back(r);
  }
  return out;
}

std::vector<ReceivedRequest> AlertReceiver::WithText(const std::string& text) const {
  std::vector<ReceivedRequest> out;
  for (const auto& r : requests()) {
    const auto j = r.Json();
    if (j.is_object() && j.value("text", "").find(text) != std::string::npos) out.push_back(r);
  }
  return out;
}

asio::awaitable<void> AlertReceiver::AcceptLoop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(kAwait);
    if (ec) co_return;
    asio::co_spawn(ioc_, Session(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> AlertReceiver::Session(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> req;
    auto [ec, n] = co_await http::async_read(stream, buffer, req, kAwait);
    if (ec) co_return;
    ReceivedRequest r{std::string(req.method_string()),
                      std::string(req.target()),
                      req.body(),
                      {},
                      std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count()};
    for (const auto& field : req) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r.headers[name] = std::string(field.value());
    }
    Reply reply;
    {
      std::lock_guard lock(mu_);
      requests_.push_back(r);
      reply = reply_;
    }
    if (mode_ == Mode::kBlackHole) {
      asio::steady_timer timer(ioc_, std::chrono::minutes(5));
      co_await timer.async_wait(kAwait);
      co_return;
    }
    http::response<http::string_body> res{static_cast<http::status>(reply.status), 11};
    res.set(http::field::content_type, "application/json");
    res.body() = reply.body;
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    auto [wec, wn] = co_await http::async_write(stream, res, kAwait);
    if (wec || !req.keep_alive()) co_return;
  }
}

}  // namespace zm::testing
