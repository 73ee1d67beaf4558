// The schema of config keys the suite knows, for the unknown-key warnings (a typo such as
// `trading.mtm_los_threshold` must not pass silently). Internal to config.cc.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace zm {

// Section -> known keys; "*" accepts any key (the instruments section's underlyings).
const std::map<std::string, std::set<std::string>>& KnownKeys();

// Appends "unknown key 'a.b' ignored" for every key of `root` outside the schema.
void CollectUnknownKeys(const YAML::Node& root, std::vector<std::string>* warnings);

}  // namespace zm
