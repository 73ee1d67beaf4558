// login: the daily Kite login. Prints the login URL; with the request token (or the pasted
// redirect URL) creates the session and writes the access token file (0600, atomically). The
// token is never printed; a running suite re-reads the file and picks it up without a restart.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <iostream>

#include "common/kite/checksum.h"
#include "common/logging.h"
#include "common/net/kite_rest_api.h"
#include "runner/files.h"
#include "runner/login.h"
#include "runner/verbs.h"

namespace zm::runner {
namespace {

namespace asio = boost::asio;

asio::awaitable<Result<kite::SessionToken>> CreateSession(const Config& config,
                                                          std::string request_token) {
  auto executor = co_await asio::this_coro::executor;
  auto tls = net::MakeClientTlsContext();
  if (!tls.ok()) co_return tls.status();
  net::HttpClientOptions options;
  options.phase_timeout =
      std::chrono::milliseconds(static_cast<long long>(config.zerodha.request_timeout * 1000));
  auto http = net::HttpClient::Create(executor, **tls, config.zerodha.api_base_url, options);
  if (!http.ok()) co_return http.status();
  kite::RestKiteApi api(std::move(*http), config.zerodha.api_key, Secret());
  const std::string checksum =
      kite::SessionChecksum(config.zerodha.api_key, request_token, config.zerodha.api_secret);
  co_return co_await api.CreateSession(request_token, checksum);
}

asio::awaitable<void> CreateSessionInto(const Config& config, std::string request_token,
                                        std::optional<Result<kite::SessionToken>>* out) {
  *out = co_await CreateSession(config, std::move(request_token));
}

}  // namespace

int RunLogin(const Config& config, const RunnerArgs& args) {
  // Asked before the browser step: finding out after the login would waste the request token.
  if (Status secret = RequireApiSecret(config); !secret.ok()) {
    std::cerr << "config error: " << secret.message() << "\n";
    return kExitUsage;
  }
  if (!args.login_input) {
    std::cout << "1. Open this URL in a browser and log in to Kite:\n   "
              << LoginUrl(config.zerodha.api_key) << "\n"
              << "2. After the login the browser lands on your app's redirect URL. Run:\n"
              << "   zerodha_runner login --request-token <request_token from that URL>\n"
              << "   (or paste the whole redirect URL:  zerodha_runner login '<URL>')\n";
    return kExitOk;
  }
  auto request_token = ExtractRequestToken(*args.login_input);
  if (!request_token.ok()) {
    std::cerr << "zerodha_runner login: " << request_token.status().message() << "\n";
    return kExitUsage;
  }
  std::optional<Result<kite::SessionToken>> session;
  {
    asio::io_context io;
    asio::co_spawn(io, CreateSessionInto(config, *request_token, &session),
                   [&](std::exception_ptr e) {
                     if (e) session = Result<kite::SessionToken>(InternalError("login failed"));
                   });
    io.run();
  }
  if (!session || !session->ok()) {
    std::cerr << "zerodha_runner login: the session could not be created: "
              << (session ? RedactSecrets(session->status().ToString()) : "no answer") << "\n"
              << "A request token works once and only for a few minutes: log in again.\n";
    return kExitRuntime;
  }
  RegisterSecret((*session)->access_token);
  const fs::path path = config.zerodha.access_token_file;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  Status written = WriteFileAtomically(path, (*session)->access_token + "\n", 0600);
  if (!written.ok()) {
    std::cerr << "zerodha_runner login: " << written.message() << "\n";
    return kExitRuntime;
  }
  std::cout << "logged in as " << (*session)->user_id << "; access token saved to " << path.string()
            << " (mode 0600, valid until 06:00 IST tomorrow)\n";
  return kExitOk;
}

}  // namespace zm::runner
