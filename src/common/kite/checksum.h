// The login checksum: hex SHA-256 of api_key + request_token + api_secret (OpenSSL).
#pragma once

#include <string>
#include <string_view>

#include "common/secret.h"

namespace zm::kite {

std::string Sha256Hex(std::string_view data);
std::string SessionChecksum(std::string_view api_key, std::string_view request_token,
                            const Secret& api_secret);

}  // namespace zm::kite
