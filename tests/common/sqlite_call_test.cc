#include "common/sqlite_call.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace zm {
namespace {

TEST(SqliteCallTest, VoidWorkIsOk) {
  int calls = 0;
  EXPECT_TRUE(SqliteCall("db", "doing", [&] { ++calls; }).ok());
  EXPECT_EQ(calls, 1);
}

TEST(SqliteCallTest, AValueBecomesAResultAndAStatusPassesThrough) {
  Result<int> value = SqliteCall("db", "doing", [] { return 7; });
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, 7);
  Status refused = SqliteCall("db", "doing", [] { return NotFound("row 3"); });
  EXPECT_EQ(refused.code(), StatusCode::kNotFound);
  Result<int> either = SqliteCall("db", "doing", []() -> Result<int> { return ParseError("x"); });
  EXPECT_EQ(either.status().code(), StatusCode::kParseError);
}

TEST(SqliteCallTest, AnExceptionBecomesAnIoErrorNamingTheDatabaseAndTheWork) {
  Status s = SqliteCall("zerodha_mtm.db", "writing events",
                        [] { throw std::runtime_error("database is locked"); });
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_EQ(s.message(), "zerodha_mtm.db: writing events: database is locked");
  Result<int> r =
      SqliteCall("db", "reading", []() -> int { throw std::runtime_error("disk I/O"); });
  EXPECT_EQ(r.status().code(), StatusCode::kIoError);
}

TEST(SqliteCallTest, RowsAndExecOnARealDatabase) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  ASSERT_TRUE(SqliteExec(db, "mem", "create", "CREATE TABLE t (day TEXT, n INTEGER)").ok());
  ASSERT_TRUE(SqliteExec(db, "mem", "insert", "INSERT INTO t VALUES (?, ?)", "d1", 1).ok());
  ASSERT_TRUE(SqliteExec(db, "mem", "insert", "INSERT INTO t VALUES (?, ?)", "d1", 2).ok());
  ASSERT_TRUE(SqliteExec(db, "mem", "insert", "INSERT INTO t VALUES (?, ?)", "d2", 5).ok());
  auto rows = SqliteRows(
      db, "mem", "select", "SELECT n FROM t WHERE day = ? ORDER BY n",
      [](SQLite::Statement& st) { return st.getColumn(0).getInt(); }, std::string("d1"));
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<int>{1, 2}));
  Status bad = SqliteExec(db, "mem", "insert into a missing table", "INSERT INTO nope VALUES (1)");
  EXPECT_EQ(bad.code(), StatusCode::kIoError);
  EXPECT_NE(bad.message().find("mem: insert into a missing table: "), std::string::npos);
  auto none =
      SqliteRows(db, "mem", "select", "SELECT n FROM nope", [](SQLite::Statement&) { return 0; });
  EXPECT_EQ(none.status().code(), StatusCode::kIoError);
}

TEST(JsonStringsTest, ReadsTheStringsOfAStoredArrayAndSkipsTheRest) {
  EXPECT_EQ(JsonStrings(R"(["NFO:A:NRML", "NSE:B:MIS"])"),
            (std::vector<std::string>{"NFO:A:NRML", "NSE:B:MIS"}));
  EXPECT_EQ(JsonStrings(R"(["a", 3, null, "b"])"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(JsonStrings("[]").empty());
  EXPECT_TRUE(JsonStrings("").empty());
  EXPECT_TRUE(JsonStrings("{\"a\": 1}").empty());
  EXPECT_TRUE(JsonStrings("not json").empty());
}

}  // namespace
}  // namespace zm
