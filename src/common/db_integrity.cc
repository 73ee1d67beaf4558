#include "common/db_integrity.h"

#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <cstdio>
#include <cstring>
#include <fstream>

#include "common/ist.h"

namespace zm {
namespace {

// SQLite's verdicts on the file itself (as opposed to busy, locked, permissions...).
bool IsCorruptionCode(int code) {
  const int primary = code & 0xff;
  return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

}  // namespace

std::optional<std::string> HeaderProblem(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  char header[16] = {};
  in.read(header, sizeof header);
  const std::streamsize got = in.gcount();
  if (got == 0) return std::nullopt;
  static constexpr char kMagic[16] = "SQLite format 3";  // 15 characters and a NUL
  if (got < 16 || std::memcmp(header, kMagic, 16) != 0) {
    return "file is not a database (no SQLite header)";
  }
  return std::nullopt;
}

Result<std::optional<std::string>> QuickCheck(SQLite::Database& db) {
  try {
    SQLite::Statement st(db, "PRAGMA quick_check");
    std::string first;
    int problems = 0;
    while (st.executeStep()) {
      const std::string line = st.getColumn(0).getString();
      if (line == "ok") continue;
      if (problems++ == 0) first = line;
    }
    if (problems == 0) return std::optional<std::string>();
    return std::optional<std::string>(
        first + (problems > 1 ? " (and " + std::to_string(problems - 1) + " more problems)" : ""));
  } catch (const SQLite::Exception& e) {
    if (IsCorruptionCode(e.getErrorCode()) || IsCorruptionCode(e.getExtendedErrorCode())) {
      return std::optional<std::string>(e.what());
    }
    return IoError(std::string("integrity check could not run: ") + e.what());
  } catch (const std::exception& e) {
    return IoError(std::string("integrity check could not run: ") + e.what());
  }
}

Result<std::optional<std::string>> QuickCheckFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::optional<std::string>();
  if (auto problem = HeaderProblem(path)) return problem;
  try {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE, /*busy_timeout_ms=*/5000);
    return QuickCheck(db);
  } catch (const SQLite::Exception& e) {
    if (IsCorruptionCode(e.getErrorCode())) return std::optional<std::string>(e.what());
    return IoError("cannot open " + path.string() + ": " + e.what());
  }
}

std::filesystem::path AsidePath(const std::filesystem::path& path, SysTime now) {
  const IstCivil t = ToIst(now);
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "%04d%02d%02d-%02d%02d%02d", t.year, t.month, t.day, t.hour,
                t.minute, t.second);
  return path.string() + ".corrupt-" + stamp;
}

Result<std::optional<std::filesystem::path>> MoveAsideIfCorrupt(const std::filesystem::path& path,
                                                                SysTime now) {
  auto problem = QuickCheckFile(path);
  if (!problem.ok()) return problem.status();
  if (!problem->has_value()) return std::optional<std::filesystem::path>();
  const std::filesystem::path aside = AsidePath(path, now);
  std::error_code ec;
  std::filesystem::rename(path, aside, ec);
  if (ec) return IoError("cannot move corrupt " + path.string() + " aside: " + ec.message());
  // The WAL belongs to the corrupt file: left in place, SQLite would replay it into the new one.
  const std::filesystem::path wal = path.string() + "-wal";
  if (std::filesystem::exists(wal, ec)) std::filesystem::rename(wal, aside.string() + "-wal", ec);
  std::filesystem::remove(path.string() + "-shm", ec);
  return std::optional<std::filesystem::path>(aside);
}

Status EnableWal(SQLite::Database& db, const std::string& what) {
  try {
    const std::string mode = db.execAndGet("PRAGMA journal_mode=WAL").getString();
    if (mode != "wal") {
      return IoError(what + ": journal_mode is '" + mode +
                     "' after asking for WAL (a filesystem without shared memory or locking?)");
    }
  } catch (const std::exception& e) {
    return IoError(what + ": setting WAL: " + e.what());
  }
  return Status::Ok();
}

}  // namespace zm
