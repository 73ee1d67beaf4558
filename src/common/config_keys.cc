#include "common/config_keys.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "common/config_alerts.h"
#include "common/config_reader.h"
#include "common/log_text.h"

namespace zm {

const KeysRead& KnownKeys() {
  static const KeysRead kKeys = [] {
    // The required keys valid (no reader stops at an error before reading the rest) and every
    // section with a reader of its own present (an absent one is not read at all).
    const YAML::Node minimal = YAML::Load(
        "{zerodha: {api_key: schema}, trading: {mtm_loss_threshold: -1, "
        "daily_max_profit_target: 1}, market_hours: {}, alerts: {}, dashboard: {}}");
    config_internal::Reader reader(minimal);
    Config config;
    std::vector<std::string> notes;
    config_internal::ReadSections(reader, minimal, "", &config, &notes);
    KeysRead keys = reader.keys_read();
    (void)ReadAlertsConfig(minimal, "", "", &config.alerts, &keys);
    (void)ReadDashboardConfig(minimal, &config.dashboard, &keys);
    return keys;
  }();
  return kKeys;
}

namespace {

// Key names come from the file: escaped and capped like every other echo of its text.
void AddWarning(std::vector<std::string>* warnings, const std::string& text) {
  warnings->push_back(SanitizeForLog(text, 200));
}

// Edit distance counting a swap of two neighbouring letters as one edit (optimal string
// alignment), for "did you mean": keys are short, the full table is nothing.
size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] =
          std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// "unknown key 'a.b' ignored", with the closest known key when one is close enough to be a
// typo (at most a third of the name's letters differ).
std::string UnknownKeyText(const std::string& prefix, const std::string& key,
                           const std::set<std::string>& candidates) {
  std::string text = "unknown key '" + prefix + key + "' ignored";
  const std::string best = ClosestKey(key, candidates);
  if (!best.empty()) text += " (did you mean '" + prefix + best + "'?)";
  return text;
}

std::set<std::string> SectionNames() {
  std::set<std::string> names;
  for (const auto& [section, keys] : KnownKeys()) names.insert(section);
  return names;
}

}  // namespace

std::string ClosestKey(const std::string& key, const std::set<std::string>& candidates) {
  std::string best;
  size_t best_distance = std::max<size_t>(1, key.size() / 3) + 1;
  for (const std::string& candidate : candidates) {
    if (candidate == "*") continue;
    const size_t d = EditDistance(key, candidate);
    if (d < best_distance) best = candidate, best_distance = d;
  }
  return best;
}

void CollectUnknownKeys(const YAML::Node& root, std::vector<std::string>* warnings) {
  const auto& known = KnownKeys();
  for (const auto& top : root) {
    const std::string section = top.first.as<std::string>();
    auto it = known.find(section);
    if (it == known.end()) {
      AddWarning(warnings, UnknownKeyText("", section, SectionNames()));
      continue;
    }
    if (!top.second.IsMap()) continue;
    for (const auto& entry : top.second) {
      const std::string key = entry.first.as<std::string>();
      if (section == "freeze_limits" || section == "market_hours") {
        continue;  // exchange -> underlying -> quantity, checked by the reader
      } else if (section == "instruments") {
        if (!entry.second.IsMap()) continue;
        for (const auto& inner : entry.second) {
          const std::string field = inner.first.as<std::string>();
          if (field != "volume_freeze_quantity") {
            AddWarning(warnings, "unknown key 'instruments." + key + "." + field + "' ignored");
          }
        }
      } else if (section == "trading" && key == "square_off_time") {
        continue;  // a time or a map by exchange, checked by the reader
      } else if (section == "trading" && key == "trailing_profit" && entry.second.IsMap()) {
        for (const auto& inner : entry.second) {
          const std::string field = inner.first.as<std::string>();
          static const std::set<std::string> kTrail = {"enabled", "activate_at", "lock_at",
                                                       "trail_by"};
          if (!kTrail.count(field)) {
            AddWarning(warnings, UnknownKeyText("trading.trailing_profit.", field, kTrail));
          }
        }
      } else if (!it->second.count(key)) {
        AddWarning(warnings, UnknownKeyText(section + ".", key, it->second));
      }
    }
  }
}

Status CheckApiKey(const std::string& api_key) {
  const bool ok = api_key.size() >= 6 && api_key.size() <= 64 &&
                  std::all_of(api_key.begin(), api_key.end(), [](char c) {
                    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
                  });
  if (ok) return Status::Ok();
  return InvalidArgument("zerodha.api_key: found '" + SanitizeForLog(api_key, 40) +
                         "', expected 6 to 64 letters, digits or '_'");
}

Status CheckApiSecret(const std::string& secret) {
  const bool printable = std::all_of(secret.begin(), secret.end(), [](char c) {
    return std::isgraph(static_cast<unsigned char>(c));
  });
  if (secret.size() >= 8 && printable) return Status::Ok();
  const std::string found = secret.size() < 8
                                ? "a value of " + std::to_string(secret.size()) + " characters"
                                : "a value with spaces or control characters";
  return InvalidArgument("zerodha.api_secret: found " + found +
                         ", expected at least 8 printable characters without spaces");
}

}  // namespace zm
