#include "common/kite/json_fields.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <limits>

namespace zm::kite::internal {

FieldReader::FieldReader(const nlohmann::json& object, std::string_view what)
    : object_(object), what_(what) {
  if (!object_.is_object()) status_ = ParseError(what_ + ": expected a JSON object");
}

void FieldReader::Fail(const char* key, const char* problem) {
  if (status_.ok()) status_ = ParseError(what_ + ": " + problem + " '" + key + "'");
}

const nlohmann::json* FieldReader::Find(const char* key, bool required) {
  if (!object_.is_object()) return nullptr;
  auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) {
    if (required) Fail(key, "missing");
    return nullptr;
  }
  return &*it;
}

std::string FieldReader::Str(const char* key) {
  const nlohmann::json* v = Find(key, false);
  if (v == nullptr) return "";
  if (v->is_string()) return v->get<std::string>();
  // Some ids occasionally arrive as numbers; keep their text.
  if (v->is_number() || v->is_boolean()) return v->dump();
  Fail(key, "expected a string for");
  return "";
}

std::string FieldReader::RequiredStr(const char* key) {
  if (Find(key, true) == nullptr) return "";
  std::string value = Str(key);
  if (value.empty()) Fail(key, "empty");
  return value;
}

double FieldReader::Num(const char* key) {
  const nlohmann::json* v = Find(key, false);
  if (v == nullptr) return 0;
  // JSON has no infinity, but the parser turns an out-of-range literal (1e999) into one: a
  // price or value that large is as wrong as text, and would poison every sum it enters.
  if (v->is_number() && std::isfinite(v->get<double>())) return v->get<double>();
  if (v->is_string()) {  // tolerate "12.5" (never seen from Kite, cheap to accept)
    const std::string text = v->get<std::string>();
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (!text.empty() && end == text.c_str() + text.size() && std::isfinite(value)) return value;
  }
  Fail(key, "expected a number for");
  return 0;
}

double FieldReader::RequiredNum(const char* key) {
  if (Find(key, true) == nullptr) return 0;
  return Num(key);
}

long long FieldReader::Int(const char* key) {
  const double value = Num(key);
  if (!(std::fabs(value) < 9.0e15)) {
    Fail(key, "number out of range for");
    return 0;
  }
  return std::llround(value);
}

long long FieldReader::RequiredInt(const char* key) {
  if (Find(key, true) == nullptr) return 0;
  return Int(key);
}

uint32_t FieldReader::U32(const char* key) {
  const long long value = Int(key);
  if (value < 0 || value > static_cast<long long>(std::numeric_limits<uint32_t>::max())) {
    Fail(key, "out of uint32 range:");
    return 0;
  }
  return static_cast<uint32_t>(value);
}

nlohmann::json NumJson(double value) {
  if (std::isfinite(value) && std::fabs(value) < 9.0e15 && value == std::trunc(value)) {
    return static_cast<long long>(value);
  }
  return value;
}

nlohmann::json StrOrNull(const std::string& value) {
  if (value.empty()) return nullptr;
  return value;
}

std::string SafeDump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string FormatNumber(double value) {
  if (std::isfinite(value) && std::fabs(value) < 9.0e15 && value == std::trunc(value)) {
    return fmt::format("{}", static_cast<long long>(value));
  }
  return fmt::format("{}", value);
}

}  // namespace zm::kite::internal
