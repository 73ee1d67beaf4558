#include "support/test_clients.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <future>

namespace zm::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

namespace {

tcp::endpoint Loopback(uint16_t port) { return {asio::ip::make_address_v4("127.0.0.1"), port}; }

asio::awaitable<Result<TestHttpResponse>> DoHttpCall(uint16_t port,
                                                     http::request<http::string_body> req,
                                                     std::chrono::milliseconds timeout) {
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  stream.expires_after(timeout);
  auto [cec] = co_await stream.async_connect(Loopback(port), kTuple);
  if (cec) co_return Status(StatusCode::kConnectFailed, "connect: " + cec.message());
  auto [wec, wn] = co_await http::async_write(stream, req, kTuple);
  if (wec) co_return Status(StatusCode::kConnectionLost, "write: " + wec.message());
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  auto [rec, rn] = co_await http::async_read(stream, buffer, parser, kTuple);
  if (rec == beast::error::timeout) co_return Status(StatusCode::kTimeout, "read timed out");
  if (rec) co_return Status(StatusCode::kConnectionLost, "read: " + rec.message());
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  TestHttpResponse out;
  out.status = parser.get().result_int();
  out.body = parser.get().body();
  out.content_type = std::string(parser.get()[http::field::content_type]);
  co_return out;
}

// co_spawn needs default-constructible results: the outcome goes into `out` instead.
asio::awaitable<void> DoHttp(uint16_t port, http::request<http::string_body> req,
                             std::chrono::milliseconds timeout,
                             std::optional<Result<TestHttpResponse>>* out) {
  out->emplace(co_await DoHttpCall(port, std::move(req), timeout));
}

}  // namespace

Result<TestHttpResponse> HttpCall(uint16_t port, const std::string& method,
                                  const std::string& target, const std::string& body,
                                  const Headers& headers, std::chrono::milliseconds timeout) {
  http::request<http::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  req.keep_alive(false);
  for (const auto& [name, value] : headers) req.set(name, value);
  if (!body.empty() || method == "POST" || method == "PUT") {
    if (req.find(http::field::content_type) == req.end()) {
      req.set(http::field::content_type, "application/json");
    }
    req.body() = body;
    req.prepare_payload();
  }
  asio::io_context ioc(1);
  std::optional<Result<TestHttpResponse>> result;
  asio::co_spawn(ioc, DoHttp(port, std::move(req), timeout, &result), [&](std::exception_ptr e) {
    if (e) result.emplace(Status(StatusCode::kInternal, "http call threw"));
  });
  ioc.run_for(timeout + std::chrono::milliseconds(500));
  if (!result) return Status(StatusCode::kTimeout, method + " " + target + " timed out");
  return std::move(*result);
}

Result<TestHttpResponse> KiteCall(uint16_t port, const std::string& method,
                                  const std::string& target, const std::string& form,
                                  const std::string& api_key, const std::string& access_token) {
  Headers headers = {{"X-Kite-Version", "3"},
                     {"Authorization", "token " + api_key + ":" + access_token}};
  if (!form.empty() || method == "POST" || method == "PUT") {
    headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  }
  return HttpCall(port, method, target, form, headers);
}

// --- TestWsClient -----------------------------------------------------------------------------

struct TestWsClient::Impl {
  asio::io_context ioc{1};
  websocket::stream<beast::tcp_stream> ws{ioc};
  std::thread thread;
  mutable std::mutex mu;
  std::condition_variable cv;
  std::deque<Message> inbox;       // guarded by mu
  bool ended = false;              // guarded by mu
  std::deque<std::string> outbox;  // io thread only
  bool writing = false;            // io thread only

  asio::awaitable<void> Run(uint16_t port, std::string target, std::chrono::milliseconds timeout,
                            std::shared_ptr<std::promise<Status>> connected) {
    beast::get_lowest_layer(ws).expires_after(timeout);
    auto [cec] = co_await beast::get_lowest_layer(ws).async_connect(Loopback(port), kTuple);
    if (cec) {
      connected->set_value(Status(StatusCode::kConnectFailed, "connect: " + cec.message()));
      co_return End();
    }
    websocket::response_type res;
    auto [hec] =
        co_await ws.async_handshake(res, "127.0.0.1:" + std::to_string(port), target, kTuple);
    if (hec) {
      Status s(StatusCode::kConnectFailed, "upgrade: " + hec.message());
      s.WithHttp(res.result_int(), "");
      connected->set_value(s);
      co_return End();
    }
    beast::get_lowest_layer(ws).expires_never();
    connected->set_value(Status::Ok());
    beast::flat_buffer buffer;
    for (;;) {
      auto [rec, n] = co_await ws.async_read(buffer, kTuple);
      if (rec) break;
      {
        std::lock_guard lock(mu);
        inbox.push_back({ws.got_binary(), beast::buffers_to_string(buffer.data())});
      }
      cv.notify_all();
      buffer.consume(buffer.size());
    }
    End();
  }

  void End() {
    {
      std::lock_guard lock(mu);
      ended = true;
    }
    cv.notify_all();
  }

  asio::awaitable<void> WriteLoop() {
    writing = true;
    while (!outbox.empty()) {
      ws.text(true);
      auto [ec, n] = co_await ws.async_write(asio::buffer(outbox.front()), kTuple);
      if (ec) break;
      outbox.pop_front();
    }
    writing = false;
  }
};

TestWsClient::TestWsClient() : impl_(std::make_unique<Impl>()) {}

TestWsClient::~TestWsClient() { Close(); }

Status TestWsClient::Connect(uint16_t port, const std::string& target,
                             std::chrono::milliseconds timeout) {
  auto connected = std::make_shared<std::promise<Status>>();
  auto future = connected->get_future();
  asio::co_spawn(impl_->ioc, impl_->Run(port, target, timeout, connected), asio::detached);
  impl_->thread = std::thread([this] { impl_->ioc.run(); });
  if (future.wait_for(timeout + std::chrono::milliseconds(500)) != std::future_status::ready) {
    Close();
    return Status(StatusCode::kTimeout, "websocket connect timed out");
  }
  return future.get();
}

void TestWsClient::SendText(const std::string& text) {
  asio::post(impl_->ioc, [impl = impl_.get(), text] {
    impl->outbox.push_back(text);
    if (!impl->writing) asio::co_spawn(impl->ioc, impl->WriteLoop(), asio::detached);
  });
}

Result<TestWsClient::Message> TestWsClient::Read(std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mu);
  impl_->cv.wait_for(lock, timeout, [&] { return !impl_->inbox.empty() || impl_->ended; });
  if (!impl_->inbox.empty()) {
    Message m = std::move(impl_->inbox.front());
    impl_->inbox.pop_front();
    return m;
  }
  if (impl_->ended) return Status(StatusCode::kConnectionLost, "websocket closed");
  return Status(StatusCode::kTimeout, "no websocket message in time");
}

Result<TestWsClient::Message> TestWsClient::ReadUntil(
    const std::function<bool(const Message&)>& match, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return Status(StatusCode::kTimeout, "no matching message in time");
    auto m = Read(left);
    if (!m.ok() || match(*m)) return m;
  }
}

bool TestWsClient::closed() const {
  std::lock_guard lock(impl_->mu);
  return impl_->ended && impl_->inbox.empty();
}

void TestWsClient::Close() {
  if (!impl_->thread.joinable()) return;
  asio::post(impl_->ioc, [impl = impl_.get()] {
    beast::error_code ec;
    beast::get_lowest_layer(impl->ws).socket().shutdown(tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(impl->ws).close();
  });
  // The read fails at once after the close; stop() bounds it anyway.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(impl_->mu);
      if (impl_->ended) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  impl_->ioc.stop();
  impl_->thread.join();
}

}  // namespace zm::testing
