// check: every prerequisite of `start`, each with PASS/FAIL and the fix, and WARN rows for what
// does not stop the suite but should be fixed (secret files readable by others, no api_secret).
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <fstream>
#include <iostream>

#include "common/db_integrity.h"
#include "common/disk_space.h"
#include "common/kite/auth.h"
#include "common/logging.h"
#include "common/net/kite_rest_api.h"
#include "common/net/ws_client.h"
#include "common/url.h"
#include "runner/files.h"
#include "runner/render.h"
#include "runner/verbs.h"

namespace zm::runner {
namespace {

namespace asio = boost::asio;
using nlohmann::json;

struct CheckResult {
  std::string name;
  bool pass = false;
  std::string detail;  // what was found
  std::string fix;     // what to do when it failed (or warned)
  bool warn = false;   // with pass: shown as WARN, does not fail the check
};

bool IsNetworkFailure(const Status& s) {
  return s.code() == StatusCode::kConnectFailed || s.code() == StatusCode::kTimeout ||
         s.code() == StatusCode::kConnectionLost || s.code() == StatusCode::kInvalidArgument;
}

asio::awaitable<void> NetworkChecks(const Config& config, std::optional<Secret> token,
                                    std::vector<CheckResult>* out) {
  auto executor = co_await asio::this_coro::executor;
  auto tls = net::MakeClientTlsContext();
  if (!tls.ok()) {
    out->push_back({"REST reachable", false, tls.status().message(), "check the OpenSSL setup"});
    co_return;
  }
  net::HttpClientOptions http_options;
  http_options.phase_timeout =
      std::chrono::milliseconds(static_cast<long long>(config.zerodha.request_timeout * 1000));
  auto http = net::HttpClient::Create(executor, **tls, config.zerodha.api_base_url, http_options);
  if (!http.ok()) {
    out->push_back({"REST reachable", false, http.status().message(), "fix zerodha.api_base_url"});
    co_return;
  }
  kite::RestKiteApi api(std::move(*http), config.zerodha.api_key, token.value_or(Secret()));
  auto profile = co_await api.GetProfile();
  const bool reachable = profile.ok() || !IsNetworkFailure(profile.status());
  out->push_back({"REST reachable (" + config.zerodha.api_base_url + ")", reachable,
                  reachable ? "answered" : profile.status().ToString(),
                  "check the network / zerodha.api_base_url"});
  if (!token) {
    out->push_back(
        {"token accepted (GET /user/profile)", false, "no token", "run: zerodha_runner login"});
  } else if (reachable) {
    out->push_back({"token accepted (GET /user/profile)", profile.ok(),
                    profile.ok() ? "user " + profile->user_id : profile.status().ToString(),
                    "the token expired (daily at 06:00 IST): run zerodha_runner login"});
  }
  if (!token) co_return;
  net::WsOptions ws_options;
  ws_options.phase_timeout = std::chrono::seconds(5);
  auto ws = net::WsClient::Create(executor, **tls, ws_options);
  bool opened = false;
  net::WsHandlers handlers;
  handlers.on_open = [&] {
    opened = true;
    ws->Close();
  };
  handlers.on_binary = [](std::string_view) {};
  handlers.on_text = [](std::string_view) {};
  Status ws_status = co_await ws->Run(
      kite::TickerUrl(config.zerodha.ws_url, config.zerodha.api_key, *token), handlers);
  out->push_back({"WebSocket reachable (" + config.zerodha.ws_url + ")", opened,
                  opened ? "upgrade accepted" : ws_status.ToString(),
                  ws_status.code() == StatusCode::kToken
                      ? "the token was refused: run zerodha_runner login"
                      : "check the network / zerodha.ws_url"});
}

void LocalChecks(const Config& config, std::vector<CheckResult>* out) {
  std::error_code ec;
  const fs::path probe = config.data_dir / (".write_probe." + std::to_string(getpid()));
  bool writable = false;
  fs::create_directories(config.data_dir, ec);
  {
    std::ofstream f(probe);
    writable = static_cast<bool>(f << "probe");
  }
  fs::remove(probe, ec);
  out->push_back({"data dir writable", writable, config.data_dir.string(),
                  "create the folder or fix its permissions (paths.data_dir)"});
  const double min_mb = config.system_monitoring.min_free_mb;
  auto available = AvailableBytes(config.data_dir);
  const FreeSpaceVerdict space = EvaluateFreeSpace(available.ok() ? *available : 0, min_mb);
  out->push_back({"disk space >= " + std::to_string(static_cast<long long>(min_mb)) + " MB",
                  available.ok() && !space.low,
                  available.ok() ? space.text : available.status().message(),
                  "free some disk space where data_dir lives (system_monitoring.min_free_mb)"});
  // The journal database is never rebuilt silently: a corrupt one stops start-up.
  auto problem = QuickCheckFile(config.mtm_db_path());
  out->push_back({"zerodha_mtm.db intact", problem.ok() && !problem->has_value(),
                  !problem.ok()          ? problem.status().message()
                  : problem->has_value() ? config.mtm_db_path().string() + ": " + **problem
                                         : "quick_check ok (or not created yet)",
                  "the file is corrupt: move it aside (keep it: it holds the day's lock and the "
                  "square-off journal) and restore a backup, or start with an empty one"});
  for (const char* binary : {"zerodha_ltp_subscriber", "zerodha_mtm_monitor"}) {
    const fs::path path = SelfExeDir() / binary;
    const bool ok = ::access(path.c_str(), X_OK) == 0;
    out->push_back({std::string("binary ") + binary, ok, path.string(),
                    "build the suite (scripts/build.sh); keep the binaries together"});
  }
}

// A file holding a secret (config.yaml with api_secret, the token file) should be readable by
// its owner only.
void PrivacyCheck(const std::string& what, const fs::path& path, std::vector<CheckResult>* out) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return;  // absence is reported by the other checks
  const mode_t mode = st.st_mode & 07777;
  char octal[8];
  std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode));
  const bool shared = (mode & 077) != 0;
  out->push_back({what + " private (mode 0600)", true,
                  path.string() + " mode " + octal + (shared ? ": group/others can access it" : ""),
                  "chmod 600 " + path.string(), shared});
}

void SecretChecks(const Config& config, std::vector<CheckResult>* out) {
  const bool has_secret = !config.zerodha.api_secret.empty();
  out->push_back({"api_secret set (used only by login)", true,
                  has_secret ? "set" : "not set: the daemons run without it",
                  "add zerodha.api_secret before the next daily `zerodha_runner login`",
                  !has_secret});
  PrivacyCheck("config file", config.config_path, out);
  PrivacyCheck("token file", config.zerodha.access_token_file, out);
}

}  // namespace

int RunCheck(const Config& config, bool as_json) {
  std::vector<CheckResult> results;
  results.push_back({"config valid", true, config.config_path.string(), ""});
  auto token = ReadAccessToken(config);
  results.push_back(
      {"token file present", token.ok(),
       token.ok() ? config.zerodha.access_token_file.string() : token.status().message(),
       "run: zerodha_runner login"});
  std::optional<Secret> secret;
  if (token.ok()) secret = *token;
  LocalChecks(config, &results);
  SecretChecks(config, &results);
  {
    asio::io_context io;
    asio::co_spawn(io, NetworkChecks(config, secret, &results), [&](std::exception_ptr e) {
      if (e) results.push_back({"network checks", false, "internal error", "see the log"});
    });
    io.run();
  }
  bool all = true;
  json report = json::array();
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : results) {
    all = all && r.pass;
    const bool show_fix = !r.pass || r.warn;
    report.push_back({{"name", r.name},
                      {"pass", r.pass},
                      {"warn", r.warn},
                      {"detail", RedactSecrets(r.detail)},
                      {"fix", show_fix ? r.fix : ""}});
    rows.push_back({r.warn ? "WARN" : (r.pass ? "PASS" : "FAIL"), r.name, RedactSecrets(r.detail),
                    show_fix ? "fix: " + r.fix : ""});
  }
  if (as_json) {
    std::cout << json{{"ok", all}, {"checks", report}}.dump(2) << "\n";
  } else {
    std::cout << RenderTable({"", "CHECK", "FOUND", ""}, rows);
    std::cout << (all ? "all checks passed\n" : "some checks FAILED\n");
  }
  return all ? kExitOk : kExitRuntime;
}

}  // namespace zm::runner
