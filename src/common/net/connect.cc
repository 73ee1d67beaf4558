#include "common/net/connect.h"

#include <openssl/ssl.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <vector>

#include "common/net/await.h"
#include "common/url.h"

namespace zm::net {
namespace {

namespace beast = boost::beast;
using asio::ip::tcp;

bool IsIpLiteral(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

std::string Ms(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

// The addresses to try for host:port.
asio::awaitable<Result<std::vector<tcp::endpoint>>> Resolve(const asio::any_io_executor& executor,
                                                            const std::string& host,
                                                            const std::string& port,
                                                            std::chrono::milliseconds timeout) {
  const std::string where = host + ":" + port;
  // "localhost" is loopback by definition (RFC 6761) and an address literal is itself: neither
  // goes to the resolver, so /etc/hosts or DNS cannot bend the loopback rule, and a machine
  // without a hosts entry (a minimal chroot or container) still reaches its own services.
  const std::string literal = host == "localhost" ? "127.0.0.1" : host;
  boost::system::error_code parse_ec;
  const asio::ip::address address = asio::ip::make_address(literal, parse_ec);
  if (!parse_ec) {
    // ParseUrl admits only 1..65535 as a port.
    const auto port_number = static_cast<unsigned short>(std::stoi(port));
    co_return std::vector<tcp::endpoint>{tcp::endpoint(address, port_number)};
  }
  auto resolver = std::make_shared<tcp::resolver>(executor);
  // The resolver is cancelled by a timer; both are shared with the timer's handler so that
  // nothing dangles whichever completes first.
  auto timer = std::make_shared<asio::steady_timer>(executor, timeout);
  auto timed_out = std::make_shared<bool>(false);
  timer->async_wait([resolver, timed_out](boost::system::error_code ec) {
    if (ec) return;
    *timed_out = true;
    resolver->cancel();
  });
  auto [rec, endpoints] = co_await resolver->async_resolve(host, port, kAwait);
  timer->cancel();
  if (*timed_out) {
    co_return Status(StatusCode::kConnectFailed,
                     "resolve " + where + " timed out after " + Ms(timeout));
  }
  if (rec) co_return Status(StatusCode::kConnectFailed, "resolve " + where + ": " + rec.message());
  std::vector<tcp::endpoint> out;
  for (const auto& entry : endpoints) out.push_back(entry.endpoint());
  co_return out;
}

}  // namespace

asio::awaitable<Status> ConnectTcp(beast::tcp_stream& tcp, const std::string& host,
                                   const std::string& port, std::chrono::milliseconds timeout,
                                   bool loopback_only) {
  const std::string where = host + ":" + port;
  // Plain text only to loopback: a name that is not a loopback literal is refused before any
  // lookup (no DNS query leaves the machine for "127.0.0.999"), and the addresses are checked
  // again below, right before connecting.
  if (loopback_only && !IsLoopbackHost(host)) {
    co_return Status(StatusCode::kConnectFailed,
                     "plain-text connection to " + where + " refused: not a loopback address");
  }
  auto endpoints = co_await Resolve(tcp.get_executor(), host, port, timeout);
  if (!endpoints.ok()) co_return endpoints.status();
  if (loopback_only) {
    for (const tcp::endpoint& endpoint : *endpoints) {
      if (!endpoint.address().is_loopback()) {
        co_return Status(StatusCode::kConnectFailed,
                         "plain-text connection to " + where + " refused: it resolves to " +
                             endpoint.address().to_string() + ", not a loopback address");
      }
    }
  }
  tcp.expires_after(timeout);
  auto [cec, endpoint] = co_await tcp.async_connect(*endpoints, kAwait);
  tcp.expires_never();
  if (cec == beast::error::timeout) {
    co_return Status(StatusCode::kConnectFailed,
                     "connect " + where + " timed out after " + Ms(timeout));
  }
  if (cec) co_return Status(StatusCode::kConnectFailed, "connect " + where + ": " + cec.message());
  boost::system::error_code ignored;
  tcp.socket().set_option(tcp::no_delay(true), ignored);
  co_return Status::Ok();
}

asio::awaitable<Status> TlsHandshake(beast::ssl_stream<beast::tcp_stream>& stream,
                                     const std::string& host, std::chrono::milliseconds timeout) {
  // SNI must be a name: RFC 6066 forbids IP literals in server_name.
  if (!IsIpLiteral(host) && !SSL_set_tlsext_host_name(stream.native_handle(), host.c_str())) {
    co_return Status(StatusCode::kConnectFailed, "TLS: cannot set SNI for " + host);
  }
  boost::system::error_code ec;
  stream.set_verify_callback(asio::ssl::host_name_verification(host), ec);
  if (ec) co_return Status(StatusCode::kConnectFailed, "TLS: " + ec.message());
  beast::get_lowest_layer(stream).expires_after(timeout);
  auto [hec] = co_await stream.async_handshake(asio::ssl::stream_base::client, kAwait);
  beast::get_lowest_layer(stream).expires_never();
  if (hec == beast::error::timeout) {
    co_return Status(StatusCode::kConnectFailed,
                     "TLS handshake with " + host + " timed out after " + Ms(timeout));
  }
  if (hec) {
    co_return Status(StatusCode::kConnectFailed,
                     "TLS handshake with " + host + " failed: " + hec.message());
  }
  co_return Status::Ok();
}

}  // namespace zm::net
