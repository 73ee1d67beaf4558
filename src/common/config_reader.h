// The config file's reader (internal to src/common/config*.cc): one error per key, the first
// error wins, every message names the key path, what was found and what was expected.
// Not thread-safe; one Reader per LoadConfig() call.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "common/config.h"
#include "common/config_keys.h"
#include "common/log_text.h"
#include "common/status.h"

namespace zm::config_internal {

// A short, single-line rendering of a YAML node for error messages.
inline std::string Describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
      return "null";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Scalar:
      return "'" + SanitizeForLog(node.Scalar(), 40) + "'";
    default:
      return "nothing";
  }
}

// The key (an instrument name is a YAML key) and what was found come from the file: escaped
// and capped, so that the error stays one readable line whatever the file holds.
inline Status KeyError(const std::string& key, const std::string& found,
                       const std::string& expected) {
  return InvalidArgument(SanitizeForLog(key, 100) + ": found " + SanitizeForLog(found, 100) +
                         ", expected " + expected);
}

// Reads config values with one error per key. The first error wins; later reads are no-ops.
class Reader {
 public:
  explicit Reader(const YAML::Node& root) : root_(root) {}

  const Status& status() const { return status_; }
  const KeysRead& keys_read() const { return keys_read_; }
  // A section whose keys are names the user chooses (instruments, freeze_limits, market_hours).
  void AnyKeyIn(const std::string& section) { keys_read_[section].insert("*"); }

  // Every key looked up, also after an error, is recorded in keys_read(): the readers are the
  // schema (KnownKeys() is made from a reading of a minimal file).
  YAML::Node Find(const std::string& section, const std::string& key) const {
    keys_read_[section].insert(key);
    const YAML::Node sec = root_[section];
    if (!sec || !sec.IsMap()) return YAML::Node();
    return sec[key];
  }

  void String(const std::string& section, const std::string& key, std::string* out,
              bool required = false) {
    const YAML::Node n = Present(section, key, required, "a value");
    if (!n) return;
    if (!n.IsScalar()) return Fail(section + "." + key, n, "a string");
    *out = n.Scalar();
    if (required && out->empty()) {
      status_ = KeyError(section + "." + key, "an empty string", "a non-empty string");
    }
  }

  void Number(const std::string& section, const std::string& key, double* out,
              bool required = false) {
    const YAML::Node n = Present(section, key, required, "a number");
    if (!n) return;
    double v = 0;
    if (!n.IsScalar() || !YAML::convert<double>::decode(n, v) || n.Tag() == "!") {
      return Fail(section + "." + key, n, "a number");
    }
    // YAML reads .inf, -.inf and .nan as numbers. -.inf would pass "a negative loss threshold"
    // and .inf "a positive profit target" (a trigger that can never fire), so no key takes one.
    if (!std::isfinite(v)) return Fail(section + "." + key, n, "a finite number");
    *out = v;
  }

  void Integer(const std::string& section, const std::string& key, long long* out) {
    Scalar(section, key, out, "a whole number");
  }

  void Bool(const std::string& section, const std::string& key, bool* out) {
    Scalar(section, key, out, "true or false");
  }

  // A number within [lo, hi] ((lo, hi] when lo_open); the error names the range after `unit`,
  // as in "seconds in (0, 60]". A missing key keeps *out (a default inside the range).
  void NumberIn(const std::string& section, const std::string& key, double* out, double lo,
                double hi, const char* unit, bool lo_open = false) {
    Number(section, key, out);
    const bool above_lo = lo_open ? *out > lo : *out >= lo;
    Check(above_lo && *out <= hi, section + "." + key, *out,
          std::string(unit) + " in " + (lo_open ? "(" : "[") + Shown(lo) + ", " + Shown(hi) + "]");
  }

  // A whole number within [lo, hi], kept in an int.
  void IntIn(const std::string& section, const std::string& key, int* out, int lo, int hi) {
    long long v = *out;
    Integer(section, key, &v);
    Check(v >= lo && v <= hi, section + "." + key, static_cast<double>(v),
          "a whole number in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    if (status_.ok()) *out = static_cast<int>(v);
  }

  // Range check on an already-read value.
  void Check(bool ok, const std::string& path, double found, const std::string& expected) {
    if (!status_.ok() || ok) return;
    status_ = KeyError(path, Shown(found), expected);
  }

  static std::string Shown(double value) {
    std::ostringstream s;
    s << value;
    return s.str();
  }

  void Set(Status s) {
    if (status_.ok()) status_ = std::move(s);
  }

 private:
  // The node at section.key when it holds something; otherwise an empty node, and when
  // `required` the error "<expected> (required key is missing)". Empty too once failed.
  YAML::Node Present(const std::string& section, const std::string& key, bool required,
                     const char* expected) {
    const YAML::Node n = Find(section, key);
    if (!status_.ok()) return YAML::Node(YAML::NodeType::Undefined);
    if (n && !n.IsNull()) return n;
    if (required) {
      status_ = KeyError(section + "." + key, "nothing",
                         std::string(expected) + " (required key is missing)");
    }
    return YAML::Node(YAML::NodeType::Undefined);
  }

  // An optional scalar that yaml-cpp decodes as T; anything else fails naming `expected`.
  template <typename T>
  void Scalar(const std::string& section, const std::string& key, T* out, const char* expected) {
    const YAML::Node n = Present(section, key, /*required=*/false, expected);
    if (!n) return;
    T v{};
    if (!n.IsScalar() || !YAML::convert<T>::decode(n, v))
      return Fail(section + "." + key, n, expected);
    *out = v;
  }

  void Fail(const std::string& path, const YAML::Node& n, const std::string& expected) {
    status_ = KeyError(path, Describe(n), expected);
  }

  YAML::Node root_;
  Status status_;
  mutable KeysRead keys_read_;
};

// config_account.cc: trading.mtm_basis, trading.day_starts_at, trading.square_off_time (a time
// or a map by exchange), risk_management.products and market_hours.
void ReadAccountKeys(Reader& r, const YAML::Node& root, Config* config);

// config.cc: every section but alerts and dashboard (config_alerts.h), in order; the legacy
// keys last. Recorded in r.keys_read() as read.
void ReadSections(Reader& r, const YAML::Node& root, const std::filesystem::path& config_dir,
                  Config* config, std::vector<std::string>* notes);

// config_legacy.cc: the predecessor's keys (api_call_timeout, order_placement_timeout,
// order_verification_timeout, order_status_check_interval under risk_management or trading;
// websocket.error_retry_interval), accepted as they are: mapped where a meaning exists, one
// info line each in `notes`, never an error. Runs after every other key was read.
void ReadLegacyKeys(Reader& r, const YAML::Node& root, Config* config,
                    std::vector<std::string>* notes);

}  // namespace zm::config_internal
