// HttpClient: async HTTP/1.1 client over TLS (or plain TCP to loopback only), Boost.Beast.
//
// Purpose: every REST call of the suite. TLS 1.2+, certificates verified against the TLS
// context's trust store (the system store in production), SNI and host name verification.
// Each phase (resolve, connect, handshake, write, read) has its own timeout. Connections are
// kept alive and reused; a reused connection found closed by the peer is reconnected once,
// transparently, only when the failure proves the request was not sent. The exact rule: an idle
// pooled connection is probed (non-blocking MSG_PEEK) before reuse and discarded on EOF, error
// or stray bytes; after that, a reused connection is retried once only if the write failed with
// 0 bytes sent (any method) or, for GET only, the read hit EOF/reset before any response byte.
// A written POST/PUT/DELETE is never resent (kConnectionLost / kTimeout). Responses with
// Content-Encoding gzip are inflated (zlib). Errors are returned, never thrown:
//   kConnectFailed  resolve/connect/handshake failed: the request was NOT sent.
//   kTimeout        write or read timed out: the request MAY have been executed.
//   kConnectionLost reset/EOF after the request was (partly) written: MAY have been executed.
// Threading: all calls on the executor's single thread (one io_context per process).
// Concurrent Request() calls are allowed; each uses its own pooled connection
// (max_connections bounds the idle connections kept). The client must outlive its requests.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace zm::net {

struct HttpRequest {
  std::string method = "GET";  // GET, POST, PUT, DELETE
  std::string target = "/";    // path + query, already encoded
  std::string body;            // for POST/PUT
  std::string content_type = "application/x-www-form-urlencoded";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

struct HttpResponse {
  int status = 0;
  std::string body;  // inflated when the peer sent gzip
  std::string content_type;
};

struct HttpClientOptions {
  std::chrono::milliseconds phase_timeout{7000};  // each of resolve/connect/handshake/write/read
  size_t max_connections = 4;                     // pooled keep-alive connections
  std::string user_agent = "zerodha-mtm/1.0";
};

class HttpClient {
 public:
  // base_url: "https://host[:port]" or "http://127.0.0.1:port" (http only to loopback, else
  // kInvalidArgument). `tls` must outlive the client; unused for http.
  static Result<std::unique_ptr<HttpClient>> Create(boost::asio::any_io_executor executor,
                                                    boost::asio::ssl::context& tls,
                                                    const std::string& base_url,
                                                    HttpClientOptions options = {});
  virtual ~HttpClient() = default;

  virtual boost::asio::awaitable<Result<HttpResponse>> Request(HttpRequest request) = 0;
  // Closes every pooled connection (shutdown).
  virtual void Close() = 0;
};

// A TLS client context: TLS 1.2 minimum, verify_peer, the system trust store; `extra_ca_pem`
// (tests) adds a CA certificate in PEM. Throws nothing; errors as kInvalidArgument.
Result<std::shared_ptr<boost::asio::ssl::context>> MakeClientTlsContext(
    const std::string& extra_ca_pem = "");

}  // namespace zm::net
