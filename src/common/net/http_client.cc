// HttpClientImpl: Beast HTTP/1.1 over tcp_stream or ssl_stream<tcp_stream>, with a keep-alive
// pool. See http_client.h for the contract.
//
// Stale connection rule (never a duplicate order):
//  1. Before a pooled connection is reused it is probed with a non-blocking MSG_PEEK recv: EOF,
//     an error or any unexpected byte (e.g. a TLS close_notify) -> it is discarded before a
//     single byte of the request is written. This catches a peer's idle close.
//  2. If a REUSED connection still fails, the request is retried once on a fresh connection
//     only when the failure proves the peer cannot have processed it:
//       - the write failed with 0 bytes transferred (any method), or
//       - the method is GET (read-only, so safe even if executed) and the read hit EOF/reset
//         before any byte of the response.
//     A POST/PUT/DELETE whose request was written is never resent: kConnectionLost/kTimeout.
#include "common/net/http_client.h"

#include <sys/socket.h>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "common/net/await.h"
#include "common/net/connect.h"
#include "common/net/gzip.h"
#include "common/url.h"

namespace zm::net {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
constexpr size_t kBodyLimit = 128u << 20;  // the full instruments dump is ~10 MB

// One connection: plain or TLS. Owned by the pool or by the one request using it.
struct Connection {
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;

  beast::tcp_stream& tcp() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
  void Close() {
    error_code ignored;
    tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    tcp().socket().close(ignored);
  }
  // Rule 1 above: true when the idle connection shows no sign of having been closed.
  bool LooksAlive() {
    if (!tcp().socket().is_open() || buffer.size() != 0) return false;
    char byte;
    const ssize_t n = ::recv(tcp().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
};

// What happened to one request on one connection.
struct Exchange {
  enum Phase { kWrite, kRead, kDone } phase = kWrite;
  error_code ec;
  size_t bytes_written = 0;
  bool got_response_bytes = false;
  http::response<http::string_body> response;
};

template <typename Stream>
asio::awaitable<Exchange> RunExchange(Stream& stream, Connection& conn,
                                      const http::request<http::string_body>& req,
                                      std::chrono::milliseconds timeout) {
  Exchange ex;
  conn.tcp().expires_after(timeout);
  auto [wec, written] = co_await http::async_write(stream, req, kAwait);
  ex.bytes_written = written;
  if (wec) {
    ex.ec = wec;
    co_return ex;
  }
  ex.phase = Exchange::kRead;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kBodyLimit);
  conn.tcp().expires_after(timeout);
  auto [rec, read] = co_await http::async_read(stream, conn.buffer, parser, kAwait);
  conn.tcp().expires_never();
  ex.got_response_bytes = parser.got_some() || conn.buffer.size() != 0;
  if (rec) {
    ex.ec = rec;
    co_return ex;
  }
  ex.phase = Exchange::kDone;
  ex.response = parser.release();
  co_return ex;
}

bool IsEofOrReset(const error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe;
}

// Rule 2 above.
bool SafeToRetry(const Exchange& ex, http::verb method) {
  if (ex.phase == Exchange::kWrite) return ex.bytes_written == 0 && ex.ec != beast::error::timeout;
  if (ex.phase == Exchange::kRead) {
    return method == http::verb::get && !ex.got_response_bytes && IsEofOrReset(ex.ec);
  }
  return false;
}

Status ExchangeError(const Exchange& ex, std::chrono::milliseconds timeout) {
  const bool write = ex.phase == Exchange::kWrite;
  const std::string phase = write ? "sending the request" : "reading the response";
  if (ex.ec == beast::error::timeout) {
    return Status(StatusCode::kTimeout,
                  "timed out after " + std::to_string(timeout.count()) + " ms " + phase);
  }
  return Status(StatusCode::kConnectionLost, "connection lost " + phase + ": " + ex.ec.message());
}

class HttpClientImpl final : public HttpClient {
 public:
  HttpClientImpl(asio::any_io_executor executor, asio::ssl::context& tls, Url url,
                 HttpClientOptions options)
      : executor_(std::move(executor)),
        tls_(tls),
        url_(std::move(url)),
        options_(std::move(options)) {
    const bool default_port = url_.port == (url_.tls ? "443" : "80");
    const bool v6 = url_.host.find(':') != std::string::npos;
    host_header_ = v6 ? "[" + url_.host + "]" : url_.host;
    if (!default_port) host_header_ += ":" + url_.port;
  }
  ~HttpClientImpl() override { Close(); }

  asio::awaitable<Result<HttpResponse>> Request(HttpRequest request) override;
  void Close() override {
    for (auto& conn : idle_) conn->Close();
    idle_.clear();
  }

 private:
  asio::awaitable<Result<std::unique_ptr<Connection>>> Connect();
  asio::awaitable<Exchange> Send(Connection& conn, const http::request<http::string_body>& req) {
    if (conn.tls) co_return co_await RunExchange(*conn.tls, conn, req, options_.phase_timeout);
    co_return co_await RunExchange(*conn.plain, conn, req, options_.phase_timeout);
  }
  std::unique_ptr<Connection> TakeIdle();
  Result<HttpResponse> Finish(Exchange& ex, std::unique_ptr<Connection> conn);

  asio::any_io_executor executor_;
  asio::ssl::context& tls_;
  Url url_;
  HttpClientOptions options_;
  std::string host_header_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

std::unique_ptr<Connection> HttpClientImpl::TakeIdle() {
  while (!idle_.empty()) {
    std::unique_ptr<Connection> conn = std::move(idle_.back());
    idle_.pop_back();
    if (conn->LooksAlive()) return conn;
    conn->Close();
  }
  return nullptr;
}

asio::awaitable<Result<std::unique_ptr<Connection>>> HttpClientImpl::Connect() {
  auto conn = std::make_unique<Connection>();
  if (url_.tls) {
    conn->tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(executor_, tls_);
  } else {
    conn->plain = std::make_unique<beast::tcp_stream>(executor_);
  }
  Status status = co_await ConnectTcp(conn->tcp(), url_.host, url_.port, options_.phase_timeout,
                                      /*loopback_only=*/!url_.tls);
  if (status.ok() && conn->tls) {
    status = co_await TlsHandshake(*conn->tls, url_.host, options_.phase_timeout);
  }
  if (!status.ok()) {
    conn->Close();
    co_return status;
  }
  co_return conn;
}

asio::awaitable<Result<HttpResponse>> HttpClientImpl::Request(HttpRequest request) {
  const http::verb method = http::string_to_verb(request.method);
  if (method == http::verb::unknown) co_return InvalidArgument("unknown HTTP method");
  http::request<http::string_body> req{method, request.target, 11};
  req.set(http::field::host, host_header_);
  req.set(http::field::user_agent, options_.user_agent);
  req.set(http::field::accept_encoding, "gzip");
  for (const auto& [name, value] : request.headers) req.set(name, value);
  if (!request.body.empty() || method == http::verb::post || method == http::verb::put) {
    req.set(http::field::content_type, request.content_type);
    req.body() = std::move(request.body);
  }
  req.keep_alive(true);
  req.prepare_payload();

  std::unique_ptr<Connection> conn = TakeIdle();
  const bool reused = conn != nullptr;
  if (!conn) {
    auto fresh = co_await Connect();
    if (!fresh.ok()) co_return fresh.status();
    conn = std::move(fresh).value();
  }
  Exchange ex = co_await Send(*conn, req);
  if (ex.phase != Exchange::kDone && reused && SafeToRetry(ex, method)) {
    conn->Close();
    auto fresh = co_await Connect();
    if (!fresh.ok()) co_return fresh.status();
    conn = std::move(fresh).value();
    ex = co_await Send(*conn, req);
  }
  co_return Finish(ex, std::move(conn));
}

Result<HttpResponse> HttpClientImpl::Finish(Exchange& ex, std::unique_ptr<Connection> conn) {
  if (ex.phase != Exchange::kDone) {
    conn->Close();
    return ExchangeError(ex, options_.phase_timeout);
  }
  if (ex.response.keep_alive() && idle_.size() < options_.max_connections) {
    idle_.push_back(std::move(conn));
  } else {
    conn->Close();
  }
  HttpResponse out;
  out.status = static_cast<int>(ex.response.result_int());
  out.content_type = std::string(ex.response[http::field::content_type]);
  const auto encoding = ex.response[http::field::content_encoding];
  if (beast::iequals(encoding, "gzip") || beast::iequals(encoding, "x-gzip")) {
    auto inflated = GunzipBody(ex.response.body(), kBodyLimit);
    if (!inflated.ok()) {
      // The request was executed; only its answer is unreadable.
      return Status(StatusCode::kConnectionLost, "unreadable gzip response body");
    }
    out.body = std::move(inflated).value();
  } else {
    out.body = std::move(ex.response.body());
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<HttpClient>> HttpClient::Create(asio::any_io_executor executor,
                                                       asio::ssl::context& tls,
                                                       const std::string& base_url,
                                                       HttpClientOptions options) {
  auto url = ParseUrl(base_url);
  if (!url.ok()) return url.status();
  if (url->scheme != "http" && url->scheme != "https") {
    return InvalidArgument("HttpClient needs an http(s) URL, got " + url->scheme);
  }
  if (!url->tls && !IsLoopbackHost(url->host)) {
    return InvalidArgument("plain http is allowed only to a loopback host, not " + url->host);
  }
  if (url->target != "/") return InvalidArgument("base URL must not have a path");
  return std::unique_ptr<HttpClient>(
      new HttpClientImpl(std::move(executor), tls, std::move(url).value(), std::move(options)));
}

}  // namespace zm::net
