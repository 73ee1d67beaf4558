// WsClientImpl: Beast websocket over tcp_stream (loopback) or ssl_stream<tcp_stream>.
//
// A Run() creates one WsSession (shared_ptr; every pending handler holds it, so nothing dangles
// when Run() returns while a write or the idle timer is still completing). The idle rule is
// ours, not Beast's: Beast's keep-alive pings would count control frames, while Kite's rule is
// "no message for idle_timeout". One steady_timer waits for last_message + idle_timeout and
// re-arms itself if messages arrived meanwhile (no per-message timer cancel). After Close() the
// same timer bounds the close handshake to phase_timeout. While a write is in flight the timer
// also waits for its deadline (write_timeout): a peer that stops reading fills the TCP window
// and would otherwise hold the write, and the queue behind it, forever.
#include "common/net/ws_client.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <deque>

#include "common/log_text.h"
#include "common/net/await.h"
#include "common/net/connect.h"
#include "common/url.h"

namespace zm::net {
namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
using SteadyClock = std::chrono::steady_clock;

class WsSessionBase {
 public:
  virtual ~WsSessionBase() = default;
  virtual asio::awaitable<Status> Run(Url url, WsHandlers handlers) = 0;
  virtual void Send(std::string data, bool binary) = 0;
  virtual void Close() = 0;
  virtual bool connected() const = 0;
};

template <typename Ws>
class WsSession final : public WsSessionBase, public std::enable_shared_from_this<WsSession<Ws>> {
 public:
  static constexpr bool kTls = !std::is_same_v<typename Ws::next_layer_type, beast::tcp_stream>;

  template <typename... Args>
  WsSession(asio::any_io_executor executor, WsOptions options, Args&&... args)
      : ws_(executor, std::forward<Args>(args)...), timer_(executor), options_(options) {}

  asio::awaitable<Status> Run(Url url, WsHandlers handlers) override;
  void Send(std::string data, bool binary) override;
  void Close() override;
  bool connected() const override { return open_ && !closing_; }

 private:
  beast::tcp_stream& tcp() { return beast::get_lowest_layer(ws_); }
  asio::awaitable<Status> Connect(const Url& url);
  asio::awaitable<error_code> ReadLoop(const WsHandlers& handlers);
  Status Outcome(const error_code& ec);
  void ArmTimer(SteadyClock::time_point at);
  void OnTimer(error_code ec);
  SteadyClock::time_point NextDeadline() const;
  void Fail(StatusCode code, std::string why);
  void DropUnsent();
  void WriteNext();
  void StartClose();
  void CloseSocket() {
    error_code ignored;
    tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    tcp().close();
  }

  Ws ws_;
  asio::steady_timer timer_;
  WsOptions options_;
  std::deque<std::pair<std::string, bool>> queue_;  // (data, binary); front is in flight
  size_t queued_bytes_ = 0;                         // sum of the queue's message sizes
  bool open_ = false, closing_ = false, writing_ = false, idle_fired_ = false;
  bool close_started_ = false;
  std::string failure_;  // a write, queue or handler failure, reported by Run()
  StatusCode failure_code_ = StatusCode::kConnectionLost;
  SteadyClock::time_point last_message_;
  SteadyClock::time_point write_deadline_;  // of the write in flight
};

template <typename Ws>
asio::awaitable<Status> WsSession<Ws>::Connect(const Url& url) {
  Status status = co_await ConnectTcp(tcp(), url.host, url.port, options_.phase_timeout,
                                      /*loopback_only=*/!url.tls);
  if (status.ok() && closing_) co_return Status::Ok();
  if constexpr (kTls) {
    if (status.ok())
      status = co_await TlsHandshake(ws_.next_layer(), url.host, options_.phase_timeout);
  }
  if (!status.ok() || closing_) co_return status;
  tcp().expires_never();  // from here on the websocket's own timeouts apply
  ws_.read_message_max(options_.max_message_bytes);
  ws_.set_option(websocket::stream_base::timeout{options_.phase_timeout,
                                                 websocket::stream_base::none(), false});
  ws_.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
    req.set(beast::http::field::user_agent, "zerodha-mtm/1.0");
  }));
  const bool default_port = url.port == (url.tls ? "443" : "80");
  const std::string host = default_port ? url.host : url.host + ":" + url.port;
  websocket::response_type response;
  // url.target carries the access token: it goes on the wire here and nowhere else.
  auto [ec] = co_await ws_.async_handshake(response, host, url.target, kAwait);
  if (!ec) co_return Status::Ok();
  if (response.result() == beast::http::status::forbidden) {
    co_return Status(StatusCode::kToken,
                     "ticker upgrade answered 403: access token invalid or expired")
        .WithHttp(403, "TokenException");
  }
  std::string why = "ticker upgrade failed: " + ec.message();
  if (response.result_int() != 0) why += " (HTTP " + std::to_string(response.result_int()) + ")";
  co_return Status(StatusCode::kConnectFailed, why);
}

template <typename Ws>
asio::awaitable<Status> WsSession<Ws>::Run(Url url, WsHandlers handlers) {
  auto self = this->shared_from_this();  // alive until Run() returns, whatever the owner does
  Status status = co_await Connect(url);
  if (!status.ok() || closing_) {
    CloseSocket();
    co_return closing_ ? Status::Ok() : status;
  }
  open_ = true;
  last_message_ = SteadyClock::now();
  ArmTimer(last_message_ + options_.idle_timeout);
  try {
    if (handlers.on_open) handlers.on_open();
  } catch (const std::exception& e) {
    failure_ = std::string("on_open handler threw: ") + e.what();
    CloseSocket();
  }
  const error_code ec = co_await ReadLoop(handlers);
  open_ = false;
  timer_.cancel();
  CloseSocket();
  co_return Outcome(ec);
}

template <typename Ws>
asio::awaitable<error_code> WsSession<Ws>::ReadLoop(const WsHandlers& handlers) {
  beast::flat_buffer buffer;
  for (;;) {
    buffer.clear();
    auto [ec, size] = co_await ws_.async_read(buffer, kAwait);
    if (ec) co_return ec;
    last_message_ = SteadyClock::now();
    const std::string_view message(static_cast<const char*>(buffer.data().data()), size);
    try {
      if (ws_.got_text()) {
        if (handlers.on_text) handlers.on_text(message);
      } else if (handlers.on_binary) {
        handlers.on_binary(message);
      }
    } catch (const std::exception& e) {
      Fail(StatusCode::kConnectionLost, std::string("message handler threw: ") + e.what());
    }
  }
}

template <typename Ws>
Status WsSession<Ws>::Outcome(const error_code& ec) {
  if (!failure_.empty()) return Status(failure_code_, failure_);
  if (ec == websocket::error::message_too_big) {
    return Status(StatusCode::kConnectionLost, "ticker sent a message over " +
                                                   std::to_string(options_.max_message_bytes) +
                                                   " bytes: connection closed");
  }
  if (idle_fired_) {
    return Status(
        StatusCode::kTimeout,
        "no message for " + std::to_string(options_.idle_timeout.count()) + " ms (idle rule)");
  }
  if (closing_) return Status::Ok();
  if (ec == websocket::error::closed) {
    const auto& reason = ws_.reason();
    const std::string why(reason.reason.data(), reason.reason.size());
    return Status(StatusCode::kConnectionLost,
                  "peer closed the ticker connection: code " + std::to_string(reason.code) +
                      (why.empty() ? "" : " reason '" + SanitizeForLog(why, 123) + "'"));
  }
  return Status(StatusCode::kConnectionLost, "ticker connection lost: " + ec.message());
}

template <typename Ws>
void WsSession<Ws>::ArmTimer(SteadyClock::time_point at) {
  timer_.expires_at(at);
  timer_.async_wait([self = this->shared_from_this()](error_code ec) { self->OnTimer(ec); });
}

template <typename Ws>
void WsSession<Ws>::OnTimer(error_code ec) {
  if (ec || !open_) return;  // cancelled (re-armed elsewhere or session over)
  const auto now = SteadyClock::now();
  if (closing_) {  // the close handshake's bound
    CloseSocket();
    return;
  }
  if (writing_ && now >= write_deadline_) {
    Fail(StatusCode::kTimeout, "ticker write not done after " +
                                   std::to_string(options_.write_timeout.count()) +
                                   " ms (peer not reading)");
    return;
  }
  if (now < last_message_ + options_.idle_timeout) {
    ArmTimer(NextDeadline());
    return;
  }
  idle_fired_ = true;
  CloseSocket();
}

template <typename Ws>
SteadyClock::time_point WsSession<Ws>::NextDeadline() const {
  const auto idle_deadline = last_message_ + options_.idle_timeout;
  return writing_ ? std::min(idle_deadline, write_deadline_) : idle_deadline;
}

template <typename Ws>
void WsSession<Ws>::Fail(StatusCode code, std::string why) {
  if (failure_.empty()) {
    failure_ = std::move(why);
    failure_code_ = code;
  }
  DropUnsent();
  CloseSocket();
}

// Drops every queued message except the one in flight: its buffer must outlive its write.
template <typename Ws>
void WsSession<Ws>::DropUnsent() {
  const size_t keep = writing_ && !queue_.empty() ? 1 : 0;
  queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(keep), queue_.end());
  queued_bytes_ = keep ? queue_.front().first.size() : 0;
}

template <typename Ws>
void WsSession<Ws>::Send(std::string data, bool binary) {
  if (!open_ || closing_ || !failure_.empty()) return;
  if (queued_bytes_ + data.size() > options_.max_queued_bytes) {
    Fail(StatusCode::kConnectionLost, "ticker send queue over " +
                                          std::to_string(options_.max_queued_bytes) +
                                          " bytes (peer not reading)");
    return;
  }
  queued_bytes_ += data.size();
  queue_.emplace_back(std::move(data), binary);
  if (!writing_) WriteNext();
}

template <typename Ws>
void WsSession<Ws>::WriteNext() {
  if (queue_.empty() || !open_) {
    writing_ = false;
    return;
  }
  writing_ = true;
  write_deadline_ = SteadyClock::now() + options_.write_timeout;
  if (!closing_ && write_deadline_ < timer_.expiry()) ArmTimer(write_deadline_);
  ws_.binary(queue_.front().second);
  ws_.async_write(asio::buffer(queue_.front().first),
                  [self = this->shared_from_this()](error_code ec, size_t) {
                    self->writing_ = false;
                    if (!self->queue_.empty()) {
                      self->queued_bytes_ -= self->queue_.front().first.size();
                      self->queue_.pop_front();
                    }
                    if (ec) {
                      if (self->open_ && !self->closing_ && self->failure_.empty()) {
                        self->failure_ = "ticker write failed: " + ec.message();
                      }
                      self->queue_.clear();
                      self->queued_bytes_ = 0;
                      self->CloseSocket();
                    } else if (self->closing_) {
                      self->StartClose();
                    } else {
                      self->WriteNext();
                    }
                  });
}

template <typename Ws>
void WsSession<Ws>::Close() {
  if (closing_) return;
  closing_ = true;
  DropUnsent();  // what is not yet sent is dropped
  if (!open_) {  // still connecting: abort the phase in progress
    CloseSocket();
    return;
  }
  ArmTimer(SteadyClock::now() + options_.phase_timeout);
  if (!writing_) StartClose();
}

template <typename Ws>
void WsSession<Ws>::StartClose() {
  if (close_started_ || !open_) return;
  close_started_ = true;
  ws_.async_close(websocket::close_code::normal, [self = this->shared_from_this()](error_code ec) {
    if (ec) self->CloseSocket();  // the read loop ends either way
  });
}

using PlainWs = websocket::stream<beast::tcp_stream>;
using TlsWs = websocket::stream<beast::ssl_stream<beast::tcp_stream>>;

class WsClientImpl final : public WsClient {
 public:
  WsClientImpl(asio::any_io_executor executor, asio::ssl::context& tls, WsOptions options)
      : executor_(std::move(executor)), tls_(tls), options_(options) {}
  ~WsClientImpl() override {
    if (session_) session_->Close();
  }

  asio::awaitable<Status> Run(std::string url, WsHandlers handlers) override {
    if (session_) co_return InvalidArgument("WsClient::Run already active");
    auto parsed = ParseUrl(url);
    url.clear();  // carries the token; not kept
    if (!parsed.ok()) co_return InvalidArgument("bad ticker URL");
    if (parsed->scheme != "ws" && parsed->scheme != "wss") {
      co_return InvalidArgument("ticker URL must be ws:// or wss://");
    }
    if (!parsed->tls && !IsLoopbackHost(parsed->host)) {
      co_return InvalidArgument("plain ws:// is allowed only to a loopback host, not " +
                                parsed->host);
    }
    std::shared_ptr<WsSessionBase> session;
    if (parsed->tls) {
      session = std::make_shared<WsSession<TlsWs>>(executor_, options_, tls_);
    } else {
      session = std::make_shared<WsSession<PlainWs>>(executor_, options_);
    }
    session_ = session;
    Status status = co_await session->Run(std::move(parsed).value(), std::move(handlers));
    session_.reset();
    co_return status;
  }
  void SendText(std::string text) override {
    if (session_) session_->Send(std::move(text), false);
  }
  void SendBinary(std::string data) override {
    if (session_) session_->Send(std::move(data), true);
  }
  void Close() override {
    if (session_) session_->Close();
  }
  bool connected() const override { return session_ && session_->connected(); }

 private:
  asio::any_io_executor executor_;
  asio::ssl::context& tls_;
  WsOptions options_;
  std::shared_ptr<WsSessionBase> session_;
};

}  // namespace

std::unique_ptr<WsClient> WsClient::Create(asio::any_io_executor executor, asio::ssl::context& tls,
                                           WsOptions options) {
  return std::make_unique<WsClientImpl>(std::move(executor), tls, options);
}

}  // namespace zm::net
