// Helpers shared by the kite tests: fixture files and base64 (OpenSSL), no I/O beyond reading
// the read-only fixtures in tests/fixtures/ (Zerodha's mock responses and tick packets, copied
// from ../shared/kite-mocks so that a clone of the project alone builds and tests).
#pragma once

#include <openssl/evp.h>

#include <fstream>
#include <sstream>
#include <string>

namespace zm::kite::testing {

inline std::string ReadFixture(const std::string& name) {
  std::ifstream in(std::string(ZM_SOURCE_DIR) + "/tests/fixtures/" + name, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A fixture copied into the repository (tests/fixtures/): new tests read only these.
inline std::string ReadLocalFixture(const std::string& name) {
  std::ifstream in(std::string(ZM_SOURCE_DIR) + "/tests/fixtures/" + name, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Decodes base64 text (whitespace trimmed); EVP_DecodeBlock pads its output to a multiple of 3,
// so the '=' padding is subtracted.
inline std::string Base64Decode(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  std::string out(text.size() / 4 * 3 + 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return "";
  size_t size = static_cast<size_t>(n);
  if (!text.empty() && text.back() == '=') --size;
  if (text.size() > 1 && text[text.size() - 2] == '=') --size;
  out.resize(size);
  return out;
}

}  // namespace zm::kite::testing
