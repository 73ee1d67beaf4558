// URL parsing for the few URL shapes the suite uses (http, https, ws, wss), and the loopback
// rule: plain http:// and ws:// are allowed only to loopback hosts.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace zm {

struct Url {
  std::string scheme;  // lower case: http, https, ws, wss
  std::string host;    // without brackets for IPv6
  std::string port;    // explicit or the scheme's default ("443", "80")
  std::string target;  // path + query, at least "/"
  bool tls = false;    // https or wss
};

Result<Url> ParseUrl(std::string_view text);

// Exactly "localhost", or an IP address literal in 127.0.0.0/8 or ::1 (dotted quad / IPv6
// text as inet_pton parses it). Names like "127.0.0.999" or "127.1" are not loopback.
bool IsLoopbackHost(std::string_view host);

// Percent-encoding for form bodies and query strings (application/x-www-form-urlencoded).
std::string UrlEncode(std::string_view text);
std::string UrlDecode(std::string_view text);

}  // namespace zm
