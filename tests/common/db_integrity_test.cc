// Integrity checks and the free-space rule: corrupt files (garbage written over a database),
// a busy file that must not be taken for a corrupt one, WAL verification, statvfs.
#include "common/db_integrity.h"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <random>

#include "common/disk_space.h"

namespace zm {
namespace {

namespace fs = std::filesystem;

class DbIntegrityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/db_integrity_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ / "zerodha_trading.db";
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A WAL database with enough rows to span many pages.
  void MakeDatabase() {
    SQLite::Database db(path_.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    ASSERT_TRUE(EnableWal(db, path_.string()).ok());
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
    db.exec("CREATE INDEX t_v ON t(v)");
    db.exec("BEGIN");
    for (int i = 0; i < 2000; ++i) {
      db.exec("INSERT INTO t(v) VALUES ('" + std::to_string(i * 7919 % 10007) +
              std::string(50, 'v') + "')");
    }
    db.exec("COMMIT");
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  // Overwrites `size` bytes at `offset` with random garbage.
  void WriteGarbage(long offset, size_t size) {
    std::fstream f(path_, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(offset);
    std::mt19937 rng(7);
    for (size_t i = 0; i < size; ++i) f.put(static_cast<char>(rng()));
  }

  fs::path dir_, path_;
};

TEST_F(DbIntegrityTest, ASoundDatabasePasses) {
  MakeDatabase();
  auto problem = QuickCheckFile(path_);
  ASSERT_TRUE(problem.ok()) << problem.status().ToString();
  EXPECT_FALSE(problem->has_value());
  auto absent = QuickCheckFile(dir_ / "nothing.db");
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());
  EXPECT_FALSE(fs::exists(dir_ / "nothing.db"));  // checking never creates a file
}

TEST_F(DbIntegrityTest, GarbageOverTheWholeFileIsCorrupt) {
  MakeDatabase();
  WriteGarbage(0, static_cast<size_t>(fs::file_size(path_)));
  auto problem = QuickCheckFile(path_);
  ASSERT_TRUE(problem.ok()) << problem.status().ToString();
  ASSERT_TRUE(problem->has_value());
  EXPECT_NE((*problem)->find("not a database"), std::string::npos) << **problem;
}

TEST_F(DbIntegrityTest, GarbageOverInnerPagesIsFoundByQuickCheck) {
  MakeDatabase();
  WriteGarbage(3 * 4096, 8 * 4096);  // the header survives, the b-trees do not
  auto problem = QuickCheckFile(path_);
  ASSERT_TRUE(problem.ok()) << problem.status().ToString();
  ASSERT_TRUE(problem->has_value());
}

TEST_F(DbIntegrityTest, ACorruptCacheIsMovedAsideWithItsWal) {
  MakeDatabase();
  WriteGarbage(0, 4096);
  std::ofstream(path_.string() + "-wal") << "stale wal";
  std::ofstream(path_.string() + "-shm") << "stale shm";
  const SysTime now = FromEpochMs(1795667400000LL);  // 2026-11-26 10:00:00 IST
  auto moved = MoveAsideIfCorrupt(path_, now);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  ASSERT_TRUE(moved->has_value());
  EXPECT_EQ(**moved, fs::path(path_.string() + ".corrupt-20261126-100000"));
  EXPECT_TRUE(fs::exists(**moved));
  EXPECT_TRUE(fs::exists((*moved)->string() + "-wal"));
  EXPECT_FALSE(fs::exists(path_));
  EXPECT_FALSE(fs::exists(path_.string() + "-wal"));
  EXPECT_FALSE(fs::exists(path_.string() + "-shm"));
  // A sound file stays where it is.
  MakeDatabase();
  auto again = MoveAsideIfCorrupt(path_, now);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value());
  EXPECT_TRUE(fs::exists(path_));
}

TEST_F(DbIntegrityTest, ABusyDatabaseIsAnErrorNotCorruption) {
  {
    SQLite::Database db(path_.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE t (x)");
  }
  SQLite::Database holder(path_.string(), SQLite::OPEN_READWRITE);
  holder.exec("PRAGMA locking_mode=EXCLUSIVE");
  holder.exec("BEGIN EXCLUSIVE");
  auto problem = QuickCheckFile(path_);  // waits its 5 s busy timeout, then gives up
  EXPECT_FALSE(problem.ok());
  EXPECT_EQ(problem.status().code(), StatusCode::kIoError);
  holder.exec("ROLLBACK");
}

TEST_F(DbIntegrityTest, WalIsVerified) {
  SQLite::Database file(path_.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  EXPECT_TRUE(EnableWal(file, "file").ok());
  SQLite::Database memory(":memory:", SQLite::OPEN_READWRITE);
  const Status st = EnableWal(memory, "in-memory db");
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("in-memory db: journal_mode is 'memory'"), std::string::npos)
      << st.message();
}

TEST(FreeSpaceTest, Table) {
  const uint64_t mib = 1024 * 1024;
  struct Row {
    uint64_t bytes;
    double min_mb;
    bool low;
    const char* text;
  } rows[] = {
      {199 * mib, 200, true, "199 MB free (minimum 200 MB)"},
      {200 * mib, 200, false, "200 MB free (minimum 200 MB)"},
      {200 * mib - 1, 200, true, "199 MB free (minimum 200 MB)"},
      {0, 0, false, "0 MB free (minimum 0 MB)"},
      {5000 * mib, 200, false, "5000 MB free (minimum 200 MB)"},
  };
  for (const Row& r : rows) {
    const FreeSpaceVerdict v = EvaluateFreeSpace(r.bytes, r.min_mb);
    EXPECT_EQ(v.low, r.low) << r.bytes;
    EXPECT_EQ(v.text, r.text);
  }
}

TEST(FreeSpaceTest, StatvfsAdapter) {
  auto tmp = AvailableBytes("/tmp");
  ASSERT_TRUE(tmp.ok()) << tmp.status().ToString();
  EXPECT_GT(*tmp, 0u);
  auto missing = AvailableBytes("/no/such/folder/anywhere");
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/no/such/folder/anywhere"), std::string::npos);
}

}  // namespace
}  // namespace zm
