#include "common/kite/auth.h"

#include "common/url.h"

namespace zm::kite {

std::string AuthorizationValue(const std::string& api_key, const Secret& access_token) {
  return "token " + api_key + ":" + access_token.reveal();
}

std::string TickerUrl(const std::string& ws_url, const std::string& api_key,
                      const Secret& access_token) {
  std::string url = ws_url;
  const size_t scheme_end = url.find("://");
  if (scheme_end != std::string::npos && url.find('/', scheme_end + 3) == std::string::npos) {
    url += "/";
  }
  url += url.find('?') == std::string::npos ? "?" : "&";
  return url + "api_key=" + UrlEncode(api_key) +
         "&access_token=" + UrlEncode(access_token.reveal());
}

}  // namespace zm::kite
