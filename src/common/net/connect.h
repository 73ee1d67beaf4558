// Shared connection phases of HttpClient and WsClient: resolve (bounded by a timer, since
// Asio's resolver has no deadline of its own), TCP connect and the TLS client handshake with
// SNI and host name verification. Every failure is kConnectFailed: nothing was sent yet.
// Internal to zm_net. Coroutines run on the stream's executor; no state is kept.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <string>

#include "common/status.h"

namespace zm::net {

// Resolves host:port and connects `tcp` (each phase bounded by `timeout`). IP literals and
// "localhost" (127.0.0.1) never reach the resolver. `loopback_only` (plain http/ws): every
// address is checked to be loopback right before connecting, whatever the name looked like.
boost::asio::awaitable<Status> ConnectTcp(boost::beast::tcp_stream& tcp, const std::string& host,
                                          const std::string& port,
                                          std::chrono::milliseconds timeout, bool loopback_only);

// Client TLS handshake on an already connected stream: SNI (for names, not IP literals),
// verification of the certificate chain (the context's verify_peer) and of the host name.
boost::asio::awaitable<Status> TlsHandshake(
    boost::beast::ssl_stream<boost::beast::tcp_stream>& stream, const std::string& host,
    std::chrono::milliseconds timeout);

}  // namespace zm::net
