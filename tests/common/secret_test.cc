#include "common/secret.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <fstream>
#include <new>
#include <sstream>

#include "common/logging.h"

namespace zm {
namespace {

TEST(SecretTest, StreamingAndFormattingPrintStars) {
  Secret secret("abc123token");
  std::ostringstream os;
  os << secret;
  EXPECT_EQ(os.str(), "***");
  EXPECT_EQ(fmt::format("token={}", secret), "token=***");
  EXPECT_EQ(secret.reveal(), "abc123token");
}

// The bytes of an object's storage, to look for a secret left behind (reading an object's
// representation as bytes is allowed; nothing here reads freed heap memory).
template <typename T>
bool StorageHolds(const T& object, const std::string& needle) {
  const auto* bytes = reinterpret_cast<const char*>(&object);
  return std::string(bytes, sizeof(T)).find(needle) != std::string::npos;
}

TEST(SecretTest, DestroyedSecretLeavesNoCopyInItsStorage) {
  alignas(Secret) unsigned char storage[sizeof(Secret)];
  auto* secret = new (storage) Secret(std::string("s3cr3tXY"));  // short: inline buffer
  ASSERT_TRUE(StorageHolds(*secret, "s3cr3tXY"));
  secret->~Secret();
  EXPECT_EQ(std::string(reinterpret_cast<char*>(storage), sizeof storage).find("s3cr3tXY"),
            std::string::npos);
}

TEST(SecretTest, MovedFromAndOverwrittenSecretsAreWiped) {
  Secret from(std::string("mv5ecret"));
  Secret to(std::move(from));
  EXPECT_EQ(to.reveal(), "mv5ecret");
  EXPECT_TRUE(from.empty());  // NOLINT(bugprone-use-after-move): checking the wipe
  EXPECT_FALSE(StorageHolds(from, "mv5ecret"));
  Secret assigned(std::string("old5ecret"));
  assigned = Secret(std::string("new"));
  EXPECT_EQ(assigned.reveal(), "new");
  EXPECT_FALSE(StorageHolds(assigned, "5ecret"));
  Secret copy = to;
  EXPECT_EQ(copy, to);
}

TEST(SecretTest, RegisteredSecretsAreRedactedFromText) {
  RegisterSecret("sup3rs3cret");
  EXPECT_EQ(RedactSecrets("url ws://h/?access_token=sup3rs3cret&x=sup3rs3cret"),
            "url ws://h/?access_token=***&x=***");
  EXPECT_EQ(RedactSecrets("nothing here"), "nothing here");
  RegisterSecret("");  // ignored
  EXPECT_EQ(RedactSecrets("a"), "a");
}

TEST(SecretTest, LoggerRedactsRegisteredSecrets) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("zm_log_" + std::to_string(::getpid()));
  LogOptions options;
  options.process_name = "test";
  options.file = dir / "test.log";
  options.console = false;
  ASSERT_TRUE(InitLogging(options).ok());
  RegisterSecret("tok-XYZ-987");
  spdlog::info("connecting with tok-XYZ-987 and {}", Secret("other"));
  spdlog::default_logger()->flush();
  std::ifstream in(options.file);
  std::stringstream content;
  content << in.rdbuf();
  EXPECT_EQ(content.str().find("tok-XYZ-987"), std::string::npos);
  EXPECT_EQ(content.str().find("other"), std::string::npos);
  EXPECT_NE(content.str().find("connecting with *** and ***"), std::string::npos);
  EXPECT_NE(content.str().find("+05:30 [test] [info]"), std::string::npos) << content.str();
  spdlog::set_default_logger(spdlog::stderr_color_mt("restore"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace zm
