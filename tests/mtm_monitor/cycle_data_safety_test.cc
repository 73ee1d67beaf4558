// Data safety at start-up: zerodha_mtm.db is opened with an integrity check, WAL verified and
// synchronous=FULL; a corrupt one stops the monitor (exit 1, the file named); a corrupt
// zerodha_trading.db is moved aside by the subscriber and rebuilt.
#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <random>

#include "mtm_monitor/mtm_store.h"
#include "support/sim_harness.h"

namespace zm::monitor {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

void WriteGarbage(const fs::path& path, size_t size) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  std::mt19937 rng(11);
  for (size_t i = 0; i < size; ++i) f.put(static_cast<char>(rng()));
}

TEST(MtmDbSafetyTest, OpensWithWalAndFullSync) {
  const fs::path dir = testing::MakeTempDir("mtm_db_safety");
  auto db = OpenMtmDb(dir / "zerodha_mtm.db");
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_EQ((*db)->execAndGet("PRAGMA journal_mode").getString(), "wal");
  EXPECT_EQ((*db)->execAndGet("PRAGMA synchronous").getInt(), 2);  // FULL
  fs::remove_all(dir);
}

TEST(MtmDbSafetyTest, ACorruptJournalIsRefusedNamingTheFile) {
  const fs::path dir = testing::MakeTempDir("mtm_db_safety");
  const fs::path path = dir / "zerodha_mtm.db";
  WriteGarbage(path, 64 * 1024);
  std::ofstream(path.string() + "-wal") << "the last evidence";
  auto db = OpenMtmDb(path);
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.status().message().find(path.string() + " is corrupt"), std::string::npos)
      << db.status().message();
  EXPECT_EQ(fs::file_size(path), 64u * 1024);  // left exactly as it was, WAL included
  EXPECT_EQ(fs::file_size(path.string() + "-wal"), 17u);
  fs::remove_all(dir);
}

TEST(MtmDbSafetyTest, TheMonitorDoesNotStartOnACorruptJournal) {
  const fs::path dir = testing::MakeTempDir("mtm_db_safety");
  const fs::path config = testing::WriteSuiteConfig(dir, "http://127.0.0.1:9", "ws://127.0.0.1:9/");
  ASSERT_FALSE(config.empty());
  WriteGarbage(dir / "zerodha_mtm.db", 8192);
  auto monitor = testing::ChildProcess::Start(testing::BinaryPath("zerodha_mtm_monitor"),
                                              {"--config", config.string()}, {}, dir / "out");
  ASSERT_TRUE(monitor.ok());
  EXPECT_EQ((*monitor)->WaitExit(milliseconds(30000)), 1);
  const std::string err = (*monitor)->ReadStderr();
  EXPECT_NE(err.find((dir / "zerodha_mtm.db").string() + " is corrupt"), std::string::npos) << err;
  fs::remove_all(dir);
}

TEST(TradingDbSafetyTest, TheSubscriberMovesACorruptCacheAsideAndRebuildsIt) {
  auto sim = testing::SimHarness::StartFile("test_basic.yaml");
  ASSERT_TRUE(sim.ok()) << sim.status().ToString();
  const fs::path dir = testing::MakeTempDir("trading_db_safety");
  const fs::path config = testing::WriteSuiteConfig(dir, **sim);
  ASSERT_FALSE(config.empty());
  const fs::path path = dir / "zerodha_trading.db";
  WriteGarbage(path, 32 * 1024);
  auto subscriber = testing::ChildProcess::Start(testing::BinaryPath("zerodha_ltp_subscriber"),
                                                 {"--config", config.string()},
                                                 {{"ZM_SUPERVISED", "1"}}, dir / "out");
  ASSERT_TRUE(subscriber.ok());
  auto rebuilt = [&] {
    try {
      SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
      // A heartbeat row: the subscriber is up (and handles SIGTERM) on the new file.
      return db.tableExists("process_heartbeat") && db.tableExists("ltp_data") &&
             db.execAndGet("SELECT COUNT(*) FROM process_heartbeat").getInt() > 0;
    } catch (const std::exception&) {
      return false;
    }
  };
  ASSERT_TRUE(testing::WaitUntil(rebuilt, milliseconds(30000))) << (*subscriber)->ReadStderr();
  int aside = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("zerodha_trading.db.corrupt-", 0) == 0 &&
        name.find("-wal") == std::string::npos) {
      ++aside;
      EXPECT_EQ(fs::file_size(entry.path()), 32u * 1024);  // kept as it was, for a post-mortem
    }
  }
  EXPECT_EQ(aside, 1);
  EXPECT_NE((*subscriber)->ReadStderr().find("was corrupt: moved aside"), std::string::npos);
  (*subscriber)->Signal(SIGTERM);
  EXPECT_EQ((*subscriber)->WaitExit(milliseconds(15000)), 0);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace zm::monitor
