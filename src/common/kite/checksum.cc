// SHA-256 through OpenSSL's one-shot EVP_Digest.
#include "common/kite/checksum.h"

#include <openssl/evp.h>

#include <string>

namespace zm::kite {

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    return "";  // only on OpenSSL allocation failure; an empty checksum is rejected by Kite
  }
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

std::string SessionChecksum(std::string_view api_key, std::string_view request_token,
                            const Secret& api_secret) {
  std::string input;
  input.reserve(api_key.size() + request_token.size() + api_secret.reveal().size());
  input.append(api_key).append(request_token).append(api_secret.reveal());
  std::string checksum = Sha256Hex(input);
  // Do not leave the secret behind in freed memory longer than needed.
  std::fill(input.begin(), input.end(), '\0');
  return checksum;
}

}  // namespace zm::kite
