#include "common/status.h"

#include "common/enum_names.h"

namespace zm {

constexpr auto kStatusCodeNames = MakeEnumNames<StatusCode>(
    {"OK", "INVALID_ARGUMENT", "NOT_FOUND", "IO_ERROR", "PARSE_ERROR", "CONNECT_FAILED", "TIMEOUT",
     "CONNECTION_LOST", "TOKEN", "RATE_LIMITED", "BROKER", "CANCELLED", "INTERNAL"});

const char* StatusCodeName(StatusCode code) { return kStatusCodeNames.Name(code, "UNKNOWN"); }

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
