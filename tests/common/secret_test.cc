#include "common/secret.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <fstream>
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
