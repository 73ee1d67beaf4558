// WriteFileAtomically: the token file's write path (exact mode, no planted file or symlink is
// written through, nothing left behind).
#include "runner/files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "common/text_file.h"

namespace zm::runner {
namespace {

class FilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("runner_files_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<std::string> Entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path dir_;
};

mode_t ModeOf(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st.st_mode;
}

TEST_F(FilesTest, WritesWithTheExactModeAndLeavesNoTemporaryFile) {
  const fs::path token = dir_ / "access_token.txt";
  const mode_t old_umask = ::umask(0);  // the mode must not depend on the umask
  Status first = WriteFileAtomically(token, "tok1\n", 0600);
  ::umask(old_umask);
  ASSERT_TRUE(first.ok()) << first.ToString();
  EXPECT_EQ(ModeOf(token) & 07777, 0600u);
  ASSERT_TRUE(WriteFileAtomically(token, "tok2\n", 0600).ok());
  EXPECT_EQ(ReadTextFile(token), std::optional<std::string>("tok2\n"));
  EXPECT_EQ(Entries(), std::vector<std::string>{"access_token.txt"});
}

TEST_F(FilesTest, SymlinkAtTheTargetIsReplacedNotFollowed) {
  const fs::path elsewhere = dir_ / "elsewhere.txt";
  std::ofstream(elsewhere) << "keep me";
  const fs::path token = dir_ / "access_token.txt";
  fs::create_symlink(elsewhere, token);
  ASSERT_TRUE(WriteFileAtomically(token, "tok\n", 0600).ok());
  EXPECT_TRUE(S_ISREG(ModeOf(token)));
  EXPECT_EQ(ReadTextFile(token), std::optional<std::string>("tok\n"));
  EXPECT_EQ(ReadTextFile(elsewhere), std::optional<std::string>("keep me"));
}

TEST_F(FilesTest, TemporaryNameIsNotPredictableFromThePid) {
  // The old scheme was <path>.tmp.<pid>: a symlink planted there must be neither followed nor
  // replaced by the write.
  const fs::path token = dir_ / "access_token.txt";
  const fs::path planted = fs::path(token.string() + ".tmp." + std::to_string(getpid()));
  const fs::path victim = dir_ / "victim.txt";
  std::ofstream(victim) << "untouched";
  fs::create_symlink(victim, planted);
  ASSERT_TRUE(WriteFileAtomically(token, "tok\n", 0600).ok());
  EXPECT_EQ(ReadTextFile(victim), std::optional<std::string>("untouched"));
  EXPECT_TRUE(fs::is_symlink(planted));
  EXPECT_EQ(Entries().size(), 3u);  // token, victim, the planted link: no temporary file
}

TEST_F(FilesTest, MissingFolderIsAnErrorNamingIt) {
  Status status = WriteFileAtomically(dir_ / "no" / "such" / "file.txt", "x", 0600);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kIoError);
  EXPECT_NE(status.message().find((dir_ / "no" / "such").string()), std::string::npos)
      << status.message();
}

}  // namespace
}  // namespace zm::runner
