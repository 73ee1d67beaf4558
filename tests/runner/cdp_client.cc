#include "runner/cdp_client.h"

#include <boost/beast/core/detail/base64.hpp>
#include <fstream>
#include <thread>

#include "common/text_file.h"

namespace zm::testing {

using nlohmann::json;

Status CdpClient::Connect(uint16_t port, const std::string& target) {
  return ws_.Connect(port, target, std::chrono::seconds(10));
}

Result<json> CdpClient::Call(const std::string& method, const json& params,
                             std::chrono::milliseconds timeout) {
  const int64_t id = next_id_++;
  json command = {{"id", id}, {"method", method}};
  if (!params.is_null()) command["params"] = params;
  ws_.SendText(command.dump());
  auto answer = ws_.ReadUntil(
      [id](const TestWsClient::Message& m) {
        const json j = json::parse(m.data, nullptr, false);
        return j.is_object() && j.value("id", int64_t{-1}) == id;
      },
      timeout);
  if (!answer.ok())
    return Status(answer.status().code(), method + ": " + answer.status().message());
  const json j = json::parse(answer->data, nullptr, false);
  if (j.contains("error")) return InternalError(method + ": " + j["error"].dump());
  return j.value("result", json::object());
}

Result<json> CdpClient::Evaluate(const std::string& expression, std::chrono::milliseconds timeout) {
  auto r =
      Call("Runtime.evaluate",
           {{"expression", expression}, {"returnByValue", true}, {"awaitPromise", true}}, timeout);
  if (!r.ok()) return r.status();
  if (r->contains("exceptionDetails")) {
    return InternalError("evaluate threw: " + (*r)["exceptionDetails"].dump());
  }
  return (*r)["result"].value("value", json());
}

Result<uint16_t> WaitForDevToolsPort(const std::string& user_data_dir,
                                     std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const std::filesystem::path file = std::filesystem::path(user_data_dir) / "DevToolsActivePort";
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto text = ReadTextFile(file)) {
      const size_t nl = text->find('\n');
      if (nl != std::string::npos) {
        const int port = std::atoi(text->substr(0, nl).c_str());
        if (port > 0 && port < 65536) return static_cast<uint16_t>(port);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return Status(StatusCode::kTimeout, "no DevToolsActivePort in " + user_data_dir);
}

Result<std::string> FirstPageTarget(uint16_t port) {
  auto list = HttpCall(port, "GET", "/json/list");
  if (!list.ok()) return list.status();
  for (const json& t : list->Json()) {
    if (t.value("type", "") != "page") continue;
    const std::string url = t.value("webSocketDebuggerUrl", "");
    const size_t path = url.find("/devtools/");
    if (path != std::string::npos) return url.substr(path);
  }
  return NotFound("no page target in /json/list: " + list->body);
}

Result<std::string> DecodeBase64(const std::string& text) {
  namespace b64 = boost::beast::detail::base64;
  std::string out(b64::decoded_size(text.size()), '\0');
  const auto [written, read] = b64::decode(out.data(), text.data(), text.size());
  // decode() stops at the padding: everything after what it read must be '='.
  if (text.find_first_not_of('=', read) != std::string::npos) return ParseError("malformed base64");
  out.resize(written);
  return out;
}

}  // namespace zm::testing
