// The alert channels (adapters): each delivers ONE event per call and returns the outcome.
//
//   webhook   POST the event JSON (event.h EventJson) to the URL, with the optional header;
//             any 2xx is success.
//   telegram  Bot API sendMessage (POST {api_base_url}/bot<TOKEN>/sendMessage, JSON
//             {chat_id, text}); success is HTTP 200 with {"ok":true}. The token is read from
//             bot_token_file when the channel is built and registered for redaction; it is in
//             the request path only, never in a message, log line or error.
//   command   fork/exec argv (no shell) with the event JSON on stdin, stdout to /dev/null,
//             stderr kept (first 200 bytes) for the error; exit 0 is success. The process gets
//             `timeout`, then SIGKILL (its whole process group). Never blocks the event loop:
//             the stdin write is asynchronous and the exit is polled on a timer.
// Webhook and telegram use net::HttpClient with the Kite rules: TLS 1.2+ with verification,
// plain http only to loopback, every phase bounded by the channel's timeout.
// Ownership: a channel borrows the executor and the TLS context (must outlive it).
// Threading: the process's io_context thread only.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "common/alert_config.h"
#include "common/alerts/event.h"
#include "common/status.h"

namespace zm::alerts {

class AlertChannel {
 public:
  virtual ~AlertChannel() = default;
  // `repeats`: duplicates collapsed into this event (chat text says so).
  virtual boost::asio::awaitable<Status> Send(AlertEvent event, int repeats) = 0;
};

// Builds the channel of `config`. A channel that cannot work (unreadable bot token file, bad
// URL) is still returned: it fails every Send() with the reason, so `status` shows it failing.
std::unique_ptr<AlertChannel> MakeChannel(boost::asio::any_io_executor executor,
                                          boost::asio::ssl::context& tls,
                                          const AlertChannelConfig& config,
                                          const std::string& account);

// A channel that fails every Send() with `why`.
std::unique_ptr<AlertChannel> MakeBrokenChannel(std::string why);

}  // namespace zm::alerts
