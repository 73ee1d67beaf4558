// Status and Result<T>: the error currency of all logic code.
//
// A Status is either OK or carries a code, a one-line human message, and (for errors that came
// from Kite Connect) the HTTP status and Kite's error_type. Logic code returns Status/Result and
// never throws; adapters catch library exceptions and convert them here. Both types are plain
// values: cheap to copy, safe to pass between handlers, not thread-safe to mutate concurrently.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace zm {

// Names: kStatusCodeNames in status.cc, in this order (common/enum_names.h).
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // bad input: config, JSON, frame, CLI usage
  kNotFound,         // a file, row or order that does not exist
  kIoError,          // filesystem or database failure
  kParseError,       // malformed data from a peer
  // Network outcomes. kConnectFailed: the request was never sent (resolve, connect or TLS
  // handshake failed), so retrying cannot duplicate anything. kTimeout / kConnectionLost: the
  // request may have reached the peer; for orders the outcome is UNKNOWN and must be reconciled.
  kConnectFailed,
  kTimeout,
  kConnectionLost,
  kToken,        // 403 TokenException: the access token is invalid or expired
  kRateLimited,  // 429
  kBroker,       // any other Kite error answer (4xx/5xx with error_type)
  kCancelled,    // operation aborted because of shutdown
  kInternal,
  kMaxValue = kInternal,
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Set only for errors answered by an HTTP peer (Kite or the simulator).
  int http_status() const { return http_status_; }
  const std::string& error_type() const { return error_type_; }
  Status& WithHttp(int http_status, std::string error_type) {
    http_status_ = http_status;
    error_type_ = std::move(error_type);
    return *this;
  }

  // True when a request may or may not have been executed by the peer (see StatusCode).
  bool outcome_unknown() const {
    return code_ == StatusCode::kTimeout || code_ == StatusCode::kConnectionLost;
  }

  // "CODE: message" (plus HTTP details when present). Never contains secrets by construction:
  // callers must not put secrets in messages.
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  int http_status_ = 0;
  std::string error_type_;
};

inline Status InvalidArgument(std::string m) {
  return {StatusCode::kInvalidArgument, std::move(m)};
}
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
inline Status ParseError(std::string m) { return {StatusCode::kParseError, std::move(m)}; }
inline Status InternalError(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// Result<T>: a T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : value_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(value_).ok() && "Result built from an OK status");
  }

  bool ok() const { return std::holds_alternative<T>(value_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(value_);
  }
  T& value() & { return std::get<T>(value_); }
  const T& value() const& { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> value_;
};

}  // namespace zm

// Early-return helpers for functions returning Status or Result<T>.
#define ZM_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::zm::Status zm_status_ = (expr);        \
    if (!zm_status_.ok()) return zm_status_; \
  } while (0)
// The same inside a coroutine (co_return).
#define ZM_CO_RETURN_IF_ERROR(expr)             \
  do {                                          \
    ::zm::Status zm_status_ = (expr);           \
    if (!zm_status_.ok()) co_return zm_status_; \
  } while (0)
