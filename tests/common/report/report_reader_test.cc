// The report reader (common/report/report_reader.h) reads the journal the monitor wrote, prices
// each fill against the trigger data and copes with a journal older than the binary.
#include "common/report/report_reader.h"

#include <gtest/gtest.h>

#include "common/journal/journal_tables.h"

namespace zm::report {
namespace {

constexpr const char* kDay = "2026-11-26";

// A square-off at MTM -5000 that bought back 75 NFO:X at 101 against a trigger price of 100.
void WriteFlatSquareOff(SQLite::Database& db) {
  journal::CreateJournalTables(db);
  db.exec(
      "INSERT INTO squareoffs (trading_date, reason, mtm_at_trigger, started_at_ms,"
      " finished_at_ms, outcome, dry_run, trigger_data) VALUES ('2026-11-26', 'loss', -5000,"
      " 1000, 4000, 'flat', 0, '{\"positions\": {\"NFO:X:NRML\": {\"price\": 100,"
      " \"multiplier\": 1, \"quantity\": -75, \"source\": \"tick\"}}}')");
  journal::JournaledOrder o;
  o.tag = "ZM0000100101";
  o.squareoff_id = 1;
  o.exchange = "NFO";
  o.tradingsymbol = "X";
  o.product = "NRML";
  o.transaction_type = "BUY";
  o.quantity = o.filled_quantity = 75;
  o.average_price = 101;
  o.state = journal::order_state::kComplete;
  o.created_at_ms = 1200;
  o.filled_at_ms = 1500;
  SQLite::Statement upsert(db, journal::UpsertOrderSql());
  journal::BindOrder(upsert, o);
  upsert.exec();
}

TEST(ReportReaderTest, PricesEachFillAgainstTheTrigger) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  WriteFlatSquareOff(db);
  Result<std::vector<SquareOffReport>> reports = ReadReports(db, kDay);
  ASSERT_TRUE(reports.ok()) << reports.status().ToString();
  ASSERT_EQ(reports->size(), 1u);
  const SquareOffReport& r = reports->front();
  EXPECT_EQ(r.squareoff.reason, "loss");
  EXPECT_EQ(r.orders, 1);
  ASSERT_EQ(r.slices.size(), 1u);
  EXPECT_EQ(r.slices[0].trigger_price, 100);
  EXPECT_EQ(r.slices[0].slippage, -75);  // bought back 1 rupee above the trigger price
  EXPECT_EQ(r.exit_pnl, -5075);
  EXPECT_EQ(r.breach_to_first_order_ms, 200);
  EXPECT_EQ(r.breach_to_flat_ms, 3000);
  EXPECT_TRUE(ReadReports(db, "2026-11-27")->empty());
}

TEST(ReportReaderTest, AJournalWithoutTriggerDataHasNoExitPnl) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  WriteFlatSquareOff(db);
  // Written by a release before the trigger data and the fill times; never migrated.
  db.exec("ALTER TABLE squareoffs DROP COLUMN trigger_data");
  db.exec("ALTER TABLE squareoff_orders DROP COLUMN filled_at_ms");
  Result<std::optional<SquareOffReport>> report = ReadReport(db, 1);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_TRUE(report->has_value());
  const SquareOffReport& r = **report;
  EXPECT_EQ(r.slices.at(0).filled, 75);
  EXPECT_FALSE(r.slices[0].trigger_price.has_value());
  EXPECT_FALSE(r.exit_pnl.has_value()) << "a fill without a trigger price: no figure";
  EXPECT_FALSE(r.breach_to_last_fill_ms.has_value());
}

}  // namespace
}  // namespace zm::report
