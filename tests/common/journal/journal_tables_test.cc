// The square-off journal's tables (common/journal/journal_tables.h): a row written is read back
// whole, and a journal an older release wrote is read with the later columns' defaults.
#include "common/journal/journal_tables.h"

#include <gtest/gtest.h>

namespace zm::journal {
namespace {

SQLite::Database Memory() {
  return SQLite::Database(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
}

JournaledOrder Order() {
  JournaledOrder o;
  o.tag = "ZM0000100101";
  o.squareoff_id = 1;
  o.exchange = "NFO";
  o.tradingsymbol = "NIFTY26DECFUT";
  o.product = "NRML";
  o.transaction_type = "BUY";
  o.quantity = 75;
  o.walk_step = 2;
  o.autoslice = true;
  o.child_ids = {"A1", "A2"};
  o.filled_at_ms = 9;
  o.state = order_state::kComplete;
  return o;
}

std::vector<JournaledOrder> ReadOrders(SQLite::Database& db, const std::set<std::string>* present) {
  SQLite::Statement q(db, "SELECT " + OrderColumns(present) + " FROM squareoff_orders");
  std::vector<JournaledOrder> out;
  while (q.executeStep()) out.push_back(ReadOrder(q));
  return out;
}

TEST(JournalTablesTest, AnOrderRowIsReadBackWhole) {
  SQLite::Database db = Memory();
  CreateJournalTables(db);
  CreateJournalTables(db);  // idempotent
  SQLite::Statement upsert(db, UpsertOrderSql());
  BindOrder(upsert, Order());
  upsert.exec();
  const std::vector<JournaledOrder> rows = ReadOrders(db, nullptr);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].tag, "ZM0000100101");
  EXPECT_EQ(rows[0].walk_step, 2);
  EXPECT_TRUE(rows[0].autoslice);
  EXPECT_EQ(rows[0].child_ids, (std::vector<std::string>{"A1", "A2"}));
  EXPECT_EQ(rows[0].filled_at_ms, 9);
  EXPECT_EQ(rows[0].state, order_state::kComplete);
}

TEST(JournalTablesTest, AnOlderJournalIsReadWithTheLaterColumnsDefaults) {
  SQLite::Database db = Memory();
  CreateJournalTables(db);
  SQLite::Statement upsert(db, UpsertOrderSql());
  BindOrder(upsert, Order());
  upsert.exec();
  db.exec(
      "INSERT INTO squareoffs (trading_date, reason, mtm_at_trigger, started_at_ms, outcome,"
      " dry_run) VALUES ('2026-11-26', 'loss', -10, 5, 'running', 0)");
  // What the first release wrote: none of the columns added since (SQLite >= 3.35 drops them).
  for (const char* column : {"autoslice", "walk_step", "child_ids", "filled_at_ms"}) {
    db.exec(std::string("ALTER TABLE squareoff_orders DROP COLUMN ") + column);
  }
  db.exec("ALTER TABLE squareoffs DROP COLUMN trigger_data");

  const std::set<std::string> present = TableColumns(db, "squareoff_orders");
  EXPECT_EQ(present.count("walk_step"), 0u);
  const std::vector<JournaledOrder> rows = ReadOrders(db, &present);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].walk_step, 0);
  EXPECT_FALSE(rows[0].autoslice);
  EXPECT_TRUE(rows[0].child_ids.empty());
  EXPECT_EQ(rows[0].quantity, 75);

  const std::set<std::string> so_present = TableColumns(db, "squareoffs");
  SQLite::Statement q(db, "SELECT " + SquareOffColumns(&so_present) + " FROM squareoffs");
  ASSERT_TRUE(q.executeStep());
  const JournaledSquareOff so = ReadSquareOff(q);
  EXPECT_EQ(so.trigger_json, "{}");
  EXPECT_EQ(so.finished_at_ms, 0);  // NULL: still running
  EXPECT_EQ(so.outcome, "running");

  // And migrating it gives the columns back, with their defaults.
  CreateJournalTables(db);
  EXPECT_EQ(TableColumns(db, "squareoff_orders").count("walk_step"), 1u);
  EXPECT_EQ(ReadOrders(db, nullptr).at(0).child_ids.size(), 0u);
}

}  // namespace
}  // namespace zm::journal
