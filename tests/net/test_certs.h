// Test-only PKI built with the OpenSSL API at run time: a CA and a server certificate for
// "localhost" / 127.0.0.1 signed by it. Nothing is read from or written to disk.
#pragma once

#include <string>

namespace zm::net::testing {

struct TestPki {
  std::string ca_cert_pem;
  std::string server_cert_pem;  // leaf only
  std::string server_key_pem;
};

// Generates fresh P-256 keys and certificates valid from one hour ago for one day.
// `server_names`: the server certificate's subjectAltName.
TestPki MakeTestPki(const std::string& server_names = "DNS:localhost,IP:127.0.0.1");

}  // namespace zm::net::testing
