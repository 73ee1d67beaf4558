#include "common/status.h"

namespace zm {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "OK";
    case StatusCode::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case StatusCode::kNotFound:
      return "NOT_FOUND";
    case StatusCode::kIoError:
      return "IO_ERROR";
    case StatusCode::kParseError:
      return "PARSE_ERROR";
    case StatusCode::kConnectFailed:
      return "CONNECT_FAILED";
    case StatusCode::kTimeout:
      return "TIMEOUT";
    case StatusCode::kConnectionLost:
      return "CONNECTION_LOST";
    case StatusCode::kToken:
      return "TOKEN";
    case StatusCode::kRateLimited:
      return "RATE_LIMITED";
    case StatusCode::kBroker:
      return "BROKER";
    case StatusCode::kCancelled:
      return "CANCELLED";
    case StatusCode::kInternal:
      return "INTERNAL";
  }
  return "UNKNOWN";
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out = StatusCodeName(code_);
  if (http_status_ != 0) {
    out += " (HTTP " + std::to_string(http_status_);
    if (!error_type_.empty()) out += " " + error_type_;
    out += ")";
  }
  out += ": " + message_;
  return out;
}

}  // namespace zm
