// The schema of config keys the suite knows, for the unknown-key warnings (a typo such as
// `trading.mtm_los_threshold` must not pass silently), and the credentials' value rules.
// Internal to config.cc.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"

namespace zm {

// Section -> keys; "*" stands for any key (a section of names the user chooses, such as the
// instruments section's underlyings).
using KeysRead = std::map<std::string, std::set<std::string>>;

// The keys the config readers read (config_reader.h records every lookup), made once from a
// reading of a minimal file: a key is known exactly when some reader looks it up.
const KeysRead& KnownKeys();

// Appends "unknown key 'a.b' ignored" for every key of `root` outside the schema.
// (did you mean 'a.c'?) is added when a known key is within a few letters.
void CollectUnknownKeys(const YAML::Node& root, std::vector<std::string>* warnings);

// The candidate closest to `key` by edit distance when at most a third of its letters differ
// (at least one); "" when none is that close.
std::string ClosestKey(const std::string& key, const std::set<std::string>& candidates);

// zerodha.api_key: 6 to 64 letters, digits or '_' (Kite's keys are alphanumeric; '_' admits the
// simulator's "sim_key"). An error names the key and shows the value, escaped.
Status CheckApiKey(const std::string& api_key);
// zerodha.api_secret: at least 8 printable characters, no whitespace. The secret is registered
// for redaction in every log line, so a short one would mask ordinary letters everywhere. An
// error never shows any part of the value.
Status CheckApiSecret(const std::string& secret);

}  // namespace zm
