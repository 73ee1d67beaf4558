// The square-off journal's tables in zerodha_mtm.db (squareoffs, squareoff_orders,
// squareoff_ledger, cancelled_orders, order_request_counts): their schema and its migrations, and
// the one reading and writing of a squareoffs and a squareoff_orders row. The monitor's
// JournalStore (mtm_monitor/squareoff/journal_store.h) writes and reads them; the report reader
// (report/report_reader.h: runner, alerts) reads them, also from a journal that an older release
// wrote and nobody has migrated yet (a column added later is then read as its default).
//
// These functions throw SQLite::Exception: callers run them inside SqliteCall (sqlite_call.h),
// which names the database and what was being done. Stateless; a Database is used by one thread.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <set>
#include <string>

#include "common/journal/journal_rows.h"

namespace zm::journal {

// Creates the tables and indexes when absent and adds the columns later releases added.
// Idempotent; run inside a transaction or not, as the caller likes.
void CreateJournalTables(SQLite::Database& db);

// The names of `table`'s columns (empty when the table does not exist).
std::set<std::string> TableColumns(SQLite::Database& db, const std::string& table);

// What to SELECT for ReadSquareOff / ReadOrder. `present` = the table's columns (TableColumns):
// a column a later release added that the table lacks is selected as its default value. Without
// `present` (a journal this binary created or migrated) every column is read.
std::string SquareOffColumns(const std::set<std::string>* present = nullptr);
std::string OrderColumns(const std::set<std::string>* present = nullptr);

// One row of a SELECT of SquareOffColumns() / OrderColumns() (in that order, from column 0).
JournaledSquareOff ReadSquareOff(SQLite::Statement& row);
JournaledOrder ReadOrder(SQLite::Statement& row);

// INSERT OR REPLACE of a whole squareoff_orders row, and its parameters.
const std::string& UpsertOrderSql();
void BindOrder(SQLite::Statement& statement, const JournaledOrder& order);

}  // namespace zm::journal
