// MakeClientTlsContext: TLS 1.2+, peer verification against the system store (+ an optional
// extra CA for tests). Host name checks and SNI are per connection (see http_client.cc).
#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>

#include "common/net/http_client.h"

namespace zm::net {

namespace ssl = boost::asio::ssl;

Result<std::shared_ptr<ssl::context>> MakeClientTlsContext(const std::string& extra_ca_pem) {
  try {
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
    if (SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION) != 1) {
      return InternalError("cannot set TLS 1.2 minimum");
    }
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_compression);
    boost::system::error_code ec;
    ctx->set_default_verify_paths(ec);
    if (ec) return InvalidArgument("system trust store unavailable: " + ec.message());
    ctx->set_verify_mode(ssl::verify_peer, ec);
    if (ec) return InternalError("cannot set verify_peer: " + ec.message());
    if (!extra_ca_pem.empty()) {
      ctx->add_certificate_authority(boost::asio::buffer(extra_ca_pem), ec);
      if (ec) return InvalidArgument("bad extra CA certificate: " + ec.message());
    }
    return ctx;
  } catch (const std::exception& e) {
    return InternalError(std::string("TLS context: ") + e.what());
  }
}

}  // namespace zm::net
