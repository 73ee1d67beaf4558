// The predecessor's (Python system's) config keys: its users start from their old config.yaml,
// so these keys are accepted as they are, never an error, with one info line each saying what
// became of them.
#include <algorithm>
#include <cstdio>

#include "common/config_reader.h"

namespace zm::config_internal {
namespace {

// What the suite does instead, for the keys without a counterpart here.
struct LegacyKey {
  const char* name;
  const char* instead;  // nullptr: mapped (api_call_timeout)
};

constexpr LegacyKey kLegacyKeys[] = {
    {"api_call_timeout", nullptr},
    {"order_placement_timeout",
     "an order request is bounded by zerodha.request_timeout and, after a timeout, looked up in "
     "the order book by its tag before anything is sent again"},
    {"order_verification_timeout",
     "a square-off is verified flat by fresh positions reads (risk_management.max_verify_rounds "
     "plans per position, 120 s per run)"},
    {"order_status_check_interval",
     "during a square-off the order book is read every 0.4 s and the WebSocket's order updates "
     "are applied as they arrive"},
};

std::string ValueText(const YAML::Node& node) {
  return node.IsScalar() ? node.Scalar() : Describe(node);
}

// api_call_timeout: the bound of one REST call. Used as zerodha.request_timeout unless that key
// is set; clamped into its range (0, 60].
std::string MapApiCallTimeout(const std::string& path, const YAML::Node& node,
                              const YAML::Node& root, Config* c) {
  double seconds = 0;
  if (!node.IsScalar() || !YAML::convert<double>::decode(node, seconds) || !(seconds > 0)) {
    return path + ": " + ValueText(node) + " (predecessor key) ignored: not a positive number";
  }
  const YAML::Node own = root["zerodha"] ? root["zerodha"]["request_timeout"] : YAML::Node();
  if (own && !own.IsNull()) {
    return path + ": " + ValueText(node) +
           " (predecessor key) ignored: zerodha.request_timeout is set";
  }
  c->zerodha.request_timeout = std::min(seconds, 60.0);
  char text[32];
  std::snprintf(text, sizeof text, "%g", c->zerodha.request_timeout);
  return path + ": " + ValueText(node) +
         " (predecessor key) used as zerodha.request_timeout = " + text +
         " s (each phase of a REST call)";
}

}  // namespace

void ReadLegacyKeys(Reader& r, const YAML::Node& root, Config* c, std::vector<std::string>* notes) {
  for (const char* section : {"risk_management", "trading"}) {
    const YAML::Node sec = root[section];
    const bool present = sec && sec.IsMap();  // Find() gives a null node for a missing section
    for (const LegacyKey& key : kLegacyKeys) {
      const YAML::Node node = r.Find(section, key.name);  // recorded also when absent
      if (!present || !node) continue;
      const std::string path = std::string(section) + "." + key.name;
      if (key.instead == nullptr) {
        notes->push_back(MapApiCallTimeout(path, node, root, c));
      } else {
        notes->push_back(path + ": " + ValueText(node) +
                         " (predecessor key) accepted, not used: " + key.instead);
      }
    }
  }
  const YAML::Node ws = root["websocket"];
  const YAML::Node retry = r.Find("websocket", "error_retry_interval");
  if (ws && ws.IsMap() && retry) {
    notes->push_back("websocket.error_retry_interval: " + ValueText(retry) +
                     " (predecessor key) accepted, not used: the ticker reconnects after 1 s, "
                     "doubling to 30 s (60 s after a rejected token)");
  }
}

}  // namespace zm::config_internal
