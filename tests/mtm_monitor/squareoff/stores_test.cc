// The engine's stores: journal rows round-trip every field; a database written by the previous
// release gets the new columns; the ledger, cancelled orders, request counts and learnt facts
// persist per trading day.
#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include "mtm_monitor/squareoff/instruments_store.h"
#include "mtm_monitor/squareoff/journal_store.h"

namespace zm::monitor {
namespace {

constexpr const char* kDay = "2026-11-26";

SQLite::Database Memory() {
  return SQLite::Database(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
}

JournaledOrder Row(long long squareoff_id) {
  JournaledOrder r;
  r.tag = "ZM0000100200";
  r.squareoff_id = squareoff_id;
  r.round = 2;
  r.slice = 2;
  r.exchange = "NFO";
  r.tradingsymbol = "BANKNIFTY26DEC52000CE";
  r.product = "NRML";
  r.transaction_type = "BUY";
  r.quantity = 1050;
  r.order_type = "LIMIT";
  r.price = 312.35;
  r.autoslice = true;
  r.walk_step = 4;
  r.state = order_state::kPlaced;
  r.order_id = "A1";
  r.child_ids = {"A1", "A2"};
  r.status = "OPEN";
  r.filled_quantity = 875;
  r.average_price = 311.5;
  r.modifications = 3;
  r.error = "x";
  r.created_at_ms = 1;
  r.updated_at_ms = 2;
  r.filled_at_ms = 3;
  r.instrument_token = 12345;
  r.tick_size = 0.05;
  return r;
}

TEST(JournalStoreTest, OrdersRoundTripEveryField) {
  auto db = Memory();
  JournalStore store(db);
  ASSERT_TRUE(store.Init().ok());
  JournaledSquareOff so;
  so.trading_date = kDay;
  so.reason = "loss";
  auto id = store.CreateSquareOff(so);
  ASSERT_TRUE(id.ok());
  const JournaledOrder row = Row(*id);
  ASSERT_TRUE(store.UpsertOrder(row).ok());
  auto back = store.OrdersOn(kDay);
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->size(), 1u);
  const JournaledOrder& r = back->front();
  EXPECT_EQ(r.tag, row.tag);
  EXPECT_EQ(r.child_ids, row.child_ids);
  EXPECT_TRUE(r.autoslice);
  EXPECT_EQ(r.walk_step, 4);
  EXPECT_EQ(r.filled_at_ms, 3);
  EXPECT_EQ(r.filled_quantity, 875);
  EXPECT_DOUBLE_EQ(r.price, 312.35);
  EXPECT_TRUE(store.OrdersOn("2026-11-27")->empty());
  ASSERT_TRUE(store.Init().ok()) << "idempotent";
}

TEST(JournalStoreTest, PreviousReleaseDatabaseGetsTheNewColumns) {
  auto db = Memory();
  db.exec(
      "CREATE TABLE squareoffs (id INTEGER PRIMARY KEY AUTOINCREMENT, trading_date TEXT NOT NULL, "
      "reason TEXT NOT NULL, mtm_at_trigger REAL NOT NULL, started_at_ms INTEGER NOT NULL, "
      "finished_at_ms INTEGER, outcome TEXT NOT NULL, dry_run INTEGER NOT NULL, rounds INTEGER "
      "NOT NULL DEFAULT 0, remaining TEXT NOT NULL DEFAULT '[]', summary TEXT NOT NULL DEFAULT '');"
      "CREATE TABLE squareoff_orders (tag TEXT PRIMARY KEY, squareoff_id INTEGER NOT NULL, round "
      "INTEGER NOT NULL, slice INTEGER NOT NULL, attempt INTEGER NOT NULL, exchange TEXT NOT NULL, "
      "tradingsymbol TEXT NOT NULL, product TEXT NOT NULL, transaction_type TEXT NOT NULL, "
      "quantity INTEGER NOT NULL, order_type TEXT NOT NULL, price REAL NOT NULL, "
      "market_protection REAL NOT NULL, state TEXT NOT NULL, order_id TEXT NOT NULL, status TEXT "
      "NOT NULL, filled_quantity INTEGER NOT NULL, average_price REAL NOT NULL, modifications "
      "INTEGER NOT NULL, error TEXT NOT NULL, created_at_ms INTEGER NOT NULL, updated_at_ms "
      "INTEGER NOT NULL, instrument_token INTEGER NOT NULL, tick_size REAL NOT NULL);"
      "INSERT INTO squareoffs VALUES (1,'2026-11-26','loss',-1,0,NULL,'running',0,1,'[]','');"
      "INSERT INTO squareoff_orders VALUES ('ZM0000100000',1,1,0,0,'NFO','X','NRML','BUY',75,"
      "'MARKET',0,-1,'journaled','','',0,0,0,'',0,0,0,0.05);");
  JournalStore store(db);
  ASSERT_TRUE(store.Init().ok());
  auto rows = store.OrdersOf(1);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_TRUE((*rows)[0].unknown());
  EXPECT_TRUE((*rows)[0].child_ids.empty());
  auto unfinished = store.FindUnfinished(kDay);
  ASSERT_TRUE(unfinished.ok() && unfinished->has_value());
}

TEST(JournalStoreTest, LedgerCancelledAndRequestCountsPerDay) {
  auto db = Memory();
  JournalStore store(db);
  ASSERT_TRUE(store.Init().ok());
  ASSERT_TRUE(store.SaveLedger({kDay, "NFO:X:NRML", -1050, 0, 5}).ok());
  ASSERT_TRUE(store.SaveLedger({kDay, "NFO:X:NRML", -35, 1050, 9}).ok());
  auto ledger = store.LedgerOn(kDay);
  ASSERT_TRUE(ledger.ok());
  ASSERT_EQ(ledger->size(), 1u);
  EXPECT_EQ(ledger->front(), (LedgerEntry{kDay, "NFO:X:NRML", -35, 1050, 9}));
  ASSERT_TRUE(store.SaveCancelled(kDay, "O1", 1).ok());
  ASSERT_TRUE(store.SaveCancelled(kDay, "O1", 2).ok());
  EXPECT_EQ(*store.CancelledOn(kDay), (std::set<std::string>{"O1"}));
  EXPECT_TRUE(store.CancelledOn("2026-11-27")->empty());
  EXPECT_EQ(*store.RequestsOn(kDay), 0);
  ASSERT_TRUE(store.SaveRequests(kDay, 42).ok());
  EXPECT_EQ(*store.RequestsOn(kDay), 42);
}

TEST(InstrumentsStoreTest, DumpAndLearntFacts) {
  auto db = Memory();
  InstrumentsStore store(db);
  ASSERT_TRUE(store.Init().ok());
  kite::Instrument row;
  row.exchange = "NFO";
  row.tradingsymbol = "BANKNIFTY26DEC52000CE";
  row.name = "";
  row.lot_size = 35;
  row.strike = 52000;
  row.expiry = "2026-12-30";
  row.instrument_type = "CE";
  ASSERT_TRUE(store.Replace(kDay, {row}).ok());
  EXPECT_EQ(**store.CachedDate(), kDay);
  auto found = store.Lookup({"NFO:BANKNIFTY26DEC52000CE", "NFO:MISSING"});
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().strike, 52000);
  FactsBook::Learnt learnt;
  learnt.lot_size = 30;
  learnt.freeze_quantity = 600;
  ASSERT_TRUE(store.SaveLearnt(kDay, "NFO:BANKNIFTY26DEC52000CE", learnt).ok());
  FactsBook facts({}, {});
  facts.AddDumpRow(found->front());
  ASSERT_TRUE(store.RestoreLearnt(kDay, facts).ok());
  const InstrumentFacts f = facts.Resolve("NFO", "BANKNIFTY26DEC52000CE");
  EXPECT_EQ(f.lot_size, 30);
  EXPECT_EQ(f.freeze_quantity, 600);
  FactsBook tomorrow({}, {});
  ASSERT_TRUE(store.RestoreLearnt("2026-11-27", tomorrow).ok());
  EXPECT_EQ(tomorrow.Resolve("NFO", "BANKNIFTY26DEC52000CE").lot_size, 0);
}

}  // namespace
}  // namespace zm::monitor
