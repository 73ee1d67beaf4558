// Gzip inflation for HTTP bodies sent with Content-Encoding: gzip (zlib). Pure function,
// thread-safe. Internal to zm_net (HttpClient) and its tests.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace zm::net {

// Inflates a gzip (or zlib) stream. Output larger than `max_bytes` or a corrupt/truncated
// stream -> kParseError.
Result<std::string> GunzipBody(std::string_view compressed, size_t max_bytes = 256u << 20);

// Compresses `data` as a gzip stream (the tests' servers and the simulator use it).
std::string GzipBody(std::string_view data);

}  // namespace zm::net
