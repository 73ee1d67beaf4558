// Helpers shared by monitor.cc and monitor_io.cc (not part of the monitor's interface).
#pragma once

#include <SQLiteCpp/Database.h>
#include <spdlog/spdlog.h>

#include <exception>

#include "common/spawned_task.h"  // LogIfThrown, for the monitor's co_spawns

namespace zm::monitor {

// Scopes a write that need not survive a power cut (the heartbeat, the snapshot: both rewritten
// within seconds) out of zerodha_mtm.db's synchronous=FULL, which would fsync every commit; the
// journal and the day's state keep FULL. No co_await inside the scope (the engine shares the
// connection).
class NotDurable {
 public:
  explicit NotDurable(SQLite::Database& db) : db_(db) { Set("PRAGMA synchronous=NORMAL"); }
  ~NotDurable() { Set("PRAGMA synchronous=FULL"); }
  NotDurable(const NotDurable&) = delete;
  NotDurable& operator=(const NotDurable&) = delete;

 private:
  void Set(const char* pragma) noexcept {
    try {
      db_.exec(pragma);
    } catch (const std::exception& e) {
      spdlog::warn("{}: {}", pragma, e.what());
    }
  }
  SQLite::Database& db_;
};

}  // namespace zm::monitor
