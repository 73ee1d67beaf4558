// WsClient: one WebSocket client session (Kite ticker), Boost.Beast over TLS or plain TCP to
// loopback only. Same TLS rules as HttpClient. One write in flight with a queue behind it (like
// Beast's chat-multi). The idle rule: no message of any kind (heartbeats included) for
// `idle_timeout` means the connection is dead. Handlers are invoked on the executor's thread;
// they must not block. Errors are returned by Run(), never thrown.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace zm::net {

struct WsHandlers {
  std::function<void()> on_open;                    // upgrade succeeded
  std::function<void(std::string_view)> on_binary;  // binary message (ticks, heartbeats)
  std::function<void(std::string_view)> on_text;    // text message (JSON)
};

struct WsOptions {
  std::chrono::milliseconds phase_timeout{10000};  // resolve / connect / handshake / upgrade
  std::chrono::milliseconds idle_timeout{5000};    // no message at all for this long = dead
  // A peer that stops reading must not hold us forever nor make us buffer without limit:
  std::chrono::milliseconds write_timeout{10000};  // one message not written by then = dead
  size_t max_queued_bytes = 1 << 20;               // more unsent bytes than this = dead
  size_t max_message_bytes = 1 << 20;              // a longer incoming message = dead
};

class WsClient {
 public:
  static std::unique_ptr<WsClient> Create(boost::asio::any_io_executor executor,
                                          boost::asio::ssl::context& tls, WsOptions options = {});
  virtual ~WsClient() = default;

  // Connects to `url` (wss://host/path?query, or ws:// to loopback) and reads until the session
  // ends. Returns why: OK after Close(); kToken when the upgrade was answered 403;
  // kConnectFailed (resolve/connect/TLS/upgrade failure other than 403); kTimeout (idle rule);
  // kConnectionLost (peer closed or reset; the close reason is in the message, sanitised;
  // also an incoming message over max_message_bytes or a send queue over max_queued_bytes);
  // kTimeout also when one write took longer than write_timeout;
  // kInvalidArgument (bad URL, ws:// to a non-loopback host). The URL is never put in messages
  // (it carries the access token). One Run() at a time.
  virtual boost::asio::awaitable<Status> Run(std::string url, WsHandlers handlers) = 0;

  // Queues a text message; sent in order, one write in flight. Dropped when not connected.
  // Queuing beyond max_queued_bytes ends the session (Run() returns kConnectionLost): the
  // caller reconnects and re-sends its state rather than losing one message silently.
  virtual void SendText(std::string text) = 0;
  // Queues a binary message (the simulator's tests use this). Same rules as SendText.
  virtual void SendBinary(std::string data) = 0;
  // Starts a clean close; Run() returns OK soon after (bounded by phase_timeout).
  virtual void Close() = 0;
  virtual bool connected() const = 0;
};

}  // namespace zm::net
