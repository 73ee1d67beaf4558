// AlertReceiver: a tiny loopback HTTP server (Beast, its own thread and io_context, 127.0.0.1
// port 0) standing in for a webhook receiver or Telegram's Bot API in tests. It records every
// request (method, target, headers, body, arrival time) and answers with `reply` (default 200
// {"ok":true}); in kBlackHole mode it reads requests and never answers (a hung receiver).
// Thread-safety: the public methods may be called from the test thread.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace zm::testing {

struct ReceivedRequest {
  std::string method, target, body;
  std::map<std::string, std::string> headers;  // lower-case names
  int64_t at_ms = 0;                           // wall clock on arrival
  nlohmann::json Json() const { return nlohmann::json::parse(body, nullptr, false); }
};

class AlertReceiver {
 public:
  enum class Mode { kAnswer, kBlackHole };
  struct Reply {
    int status = 200;
    std::string body = R"({"ok":true})";
  };

  AlertReceiver();
  ~AlertReceiver();
  AlertReceiver(const AlertReceiver&) = delete;
  AlertReceiver& operator=(const AlertReceiver&) = delete;

  uint16_t port() const { return port_; }
  std::string url(const std::string& path = "/") const;
  void set_mode(Mode mode) { mode_ = mode; }
  void set_reply(Reply reply);
  std::vector<ReceivedRequest> requests() const;
  // The requests whose JSON body (webhook) has "event" == type, or whose JSON "text" (Telegram)
  // contains `type_or_text`.
  std::vector<ReceivedRequest> WithEvent(const std::string& type) const;
  std::vector<ReceivedRequest> WithText(const std::string& text) const;

 private:
  boost::asio::awaitable<void> AcceptLoop();
  boost::asio::awaitable<void> Session(boost::asio::ip::tcp::socket socket);

  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::atomic<Mode> mode_{Mode::kAnswer};
  mutable std::mutex mu_;
  Reply reply_;
  std::vector<ReceivedRequest> requests_;
  std::thread thread_;
};

}  // namespace zm::testing
