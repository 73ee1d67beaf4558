// MtmStore (schema, daily state, history, events) and the cycle report formatting.
#include <gtest/gtest.h>

#include <filesystem>

#include "common/heartbeat.h"
#include "common/monitor_snapshot.h"
#include "mtm_monitor/cycle_report.h"
#include "mtm_monitor/mtm_store.h"

namespace zm::monitor {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cycle_store_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto db = OpenMtmDb(dir_ / "zerodha_mtm.db");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    store_ = std::make_unique<MtmStore>(*db_);
    ASSERT_TRUE(store_->Init().ok());
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<MtmStore> store_;
};

TEST_F(StoreTest, InitIsIdempotentAndCreatesSharedTables) {
  EXPECT_TRUE(store_->Init().ok());
  EXPECT_TRUE(db_->tableExists("process_heartbeat"));
  EXPECT_TRUE(db_->tableExists("monitor_snapshot"));
  EXPECT_TRUE(db_->tableExists("mtm_history"));
  EXPECT_EQ(db_->execAndGet("SELECT value FROM mtm_meta WHERE key='schema_version'").getString(),
            "1");
}

TEST_F(StoreTest, DailyStateSurvivesReopen) {
  auto none = store_->LoadDailyState("2026-11-26");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  DailyState s = FreshDay("2026-11-26");
  s.lock = DayLock::kTarget;
  s.max_mtm = 2500;
  ASSERT_TRUE(store_->SaveDailyState(s, 1).ok());
  s.max_mtm = 2600;
  ASSERT_TRUE(store_->SaveDailyState(s, 2).ok());
  store_.reset();
  db_.reset();
  db_ = std::move(OpenMtmDb(dir_ / "zerodha_mtm.db")).value();
  MtmStore again(*db_);
  ASSERT_TRUE(again.Init().ok());
  auto loaded = again.LoadDailyState("2026-11-26");
  ASSERT_TRUE(loaded.ok());
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ(**loaded, s);
  EXPECT_FALSE(again.LoadDailyState("2026-11-27")->has_value());
}

TEST_F(StoreTest, HistoryAndEventsByDate) {
  ASSERT_TRUE(store_->AppendHistory({10, "2026-11-26", -5.5, 1, -6.5, 2}).ok());
  ASSERT_TRUE(store_->AppendHistory({20, "2026-11-26", -7, 1, -8, 2}).ok());
  ASSERT_TRUE(store_->AppendHistory({30, "2026-11-27", 1, 0, 1, 1}).ok());
  auto rows = store_->ReadHistory("2026-11-26");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_DOUBLE_EQ((*rows)[1].mtm, -7);
  EXPECT_EQ((*rows)[1].open_positions, 2);
  ASSERT_TRUE(store_->AddEvent({0, 5, "2026-11-26", "trigger", "loss", {{"mtm", -7}}}).ok());
  auto events = store_->ReadEvents("2026-11-26");
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].kind, "trigger");
  EXPECT_EQ((*events)[0].details["mtm"], -7);
}

TEST(HistoryThrottleTest, RecordsChangesAndAtLeastEveryMinute) {
  HistoryThrottle t;
  EXPECT_TRUE(t.ShouldRecord("d", 1, 1, 0));
  t.Recorded("d", 1, 1, 0);
  EXPECT_FALSE(t.ShouldRecord("d", 1.004, 1, 1000));
  EXPECT_TRUE(t.ShouldRecord("d", 1.01, 1, 1000));
  EXPECT_TRUE(t.ShouldRecord("d", 0.99, 1, 1000));
  EXPECT_TRUE(t.ShouldRecord("d", 1, 2, 1000));  // positions changed
  EXPECT_TRUE(t.ShouldRecord("e", 1, 1, 1000));  // new day
  EXPECT_FALSE(t.ShouldRecord("d", 1, 1, 59999));
  EXPECT_TRUE(t.ShouldRecord("d", 1, 1, 60000));
}

TEST(CycleReportTest, Rupees) {
  EXPECT_EQ(FormatRupees(-4512.25), "-4,512.25");
  EXPECT_EQ(FormatRupees(1020), "1,020.00");
  EXPECT_EQ(FormatRupees(0), "0.00");
  EXPECT_EQ(FormatRupees(-0.001), "0.00");
  EXPECT_EQ(FormatRupees(999.999), "1,000.00");
  EXPECT_EQ(FormatRupees(1234567.891), "1,234,567.89");
  EXPECT_EQ(FormatRupees(-12.5), "-12.50");
}

TEST(CycleReportTest, LineMatchesArchitectureFormat) {
  // 2026-11-26T10:15:03.456+05:30
  const SysTime t = FromEpochMs(1795651200000LL + ((4 * 60 + 45) * 60 + 3) * 1000LL + 456);
  EXPECT_EQ(CycleLine(t, -4512.25, 1020, "monitoring", 4, 0),
            "2026-11-26T10:15:03+05:30 MTM -4,512.25 (max 1,020.00) state=monitoring positions=4");
  EXPECT_EQ(CycleLine(t, 1, 1, "alert_only", 1, 2).substr(26),
            "MTM 1.00 (max 1.00) state=alert_only positions=1 fallbacks=2");
}

TEST(CycleReportTest, SnapshotFollowsSchema) {
  Config config;
  config.trading.mtm_loss_threshold = -1000;
  config.trading.daily_max_profit_target = 2000;
  DailyState state = FreshDay("2026-11-26");
  state.max_mtm = 12.345;
  std::vector<kite::Position> net(1);
  net[0].exchange = "NFO";
  net[0].tradingsymbol = "X";
  net[0].quantity = -75;
  MtmResult mtm;
  mtm.total = -10.004;
  mtm.rows.push_back({PriceSource::kRest, 101.5, 300, -10.004, 0, -10.004});
  mtm.fallbacks.push_back("NFO:X priced from REST quote");
  SnapshotInput in{99, &config, &state, "monitoring", &net, &mtm, nlohmann::json::array(), nullptr};
  nlohmann::json j = BuildSnapshot(in);
  EXPECT_EQ(j["trading_date"], "2026-11-26");
  EXPECT_EQ(j["updated_at_ms"], 99);
  EXPECT_DOUBLE_EQ(j["mtm"].get<double>(), -10.0);
  EXPECT_DOUBLE_EQ(j["daily_max_mtm"].get<double>(), 12.35);
  EXPECT_TRUE(j["trailing_floor"].is_null());
  EXPECT_EQ(j["state"], "monitoring");
  EXPECT_EQ(j["target_locked"], false);
  EXPECT_EQ(j["alert_only"], false);
  EXPECT_EQ(j["fallbacks"].size(), 1u);
  ASSERT_EQ(j["positions"].size(), 1u);
  EXPECT_EQ(j["positions"][0]["price_source"], "rest");
  EXPECT_EQ(j["positions"][0]["price_age_ms"], 300);
  EXPECT_EQ(j["positions"][0]["quantity"], -75);
  EXPECT_TRUE(j["square_offs"].is_array());
  EXPECT_TRUE(j["last_critical"].is_null());
  EXPECT_EQ(HeartbeatDetails(5, "monitoring", -1.005)["state"], "monitoring");
}

}  // namespace
}  // namespace zm::monitor
