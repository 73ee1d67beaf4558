#include "common/text_file.h"

#include <gtest/gtest.h>

#include <fstream>

namespace zm {
namespace {

namespace fs = std::filesystem;

class TextFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() /
        ("zm_text_file_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path Write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name, std::ios::binary) << content;
    return dir_ / name;
  }
  fs::path dir_;
};

TEST_F(TextFileTest, ReadsTheWholeFileByteForByte) {
  const std::string content("line 1\r\nline 2\n\0tail", 20);
  EXPECT_EQ(ReadTextFile(Write("a.txt", content)), content);
  EXPECT_EQ(ReadTextFile(Write("empty.txt", "")), "");
}

TEST_F(TextFileTest, AMissingFileIsNothing) {
  EXPECT_EQ(ReadTextFile(dir_ / "missing.txt"), std::nullopt);
}

TEST(TrimSpaceTest, RemovesSpaceAtBothEndsOnly) {
  EXPECT_EQ(TrimSpace("  abc def \t\r\n"), "abc def");
  EXPECT_EQ(TrimSpace("abc"), "abc");
  EXPECT_EQ(TrimSpace(" \n\t "), "");
  EXPECT_EQ(TrimSpace(""), "");
  EXPECT_EQ(TrimSpace("\vx\f"), "x");
}

}  // namespace
}  // namespace zm
