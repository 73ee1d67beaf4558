#include "common/trading_db.h"

#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "common/heartbeat.h"

namespace zm {
namespace {

namespace fs = std::filesystem;

class TradingDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("zm_trading_db_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = dir_ / "zerodha_trading.db";
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::unique_ptr<TradingDb> OpenWriter() {
    auto db = TradingDb::Open(path_, false);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? std::move(db).value() : nullptr;
  }
  fs::path dir_, path_;
};

kite::Position MakePosition(const std::string& symbol, uint32_t token, long long qty) {
  kite::Position p;
  p.tradingsymbol = symbol;
  p.exchange = "NFO";
  p.product = "MIS";
  p.instrument_token = token;
  p.quantity = qty;
  p.average_price = 101.25;
  p.last_price = 99.5;
  p.pnl = -131.25;
  p.m2m = -131.25;
  p.sell_quantity = 75;
  p.sell_price = 101.25;
  p.sell_value = 7593.75;
  p.day_sell_quantity = 75;
  p.day_sell_value = 7593.75;
  p.overnight_quantity = 3;
  return p;
}

TEST_F(TradingDbTest, DataVersionChangesOnlyWhenAnotherConnectionCommits) {
  auto writer = OpenWriter();
  auto reader = TradingDb::Open(path_, /*read_only=*/true);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto v0 = (*reader)->DataVersion();
  ASSERT_TRUE(v0.ok()) << v0.status().ToString();
  EXPECT_EQ(*(*reader)->DataVersion(), *v0);  // nothing committed: unchanged
  LtpRow row;
  row.instrument_token = 12345;
  row.last_price = 10;
  ASSERT_TRUE(writer->UpsertLtps({row}).ok());
  auto v1 = (*reader)->DataVersion();
  ASSERT_TRUE(v1.ok());
  EXPECT_NE(*v1, *v0);
  EXPECT_EQ(*(*reader)->DataVersion(), *v1);
}

TEST_F(TradingDbTest, ReadOnlyOpenOfMissingFileIsNotFound) {
  auto db = TradingDb::Open(path_, true);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(fs::exists(path_));
}

TEST_F(TradingDbTest, CreatesSchemaWalAndVersion) {
  auto db = OpenWriter();
  ASSERT_TRUE(db);
  auto version = db->GetMeta("schema_version");
  ASSERT_TRUE(version.ok());
  ASSERT_TRUE(version->has_value());
  EXPECT_EQ(**version, "2");
  SQLite::Statement mode(db->db(), "PRAGMA journal_mode");
  ASSERT_TRUE(mode.executeStep());
  EXPECT_EQ(mode.getColumn(0).getString(), "wal");
  for (const char* table : {"ltp_data", "positions", "order_updates", "meta", "process_heartbeat"})
    EXPECT_TRUE(db->db().tableExists(table)) << table;
}

TEST_F(TradingDbTest, ReopeningKeepsDataAndVersion) {
  { ASSERT_TRUE(OpenWriter()->SetMeta("token_state", "ok").ok()); }
  auto db = OpenWriter();
  ASSERT_TRUE(db);
  EXPECT_EQ(**db->GetMeta("token_state"), "ok");
  EXPECT_EQ(**db->GetMeta("schema_version"), "2");
}

TEST_F(TradingDbTest, NewerSchemaIsRefused) {
  { ASSERT_TRUE(OpenWriter()->SetMeta("schema_version", "99").ok()); }
  auto db = TradingDb::Open(path_, false);
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.status().message().find("newer"), std::string::npos);
}

TEST_F(TradingDbTest, LtpsUpsertAndReadBackFromReader) {
  auto writer = OpenWriter();
  ASSERT_TRUE(writer);
  LtpRow a{.instrument_token = 408065,
           .last_price = 1573.7,
           .open = 1569.15,
           .high = 1575,
           .low = 1561.05,
           .close = 1567.8,
           .volume = 1192471,
           .best_bid = 1573.4,
           .best_ask = 1573.7,
           .best_bid_quantity = 5,
           .best_ask_quantity = 172,
           .exchange_time_ms = 1625461887000,
           .received_at_ms = 1625461887123};
  LtpRow b{.instrument_token = 884737, .last_price = 10.05, .received_at_ms = 5};
  ASSERT_TRUE(writer->UpsertLtps({a, b}).ok());
  a.last_price = 1574.0;
  ASSERT_TRUE(writer->UpsertLtps({a}).ok());

  auto reader = TradingDb::Open(path_, true);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto rows = (*reader)->ReadLtps();
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  const LtpRow& got = rows->at(408065);
  EXPECT_EQ(got.last_price, 1574.0);
  EXPECT_EQ(got.high, 1575);
  EXPECT_EQ(got.volume, 1192471);
  EXPECT_EQ(got.best_bid, 1573.4);
  EXPECT_EQ(got.best_ask_quantity, 172);
  EXPECT_EQ(got.exchange_time_ms, 1625461887000);
  EXPECT_EQ(got.received_at_ms, 1625461887123);
  EXPECT_EQ(rows->at(884737).last_price, 10.05);
}

TEST_F(TradingDbTest, ReaderCannotWrite) {
  ASSERT_TRUE(OpenWriter());
  auto reader = TradingDb::Open(path_, true);
  ASSERT_TRUE(reader.ok());
  EXPECT_FALSE((*reader)->SetMeta("x", "y").ok());
}

TEST_F(TradingDbTest, PositionsAreReplacedWholeWithSyncTime) {
  auto db = OpenWriter();
  ASSERT_TRUE(db);
  kite::Positions first;
  first.net = {MakePosition("A", 1, -75), MakePosition("B", 2, 50)};
  first.day = {MakePosition("A", 1, -75)};
  ASSERT_TRUE(db->ReplacePositions(first, 1000).ok());
  auto snap = db->ReadPositions();
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ(snap->synced_at_ms, 1000);
  ASSERT_EQ(snap->positions.net.size(), 2u);
  EXPECT_EQ(snap->positions.net[0], first.net[0]);  // every field round-trips
  EXPECT_EQ(snap->positions.net[1], first.net[1]);
  ASSERT_EQ(snap->positions.day.size(), 1u);
  EXPECT_EQ(snap->positions.day[0], first.day[0]);

  kite::Positions second;
  second.net = {MakePosition("C", 3, 10)};
  ASSERT_TRUE(db->ReplacePositions(second, 2000).ok());
  snap = db->ReadPositions();
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ(snap->synced_at_ms, 2000);
  ASSERT_EQ(snap->positions.net.size(), 1u);
  EXPECT_EQ(snap->positions.net[0].tradingsymbol, "C");
  EXPECT_TRUE(snap->positions.day.empty());
}

TEST_F(TradingDbTest, NeverSyncedPositionsHaveZeroTime) {
  auto db = OpenWriter();
  ASSERT_TRUE(db);
  auto snap = db->ReadPositions();
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ(snap->synced_at_ms, 0);
  EXPECT_TRUE(snap->positions.net.empty());
}

TEST_F(TradingDbTest, OrderUpdatesAppendAndReadAfterId) {
  auto db = OpenWriter();
  ASSERT_TRUE(db);
  kite::Order order;
  order.order_id = "151220000000000";
  order.status = "COMPLETE";
  order.tradingsymbol = "NIFTY26DEC24000CE";
  order.instrument_token = 12345;
  order.quantity = 75;
  order.filled_quantity = 75;
  order.average_price = 101.5;
  order.tag = "zmexit";
  ASSERT_TRUE(db->InsertOrderUpdate(order, 10).ok());
  order.status = "OPEN";
  ASSERT_TRUE(db->InsertOrderUpdate(order, 20).ok());
  auto all = db->ReadOrderUpdatesAfter(0);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_LT((*all)[0].id, (*all)[1].id);
  EXPECT_EQ((*all)[0].received_at_ms, 10);
  EXPECT_EQ((*all)[1].order, order);
  auto later = db->ReadOrderUpdatesAfter((*all)[0].id);
  ASSERT_TRUE(later.ok());
  ASSERT_EQ(later->size(), 1u);
  EXPECT_EQ((*later)[0].order.status, "OPEN");
}

TEST_F(TradingDbTest, FullTickDepthIsKeptForExitPricing) {
  auto db = OpenWriter();
  ASSERT_TRUE(db);
  kite::Tick tick;
  tick.instrument_token = 408065;
  tick.mode = kite::TickMode::kFull;
  tick.last_price = 1573.7;
  for (int i = 0; i < 5; ++i) {
    tick.bids[i] = {static_cast<uint32_t>(10 * (i + 1)), 1573.4 - 0.05 * i, 1};
    tick.offers[i] = {static_cast<uint32_t>(20 * (i + 1)), 1573.7 + 0.05 * i, 1};
  }
  ASSERT_TRUE(db->UpsertLtps({LtpRowFromTick(tick, 42)}).ok());
  auto row = db->ReadLtp(408065);
  ASSERT_TRUE(row.ok() && row->has_value()) << row.status().ToString();
  EXPECT_EQ((*row)->received_at_ms, 42);
  EXPECT_DOUBLE_EQ((*row)->bids[4].price, 1573.2);
  EXPECT_EQ((*row)->bids[4].quantity, 50);
  EXPECT_DOUBLE_EQ((*row)->offers[0].price, 1573.7);
  EXPECT_EQ((*row)->offers[2].quantity, 60);
  auto missing = db->ReadLtp(1);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_F(TradingDbTest, OrderUpdatesKeepTags) {
  auto db = OpenWriter();
  ASSERT_TRUE(db);
  kite::Order order;
  order.order_id = "1";
  order.status = "OPEN";
  order.tags = {"mktp", "ZM0000100000"};
  ASSERT_TRUE(db->InsertOrderUpdate(order, 10).ok());
  auto rows = db->ReadOrderUpdatesAfter(0);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->front().order.tags, order.tags);
}

TEST_F(TradingDbTest, HeartbeatTableIsUsable) {
  auto db = OpenWriter();
  ASSERT_TRUE(db);
  Heartbeat hb{.component = "ltp_subscriber", .pid = 42, .started_at_ms = 1, .updated_at_ms = 2};
  ASSERT_TRUE(WriteHeartbeat(db->db(), hb).ok());
  auto read = ReadHeartbeat(db->db(), "ltp_subscriber");
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ((*read)->pid, 42);
}

TEST(LtpRowFromTickTest, FullTickTakesBestOfDepth) {
  kite::Tick tick;
  tick.instrument_token = 408065;
  tick.mode = kite::TickMode::kFull;
  tick.last_price = 1573.7;
  tick.volume = 1192471;
  tick.open = 1569.15;
  tick.exchange_timestamp = 1625461887;
  tick.bids[0] = {5, 1573.4, 1};
  tick.offers[0] = {172, 1573.7, 3};
  LtpRow row = LtpRowFromTick(tick, 77);
  EXPECT_EQ(row.best_bid, 1573.4);
  EXPECT_EQ(row.best_bid_quantity, 5);
  EXPECT_EQ(row.best_ask, 1573.7);
  EXPECT_EQ(row.best_ask_quantity, 172);
  EXPECT_EQ(row.exchange_time_ms, 1625461887000);
  EXPECT_EQ(row.received_at_ms, 77);
  EXPECT_EQ(row.volume, 1192471);
}

TEST(LtpRowFromTickTest, LtpTickHasNoDepthOrTime) {
  kite::Tick tick;
  tick.instrument_token = 5;
  tick.mode = kite::TickMode::kLtp;
  tick.last_price = 3.5;
  LtpRow row = LtpRowFromTick(tick, 1);
  EXPECT_EQ(row.last_price, 3.5);
  EXPECT_EQ(row.best_bid, 0);
  EXPECT_EQ(row.exchange_time_ms, 0);
}

}  // namespace
}  // namespace zm
