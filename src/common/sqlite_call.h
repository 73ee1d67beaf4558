// SqliteCall: runs work that uses SQLiteCpp, which reports every failure by throwing, and turns
// the exception into an IoError that names the database and what was being done. A store's
// method then holds its SQL and nothing else:
//
//   Status TradingDb::ReplacePositions(...) {
//     return SqliteCall(kDbName, "writing positions", [&] { ... });
//   }
//
// `work` returns void (SqliteCall returns Status::Ok()), a Status, a T (Result<T>) or a
// Result<T>. Caught: std::exception (SQLite::Exception, and json or std::stoll failures on a
// stored value), nothing else. The message: "<db>: <doing>: <what SQLite said>".
//
// SqliteRows and SqliteExec: the two common shapes, every row one SELECT returns (each made by
// read_row), and one statement that writes.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/VariadicBind.h>

#include <exception>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "common/status.h"

namespace zm {
namespace sqlite_call_internal {

template <typename T>
struct Returned {
  using type = Result<T>;
};
template <>
struct Returned<void> {
  using type = Status;
};
template <>
struct Returned<Status> {
  using type = Status;
};
template <typename T>
struct Returned<Result<T>> {
  using type = Result<T>;
};

}  // namespace sqlite_call_internal

template <typename Work>
auto SqliteCall(std::string_view db, std::string_view doing, Work&& work) ->
    typename sqlite_call_internal::Returned<std::invoke_result_t<Work&>>::type {
  try {
    if constexpr (std::is_void_v<std::invoke_result_t<Work&>>) {
      work();
      return Status::Ok();
    } else {
      return work();
    }
  } catch (const std::exception& e) {
    return IoError(std::string(db) + ": " + std::string(doing) + ": " + e.what());
  }
}

// The rows `select` returns with `params` bound to its ?s in order, each made by
// read_row(statement) (called once per row; it reads the columns it selected).
template <typename ReadRow, typename... Params>
auto SqliteRows(SQLite::Database& db, std::string_view where, std::string_view doing,
                const std::string& select, ReadRow&& read_row, const Params&... params)
    -> Result<std::vector<std::invoke_result_t<ReadRow&, SQLite::Statement&>>> {
  return SqliteCall(where, doing, [&] {
    std::vector<std::invoke_result_t<ReadRow&, SQLite::Statement&>> rows;
    SQLite::Statement statement(db, select);
    SQLite::bind(statement, params...);
    while (statement.executeStep()) rows.push_back(read_row(statement));
    return rows;
  });
}

// Runs one statement that writes (INSERT, UPDATE, DELETE, CREATE) with `params` bound to its
// ?s in order.
template <typename... Params>
Status SqliteExec(SQLite::Database& db, std::string_view where, std::string_view doing,
                  const std::string& sql, const Params&... params) {
  return SqliteCall(where, doing, [&] {
    SQLite::Statement statement(db, sql);
    SQLite::bind(statement, params...);
    statement.exec();
  });
}

// A TEXT column that holds a JSON array of strings (remaining keys, child order ids, tags):
// its strings; anything else in it (not JSON, not an array, a non-string item) is skipped.
inline std::vector<std::string> JsonStrings(const std::string& text) {
  std::vector<std::string> out;
  const nlohmann::json array = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!array.is_array()) return out;
  for (const nlohmann::json& item : array) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace zm
