#include "common/url.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>

namespace zm {

Result<Url> ParseUrl(std::string_view text) {
  // A URL has no spaces or control characters; a NUL in particular would cut the host short
  // for every C API that sees it (inet_pton, getaddrinfo), so that "[::1\0x]" looked loopback.
  for (unsigned char c : text) {
    if (c <= 0x20 || c == 0x7f) return InvalidArgument("space or control character in URL");
  }
  const auto sep = text.find("://");
  if (sep == std::string_view::npos) return InvalidArgument("missing scheme://");
  Url url;
  url.scheme = std::string(text.substr(0, sep));
  std::transform(url.scheme.begin(), url.scheme.end(), url.scheme.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (url.scheme == "https" || url.scheme == "wss") {
    url.tls = true;
    url.port = "443";
  } else if (url.scheme == "http" || url.scheme == "ws") {
    url.port = "80";
  } else {
    return InvalidArgument("unsupported scheme '" + url.scheme + "'");
  }
  std::string_view rest = text.substr(sep + 3);
  const auto slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  url.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (!url.target.empty() && url.target[0] == '?') url.target = "/" + url.target;
  if (authority.find('@') != std::string_view::npos) {
    return InvalidArgument("credentials in URLs are not allowed");
  }
  if (!authority.empty() && authority[0] == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return InvalidArgument("unterminated IPv6 host");
    url.host = std::string(authority.substr(1, close - 1));
    authority = authority.substr(close + 1);
    if (!authority.empty()) {
      if (authority[0] != ':') return InvalidArgument("junk after IPv6 host");
      url.port = std::string(authority.substr(1));
    }
  } else {
    const auto colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) url.port = std::string(authority.substr(colon + 1));
  }
  if (url.host.empty()) return InvalidArgument("missing host");
  if (url.port.empty() || url.port.size() > 5 ||
      !std::all_of(url.port.begin(), url.port.end(),
                   [](unsigned char c) { return std::isdigit(c); }) ||
      std::stoi(url.port) == 0 || std::stoi(url.port) > 65535) {
    return InvalidArgument("bad port '" + url.port + "'");
  }
  return url;
}

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost") return true;
  // Only what inet_pton accepts as an address literal: "127.0.0.999", "127.1" or "0x7f.1" are
  // not addresses, so they would go to a resolver, which could answer anything.
  if (host.find('\0') != std::string_view::npos) return false;  // C APIs would stop at it
  const std::string text(host);
  in_addr v4{};
  if (::inet_pton(AF_INET, text.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return ::inet_pton(AF_INET6, text.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

std::string UrlEncode(std::string_view text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string UrlDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 &&
               hex(text[i + 2]) >= 0) {
      out += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace zm
