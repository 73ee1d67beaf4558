#include "test_servers.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <future>

#include "common/net/gzip.h"

namespace zm::net::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using asio::ip::tcp;
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

unsigned short Listen(tcp::acceptor& acceptor) {
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  acceptor.open(endpoint.protocol());
  acceptor.set_option(tcp::acceptor::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen();
  return acceptor.local_endpoint().port();
}

void StopAndJoin(asio::io_context& ioc, std::thread& thread) {
  ioc.stop();
  if (thread.joinable()) thread.join();
}

}  // namespace

std::shared_ptr<asio::ssl::context> MakeServerTls(const std::string& cert_pem,
                                                  const std::string& key_pem) {
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  ctx->use_certificate_chain(asio::buffer(cert_pem));
  ctx->use_private_key(asio::buffer(key_pem), asio::ssl::context::pem);
  return ctx;
}

// --- HTTP -----------------------------------------------------------------------------------

TestHttpServer::TestHttpServer(Handler handler, std::shared_ptr<asio::ssl::context> tls)
    : acceptor_(ioc_), handler_(std::move(handler)), tls_(std::move(tls)) {
  port_ = Listen(acceptor_);
  asio::co_spawn(ioc_, AcceptLoop(), asio::detached);
  thread_ = std::thread([this] { ioc_.run(); });
}

TestHttpServer::~TestHttpServer() { StopAndJoin(ioc_, thread_); }

std::string TestHttpServer::base_url() const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

std::vector<RecordedRequest> TestHttpServer::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

void TestHttpServer::CloseAllConnections() {
  std::promise<void> done;
  asio::post(ioc_, [this, &done] {
    for (auto& weak : sockets_) {
      if (auto socket = weak.lock()) {
        boost::system::error_code ignored;
        socket->shutdown(tcp::socket::shutdown_both, ignored);
        socket->close(ignored);
      }
    }
    done.set_value();
  });
  done.get_future().wait_for(std::chrono::seconds(2));
}

asio::awaitable<void> TestHttpServer::AcceptLoop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(kAwait);
    if (ec) co_return;
    ++accepts_;
    asio::co_spawn(ioc_, Session(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> TestHttpServer::Session(tcp::socket socket) {
  if (!tls_) {
    beast::tcp_stream stream(std::move(socket));
    co_await Serve(stream);
    co_return;
  }
  beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *tls_);
  auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kAwait);
  if (!ec) co_await Serve(stream);
}

template <typename Stream>
asio::awaitable<void> TestHttpServer::Serve(Stream& stream) {
  // A shared handle on the raw socket so that CloseAllConnections() can close it.
  auto& raw = beast::get_lowest_layer(stream).socket();
  std::shared_ptr<tcp::socket> handle(&raw, [](tcp::socket*) {});
  sockets_.push_back(handle);
  beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> req;
    auto [ec, n] = co_await http::async_read(stream, buffer, req, kAwait);
    if (ec) break;
    RecordedRequest recorded{
        std::string(req.method_string()), std::string(req.target()), req.body(), {}};
    for (const auto& field : req) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      recorded.headers[name] = std::string(field.value());
    }
    {
      std::lock_guard lock(mu_);
      requests_.push_back(recorded);
    }
    const Mode mode = mode_;
    if (mode == Mode::kCloseWithoutAnswer) break;
    if (mode == Mode::kNeverAnswer) {
      asio::steady_timer timer(ioc_, std::chrono::seconds(30));
      co_await timer.async_wait(kAwait);
      break;
    }
    ServerReply reply = handler_(recorded);
    http::response<http::string_body> res{static_cast<http::status>(reply.status), 11};
    res.set(http::field::content_type, reply.content_type);
    if (reply.gzip) {
      res.set(http::field::content_encoding, "gzip");
      res.body() = GzipBody(reply.body);
    } else {
      res.body() = reply.body;
    }
    res.keep_alive(!reply.close && req.keep_alive());
    res.prepare_payload();
    auto [wec, written] = co_await http::async_write(stream, res, kAwait);
    if (wec || !res.keep_alive()) break;
  }
  boost::system::error_code ignored;
  raw.shutdown(tcp::socket::shutdown_both, ignored);
  raw.close(ignored);
  handle.reset();
}

// --- WebSocket ------------------------------------------------------------------------------

TestWsServer::TestWsServer(Mode mode, std::shared_ptr<asio::ssl::context> tls)
    : acceptor_(ioc_), mode_(mode), tls_(std::move(tls)) {
  port_ = Listen(acceptor_);
  asio::co_spawn(ioc_, AcceptLoop(), asio::detached);
  thread_ = std::thread([this] { ioc_.run(); });
}

TestWsServer::~TestWsServer() { StopAndJoin(ioc_, thread_); }

std::string TestWsServer::url() const {
  return std::string(tls_ ? "wss" : "ws") + "://127.0.0.1:" + std::to_string(port_) +
         "/?api_key=k&access_token=SECRET_TOKEN";
}

std::vector<std::string> TestWsServer::received() const {
  std::lock_guard lock(mu_);
  return received_;
}

asio::awaitable<void> TestWsServer::AcceptLoop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(kAwait);
    if (ec) co_return;
    ++accepts_;
    asio::co_spawn(ioc_, Session(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> TestWsServer::Session(tcp::socket socket) {
  if (!tls_) {
    co_await Serve(beast::tcp_stream(std::move(socket)));
    co_return;
  }
  beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *tls_);
  auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kAwait);
  if (!ec) co_await Serve(std::move(stream));
}

template <typename Stream>
asio::awaitable<void> TestWsServer::Serve(Stream tcp) {
  beast::flat_buffer buffer;
  http::request<http::string_body> req;
  auto [rec, n] = co_await http::async_read(tcp, buffer, req, kAwait);
  if (rec) co_return;
  if (mode_ == Mode::kReject403) {
    http::response<http::string_body> res{http::status::forbidden, 11};
    res.set(http::field::content_type, "application/json");
    res.body() =
        R"({"status":"error","message":"Invalid access token","error_type":"TokenException","data":null})";
    res.prepare_payload();
    co_await http::async_write(tcp, res, kAwait);
    co_return;
  }
  websocket::stream<Stream> ws(std::move(tcp));
  auto [aec] = co_await ws.async_accept(req, kAwait);
  if (aec) co_return;
  ws.text(true);
  co_await ws.async_write(asio::buffer(std::string("hello")), kAwait);
  if (mode_ == Mode::kCloseAfterHello || mode_ == Mode::kHostileClose) {
    const char* reason = mode_ == Mode::kCloseAfterHello ? "bye" : "bye\n\x1b[2Jforged\r";
    co_await ws.async_close(websocket::close_reason(websocket::close_code::policy_error, reason),
                            kAwait);
    co_return;
  }
  if (mode_ == Mode::kHugeMessage) {
    ws.binary(true);
    co_await ws.async_write(asio::buffer(std::string(2 << 20, 'x')), kAwait);
  }
  if (mode_ == Mode::kNoRead) {
    asio::steady_timer never(ws.get_executor(), std::chrono::seconds(60));
    co_await never.async_wait(kAwait);  // ended by the server's shutdown
    co_return;
  }
  if (mode_ == Mode::kEcho) {
    ws.binary(true);
    co_await ws.async_write(asio::buffer(std::string("\x01")), kAwait);
  }
  for (;;) {
    beast::flat_buffer message;
    auto [ec, size] = co_await ws.async_read(message, kAwait);
    if (ec) {
      if (ec == websocket::error::closed) saw_close_ = true;
      co_return;
    }
    std::string data = beast::buffers_to_string(message.data());
    const bool text = ws.got_text();
    {
      std::lock_guard lock(mu_);
      received_.push_back((text ? "T:" : "B:") + data);
    }
    if (mode_ != Mode::kEcho) continue;
    ws.text(text);
    auto [wec, w] = co_await ws.async_write(asio::buffer(data), kAwait);
    if (wec) co_return;
  }
}

}  // namespace zm::net::testing
