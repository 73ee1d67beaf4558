// The config's documentation cannot drift from the loader: every key the readers read
// (KnownKeys(), recorded as they read; it also drives the unknown-key warnings) is in README's
// configuration reference and in the example config.yaml (set or commented), except the
// predecessor's keys, which README names in one row and config.yaml never shows; and every row
// of README's table is a key some reader reads.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "common/config_keys.h"

namespace zm {
namespace {

std::string ReadSourceFile(const std::string& name) {
  std::ifstream in(std::string(ZM_SOURCE_DIR) + "/" + name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool IsPredecessorKey(const std::string& section, const std::string& key) {
  static const std::set<std::string> kKeys = {"api_call_timeout", "order_placement_timeout",
                                              "order_verification_timeout",
                                              "order_status_check_interval"};
  return kKeys.count(key) > 0 || (section == "websocket" && key == "error_retry_interval");
}

TEST(ConfigDocsTest, EveryKnownKeyIsInReadmeAndTheExampleConfig) {
  const std::string readme = ReadSourceFile("README.md");
  const std::string example = ReadSourceFile("config.yaml");
  ASSERT_FALSE(readme.empty());
  ASSERT_FALSE(example.empty());
  for (const auto& [section, keys] : KnownKeys()) {
    EXPECT_NE(readme.find("`" + section), std::string::npos) << section << " not in README";
    EXPECT_TRUE(std::regex_search(example, std::regex("(^|\\n)#? ?" + section + ":")))
        << section << ": not in config.yaml";
    for (const std::string& key : keys) {
      if (key == "*") continue;  // free-form sections (instruments, freeze_limits, ...)
      if (IsPredecessorKey(section, key)) {
        const bool named = readme.find("`" + key + "`") != std::string::npos ||
                           readme.find("`" + section + "." + key + "`") != std::string::npos;
        EXPECT_TRUE(named) << section << "." << key << ": not in README";
        continue;
      }
      const std::string dotted = "`" + section + "." + key;  // also `a.b.c` rows for sub-keys
      EXPECT_NE(readme.find(dotted), std::string::npos)
          << section << "." << key << ": not in README's reference";
      EXPECT_TRUE(std::regex_search(example, std::regex("[ #]" + key + ":")))
          << section << "." << key << ": not in config.yaml";
    }
  }
}

// The other direction: every row of README's key table names a key some reader reads.
TEST(ConfigDocsTest, EveryKeyInReadmesTableIsRead) {
  std::istringstream readme(ReadSourceFile("README.md"));
  std::string line;
  while (std::getline(readme, line) && line.rfind("| key | default |", 0) != 0) {
  }
  ASSERT_FALSE(readme.eof()) << "README's key table (| key | default | ...) not found";
  std::getline(readme, line);  // |---|
  const std::regex row(R"(^\| `([a-z_]+)\.([a-z_<>A-Z]+)[^`]*` \|)");
  int rows = 0;
  while (std::getline(readme, line) && line.rfind("|", 0) == 0) {
    std::smatch m;
    if (!std::regex_search(line, m, row)) continue;  // e.g. the predecessor keys' row
    ++rows;
    const std::string section = m[1], key = m[2];
    const auto known = KnownKeys().find(section);
    ASSERT_NE(known, KnownKeys().end()) << line;
    const std::string wanted = key.front() == '<' ? "*" : key;  // `market_hours.<EXCHANGE>`
    EXPECT_TRUE(known->second.count(wanted)) << section << "." << key << ": no reader reads it";
  }
  EXPECT_GT(rows, 50);
}

}  // namespace
}  // namespace zm
