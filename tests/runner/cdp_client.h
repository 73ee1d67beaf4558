// CdpClient: a minimal Chrome DevTools Protocol client for the dashboard's browser test, over a
// Boost.Beast WebSocket (TestWsClient) to 127.0.0.1. Call() sends one command and waits (bounded)
// for the answer with its id, skipping the protocol's events. Test thread only.
#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "support/test_clients.h"

namespace zm::testing {

class CdpClient {
 public:
  // `target`: the page's WebSocket path (/devtools/page/ID), from GET /json/list.
  Status Connect(uint16_t port, const std::string& target);
  // The command's `result`, or an error (the protocol's error message, a timeout).
  Result<nlohmann::json> Call(const std::string& method, const nlohmann::json& params = {},
                              std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Runtime.evaluate with returnByValue (and awaitPromise): the expression's value.
  Result<nlohmann::json> Evaluate(const std::string& expression,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  TestWsClient ws_;
  int64_t next_id_ = 1;
};

// The DevTools port chromium wrote into <user-data-dir>/DevToolsActivePort (first line), waiting
// at most `timeout` for the file.
Result<uint16_t> WaitForDevToolsPort(const std::string& user_data_dir,
                                     std::chrono::milliseconds timeout);
// The WebSocket path of the first `page` target (GET /json/list on the DevTools port).
Result<std::string> FirstPageTarget(uint16_t port);
// Standard base64 (the screenshot); an error on malformed input.
Result<std::string> DecodeBase64(const std::string& text);

}  // namespace zm::testing
