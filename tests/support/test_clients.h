// Blocking, time-bounded loopback clients for tests: HttpCall() (one HTTP/1.1 request) and
// TestWsClient (a WebSocket client with a background reader). Both use Beast on a private
// io_context, so they work from any test thread without touching the code under test's
// io_context. Every call is bounded by its timeout. Only 127.0.0.1 is ever contacted.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/status.h"

namespace zm::testing {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct TestHttpResponse {
  int status = 0;
  std::string body;
  std::string content_type;
  // The body as JSON (discarded value when it is not JSON).
  nlohmann::json Json() const { return nlohmann::json::parse(body, nullptr, false); }
};

// One request to 127.0.0.1:port. Errors: kConnectFailed, kTimeout, kConnectionLost.
Result<TestHttpResponse> HttpCall(uint16_t port, const std::string& method,
                                  const std::string& target, const std::string& body = "",
                                  const Headers& headers = {},
                                  std::chrono::milliseconds timeout = std::chrono::seconds(5));

// A Kite REST call with `Authorization: token KEY:TOKEN` and X-Kite-Version: 3; POST/PUT bodies
// are form-encoded.
Result<TestHttpResponse> KiteCall(uint16_t port, const std::string& method,
                                  const std::string& target, const std::string& form = "",
                                  const std::string& api_key = "sim_key",
                                  const std::string& access_token = "sim_token");

// TestWsClient: connect, send text, and read messages with a deadline. Messages received are
// queued by a background thread. Thread-safe for one test thread. Closes on destruction.
class TestWsClient {
 public:
  struct Message {
    bool binary = false;
    std::string data;
  };
  TestWsClient();
  ~TestWsClient();
  TestWsClient(const TestWsClient&) = delete;
  TestWsClient& operator=(const TestWsClient&) = delete;

  // Upgrades at 127.0.0.1:port + target. A refused upgrade returns an error whose
  // http_status() is the HTTP status of the answer (403 for bad credentials).
  Status Connect(uint16_t port, const std::string& target,
                 std::chrono::milliseconds timeout = std::chrono::seconds(5));
  void SendText(const std::string& text);
  // The next message, or kTimeout; kConnectionLost once the connection ended and the queue is
  // empty.
  Result<Message> Read(std::chrono::milliseconds timeout);
  // Reads until `match` returns true for a message (others are discarded) or the timeout.
  Result<Message> ReadUntil(const std::function<bool(const Message&)>& match,
                            std::chrono::milliseconds timeout);
  bool closed() const;
  void Close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace zm::testing
