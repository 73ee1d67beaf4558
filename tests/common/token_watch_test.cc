#include "common/token_watch.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace zm {
namespace {

namespace fs = std::filesystem;

class TokenWatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() /
            ("zm_token_watch_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    Write("tok_one\n");
  }
  void TearDown() override { fs::remove(path_); }
  void Write(const std::string& text) {
    std::ofstream(path_, std::ios::trunc) << text;
    // Make the mtime move even on coarse-grained filesystems.
    static int bump = 0;
    fs::last_write_time(path_, fs::file_time_type::clock::now() + std::chrono::seconds(++bump));
  }
  fs::path path_;
};

TEST_F(TokenWatchTest, UnchangedFileIsNoChange) {
  TokenFileWatch watch(path_, Secret("tok_one"));
  auto r = watch.Poll();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  Write("  tok_one  \n");  // rewritten with the same token
  r = watch.Poll();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
}

TEST_F(TokenWatchTest, NewTokenReportedOnce) {
  TokenFileWatch watch(path_, Secret("tok_one"));
  ASSERT_TRUE(watch.Poll().ok());
  Write("tok_two\n");
  auto r = watch.Poll();
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->reveal(), "tok_two");
  r = watch.Poll();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
}

TEST_F(TokenWatchTest, StartingWithoutATokenReportsTheFirstOne) {
  TokenFileWatch watch(path_, Secret());
  auto r = watch.Poll();
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->reveal(), "tok_one");
}

TEST_F(TokenWatchTest, MissingOrEmptyFileIsAnErrorWithoutTheToken) {
  TokenFileWatch watch(path_, Secret("tok_one"));
  Write("   \n");
  auto r = watch.Poll();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("empty"), std::string::npos);
  fs::remove(path_);
  r = watch.Poll();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().find("tok_one"), std::string::npos);
  Write("tok_three");
  r = watch.Poll();
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->reveal(), "tok_three");
}

}  // namespace
}  // namespace zm
