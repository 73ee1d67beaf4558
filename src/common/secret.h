// Secret: a string that must never be printed (api_secret, access_token).
//
// Streaming or fmt-formatting a Secret prints "***". The value is reachable only through
// reveal(), which is called where the secret is put on the wire (HTTP header, checksum, URL
// query) and nowhere else. Copyable value type; not thread-safe to mutate concurrently.
#pragma once

#include <fmt/format.h>

#include <ostream>
#include <string>
#include <utility>

namespace zm {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}

  const std::string& reveal() const { return value_; }
  bool empty() const { return value_.empty(); }
  bool operator==(const Secret& other) const { return value_ == other.value_; }

 private:
  std::string value_;
};

inline std::ostream& operator<<(std::ostream& os, const Secret&) { return os << "***"; }

}  // namespace zm

template <>
struct fmt::formatter<zm::Secret> : fmt::formatter<std::string_view> {
  template <typename Ctx>
  auto format(const zm::Secret&, Ctx& ctx) const {
    return fmt::formatter<std::string_view>::format("***", ctx);
  }
};
