// The webhook and telegram channels (channels.h) over net::HttpClient.

#include "common/alerts/channels.h"
#include "common/logging.h"
#include "common/net/http_client.h"
#include "common/text_file.h"
#include "common/url.h"

namespace zm::alerts {

std::unique_ptr<AlertChannel> MakeCommandChannel(boost::asio::any_io_executor executor,
                                                 const AlertChannelConfig& config,
                                                 const std::string& account);

namespace {

namespace asio = boost::asio;
using nlohmann::json;

// Fails every delivery with the reason the channel could not be built.
class BrokenChannel final : public AlertChannel {
 public:
  explicit BrokenChannel(std::string why) : why_(std::move(why)) {}
  asio::awaitable<Status> Send(AlertEvent, int) override {
    co_return Status(StatusCode::kInvalidArgument, why_);
  }

 private:
  std::string why_;
};

struct Endpoint {
  std::unique_ptr<net::HttpClient> client;
  std::string target_prefix;  // the URL's path (webhook) or "" (telegram base)
};

Result<Endpoint> Connect(asio::any_io_executor executor, asio::ssl::context& tls,
                         const std::string& url, double timeout_s) {
  auto parsed = ParseUrl(url);
  if (!parsed.ok()) return parsed.status();
  const std::string base =
      parsed->scheme + "://" +
      (parsed->host.find(':') != std::string::npos ? "[" + parsed->host + "]" : parsed->host) +
      ":" + parsed->port;
  net::HttpClientOptions options;
  options.phase_timeout = std::chrono::milliseconds(static_cast<long long>(timeout_s * 1000));
  options.max_connections = 1;
  auto client = net::HttpClient::Create(executor, tls, base, options);
  if (!client.ok()) return client.status();
  return Endpoint{std::move(*client), parsed->target};
}

// "HTTP 503: <first 120 bytes of the body>", redacted.
Status HttpFailure(int status, const std::string& body) {
  std::string excerpt = body.substr(0, 120);
  for (char& c : excerpt) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return Status(StatusCode::kBroker, RedactSecrets("HTTP " + std::to_string(status) +
                                                   (excerpt.empty() ? "" : ": " + excerpt)));
}

Status Redacted(const Status& s) { return Status(s.code(), RedactSecrets(s.message())); }

class WebhookChannel final : public AlertChannel {
 public:
  WebhookChannel(Endpoint endpoint, AlertChannelConfig config, std::string account)
      : endpoint_(std::move(endpoint)), config_(std::move(config)), account_(std::move(account)) {}

  asio::awaitable<Status> Send(AlertEvent event, int repeats) override {
    json body = EventJson(event, account_);
    if (repeats > 0) body["repeats"] = repeats;
    net::HttpRequest request;
    request.method = "POST";
    request.target = endpoint_.target_prefix;
    request.content_type = "application/json";
    request.body = body.dump();
    if (!config_.header_name.empty()) {
      request.headers.emplace_back(config_.header_name, config_.header_value.reveal());
    }
    auto response = co_await endpoint_.client->Request(std::move(request));
    if (!response.ok()) co_return Redacted(response.status());
    if (response->status < 200 || response->status > 299) {
      co_return HttpFailure(response->status, response->body);
    }
    co_return Status::Ok();
  }

 private:
  Endpoint endpoint_;
  AlertChannelConfig config_;
  std::string account_;
};

class TelegramChannel final : public AlertChannel {
 public:
  TelegramChannel(Endpoint endpoint, std::string token, std::string chat_id, std::string account)
      : endpoint_(std::move(endpoint)),
        token_(std::move(token)),
        chat_id_(std::move(chat_id)),
        account_(std::move(account)) {}

  asio::awaitable<Status> Send(AlertEvent event, int repeats) override {
    net::HttpRequest request;
    request.method = "POST";
    request.target = endpoint_.target_prefix + "/bot" + token_ + "/sendMessage";
    request.content_type = "application/json";
    request.body = json{
        {"chat_id", chat_id_},
        {"text", EventMessage(event, account_, repeats)},
        {"disable_web_page_preview",
         true}}.dump();
    auto response = co_await endpoint_.client->Request(std::move(request));
    if (!response.ok()) co_return Redacted(response.status());
    const json answer = json::parse(response->body, nullptr, false);
    const bool ok = answer.is_object() && answer.value("ok", false);
    if (response->status == 200 && ok) co_return Status::Ok();
    std::string description;
    if (answer.is_object() && answer.contains("description") && answer["description"].is_string())
      description = answer["description"].get<std::string>();
    co_return HttpFailure(response->status, description.empty() ? response->body : description);
  }

 private:
  Endpoint endpoint_;
  std::string token_;
  std::string chat_id_;
  std::string account_;
};

Result<std::string> ReadBotToken(const std::filesystem::path& file) {
  const std::optional<std::string> text = ReadTextFile(file);
  if (!text) return NotFound("bot token file " + file.string() + " is missing or unreadable");
  const std::string token(TrimSpace(*text));
  if (token.empty()) return InvalidArgument("bot token file " + file.string() + " is empty");
  if (token.find_first_of(" \t\r\n/?#") != std::string::npos) {
    return InvalidArgument("bot token file " + file.string() + " does not hold one token");
  }
  RegisterSecret(token);
  return token;
}

}  // namespace

std::unique_ptr<AlertChannel> MakeBrokenChannel(std::string why) {
  return std::make_unique<BrokenChannel>(std::move(why));
}

std::unique_ptr<AlertChannel> MakeChannel(asio::any_io_executor executor, asio::ssl::context& tls,
                                          const AlertChannelConfig& config,
                                          const std::string& account) {
  if (config.type == "command") return MakeCommandChannel(executor, config, account);
  if (config.type == "webhook") {
    auto endpoint = Connect(executor, tls, config.url, config.timeout);
    if (!endpoint.ok()) return std::make_unique<BrokenChannel>(endpoint.status().message());
    return std::make_unique<WebhookChannel>(std::move(*endpoint), config, account);
  }
  if (config.type == "telegram") {
    auto token = ReadBotToken(config.bot_token_file);
    if (!token.ok()) return std::make_unique<BrokenChannel>(token.status().message());
    auto endpoint = Connect(executor, tls, config.api_base_url, config.timeout);
    if (!endpoint.ok()) return std::make_unique<BrokenChannel>(endpoint.status().message());
    if (endpoint->target_prefix == "/") endpoint->target_prefix.clear();
    return std::make_unique<TelegramChannel>(std::move(*endpoint), std::move(*token),
                                             config.chat_id, account);
  }
  return std::make_unique<BrokenChannel>("unknown channel type '" + config.type + "'");
}

}  // namespace zm::alerts
