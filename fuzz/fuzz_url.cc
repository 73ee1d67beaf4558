// ParseUrl, IsLoopbackHost, the form codec: no crash; UrlDecode(UrlEncode(x)) == x; a host
// called loopback is "localhost" or made only of address characters.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/kite/models.h"
#include "common/url.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto url = zm::ParseUrl(text);
  if (url.ok()) {
    if (url->host.empty() || url->target.empty() || url->port.empty()) std::abort();
    if (zm::IsLoopbackHost(url->host) && url->host != "localhost" &&
        url->host.find_first_not_of("0123456789abcdefABCDEF.:") != std::string::npos) {
      std::abort();
    }
  }
  (void)zm::IsLoopbackHost(text);
  if (zm::UrlDecode(zm::UrlEncode(text)) != text) std::abort();
  (void)zm::kite::ParseForm(text);
  return 0;
}
