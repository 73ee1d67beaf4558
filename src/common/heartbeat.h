// Process heartbeats: each long-running process upserts one row, at least every second, in the
// database it owns (the subscriber in zerodha_trading.db, the monitor in zerodha_mtm.db). The
// runner reads them to detect a hung child and to report status. `details` is free-form JSON
// (connected, last tick time, token state, ...).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/status.h"

namespace SQLite {
class Database;  // SQLiteCpp; only the functions below use it (callers include it)
}  // namespace SQLite

namespace zm {

struct Heartbeat {
  std::string component;  // "ltp_subscriber" | "mtm_monitor"
  long long pid = 0;
  long long started_at_ms = 0;
  long long updated_at_ms = 0;
  nlohmann::json details = nlohmann::json::object();
};

// CREATE TABLE IF NOT EXISTS process_heartbeat (...). Needs a writable connection.
Status EnsureHeartbeatTable(SQLite::Database& db);
Status WriteHeartbeat(SQLite::Database& db, const Heartbeat& heartbeat);
// nullopt when the table or the row does not exist.
Result<std::optional<Heartbeat>> ReadHeartbeat(SQLite::Database& db, const std::string& component);

}  // namespace zm
