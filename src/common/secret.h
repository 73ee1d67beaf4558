// Secret: a string that must never be printed (api_secret, access_token).
//
// Streaming or fmt-formatting a Secret prints "***". The value is reachable only through
// reveal(), which is called where the secret is put on the wire (HTTP header, checksum, URL
// query) and nowhere else. The bytes a Secret owns are wiped with OPENSSL_cleanse when it is
// destroyed, overwritten or moved from, so a freed heap block or a core file taken later holds
// no copy (copies made by callers of reveal() are theirs to keep short-lived).
// Copyable value type; not thread-safe to mutate concurrently.
#pragma once

#include <fmt/format.h>
#include <openssl/crypto.h>

#include <ostream>
#include <string>
#include <utility>

namespace zm {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret& other) : value_(other.value_) {}
  Secret(Secret&& other) noexcept : value_(std::move(other.value_)) { other.Wipe(); }
  Secret& operator=(const Secret& other) {
    if (this != &other) {
      Wipe();
      value_ = other.value_;
    }
    return *this;
  }
  Secret& operator=(Secret&& other) noexcept {
    if (this != &other) {
      Wipe();
      value_ = std::move(other.value_);
      other.Wipe();
    }
    return *this;
  }
  ~Secret() { Wipe(); }

  const std::string& reveal() const { return value_; }
  bool empty() const { return value_.empty(); }
  bool operator==(const Secret& other) const { return value_ == other.value_; }

 private:
  // Overwrites the whole buffer, not just size() bytes: a moved-from short string keeps its
  // old characters in the inline buffer. resize() to capacity() never reallocates.
  void Wipe() noexcept {
    value_.resize(value_.capacity());
    OPENSSL_cleanse(value_.data(), value_.size());
    value_.clear();
  }

  std::string value_;
};

inline std::ostream& operator<<(std::ostream& os, const Secret&) { return os << "***"; }

// The redaction registry (secret.cc), the one home of "which values must never be printed":
// every log line (logging.h's sinks), alert text and CLI error passes through RedactSecrets.
// Secrets are registered where they enter the process, by building them with
// RegisteredSecret(): the config reader (api_secret, alert header values), the access token
// file readers (ReadAccessToken, TokenFileWatch), the bot token reader and the login answer.
// Thread-safe. Empty values are ignored.
void RegisterSecret(const std::string& value);
// Replaces every registered value in `text` by "***".
std::string RedactSecrets(std::string text);
// Secret(value), with value registered first.
Secret RegisteredSecret(std::string value);

}  // namespace zm

template <>
struct fmt::formatter<zm::Secret> : fmt::formatter<std::string_view> {
  template <typename Ctx>
  auto format(const zm::Secret&, Ctx& ctx) const {
    return fmt::formatter<std::string_view>::format("***", ctx);
  }
};
