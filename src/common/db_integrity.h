// Integrity of the suite's SQLite files, checked when a process opens them (issue #12).
//
// Every writer opens its database through QuickCheck (PRAGMA quick_check). What happens to a
// corrupt file depends on what it holds:
//   zerodha_trading.db  a cache (prices, positions) the subscriber rebuilds from Kite: a corrupt
//                       file is moved aside (renamed with a timestamp, its WAL with it) and a
//                       fresh one is created (MoveAsideIfCorrupt).
//   zerodha_mtm.db      the day's lock, the square-off journal and history: never rebuilt
//                       silently; start-up stops with an error naming the file.
// Corruption and failure to check are different answers: a busy or unreadable file is an error
// Status (kIoError) and must never be taken as "corrupt" (that would move a sound cache aside).
// Adapters (SQLite, the filesystem); time is passed in. Thread-compatible.
#pragma once

#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/status.h"

namespace zm {

// Reads only the first 16 bytes: nullopt when the file is absent, empty (SQLite makes it a new
// database) or starts with SQLite's magic; otherwise the problem. Checked before SQLite opens a
// file: closing a connection to a file it cannot read deletes the -wal, the last evidence.
std::optional<std::string> HeaderProblem(const std::filesystem::path& path);

// nullopt when `db` is sound; otherwise what is wrong ("file is not a database", the first
// line of quick_check's answer, ...). An error Status when the check could not run.
Result<std::optional<std::string>> QuickCheck(SQLite::Database& db);

// QuickCheck of the file at `path`, opened read-write without creating it (so that a hot WAL
// is applied as any writer would). nullopt when the file is absent or sound.
Result<std::optional<std::string>> QuickCheckFile(const std::filesystem::path& path);

// "<path>.corrupt-YYYYMMDD-HHMMSS" (IST) for the instant `now`.
std::filesystem::path AsidePath(const std::filesystem::path& path, SysTime now);

// When the file at `path` is corrupt: renames it (and its -wal) to AsidePath(), removes its
// -shm, and returns the new path; nullopt when the file is sound or absent.
Result<std::optional<std::filesystem::path>> MoveAsideIfCorrupt(const std::filesystem::path& path,
                                                                SysTime now);

// Sets journal_mode=WAL and verifies that SQLite really uses it (a filesystem without shared
// memory support silently keeps another mode). kIoError naming `what` otherwise.
Status EnableWal(SQLite::Database& db, const std::string& what);

}  // namespace zm
