#include "runner/login.h"

#include <cctype>
#include <map>

#include "common/text_file.h"
#include "common/url.h"

namespace zm::runner {
namespace {

bool IsTokenText(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::map<std::string, std::string> QueryParams(std::string_view query) {
  std::map<std::string, std::string> params;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    params[UrlDecode(pair.substr(0, eq))] = UrlDecode(pair.substr(eq + 1));
  }
  return params;
}

}  // namespace

std::string LoginUrl(std::string_view api_key) {
  return "https://kite.zerodha.com/connect/login?v=3&api_key=" + UrlEncode(api_key);
}

Result<std::string> ExtractRequestToken(std::string_view pasted) {
  const std::string_view text = TrimSpace(pasted);
  if (IsTokenText(text)) return std::string(text);
  const size_t q = text.find('?');
  if (q == std::string_view::npos) {
    return InvalidArgument(
        "not a request token nor a redirect URL: paste the whole address the browser shows "
        "after the Kite login, or just its request_token value");
  }
  std::string_view query = text.substr(q + 1);
  query = query.substr(0, query.find('#'));
  auto params = QueryParams(query);
  auto status = params.find("status");
  if (status != params.end() && status->second != "success") {
    return InvalidArgument("the redirect says status=" + status->second +
                           ": the login did not succeed, log in again");
  }
  auto token = params.find("request_token");
  if (token == params.end()) {
    return InvalidArgument("the redirect URL has no request_token parameter");
  }
  if (!IsTokenText(token->second)) {
    return InvalidArgument("request_token in the URL is not alphanumeric");
  }
  return token->second;
}

}  // namespace zm::runner
