// TradingDb: zerodha_trading.db, written by zerodha_ltp_subscriber (the only writer) and read by
// zerodha_mtm_monitor and the runner's CLI. WAL mode, so readers never block the writer for long.
//
// The schema lives in trading_db.cc (one place), created and migrated at Open() by a writable
// connection; `schema_version` in table `meta` records it. Tables (names from the design doc):
//   ltp_data          latest tick per instrument_token (one row each, upserted)
//   positions         the last positions snapshot (`net` and `day` rows, every field)
//   order_updates     {"type":"order"} messages from the ticker, append-only
//   meta              key/value: schema_version, positions_synced_at_ms, token_state, ...
//   process_heartbeat the subscriber's heartbeat (common/heartbeat.h)
// Times are epoch milliseconds. One TradingDb per thread; not thread-safe.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <array>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/kite/models.h"
#include "common/status.h"
#include "common/trading_rows.h"

namespace zm {

class TradingDb {
 public:
  // read_only: opens an existing database without creating or migrating it (NotFound if absent).
  static Result<std::unique_ptr<TradingDb>> Open(const std::filesystem::path& path, bool read_only);

  // Writer side (subscriber). Each call is one transaction.
  Status UpsertLtps(const std::vector<LtpRow>& rows);
  Status ReplacePositions(const kite::Positions& positions, long long synced_at_ms);
  Status InsertOrderUpdate(const kite::Order& order, long long received_at_ms);
  Status SetMeta(const std::string& key, const std::string& value);

  // Reader side.
  Result<std::map<uint32_t, LtpRow>> ReadLtps();
  // One instrument's row with its depth; nullopt when there is none.
  Result<std::optional<LtpRow>> ReadLtp(uint32_t instrument_token);
  Result<PositionsSnapshot> ReadPositions();
  // The positions snapshot's sync time alone (0 = never synced): a reader that kept the last
  // snapshot learns with one indexed read whether it must read the rows again.
  Result<long long> PositionsSyncedAt();
  Result<std::vector<OrderUpdateRow>> ReadOrderUpdatesAfter(long long id);
  Result<std::optional<std::string>> GetMeta(const std::string& key);
  // SQLite's `PRAGMA data_version` of this connection: it changes whenever another connection
  // (the subscriber) commits, so a reader polls it for a few microseconds instead of re-reading
  // the tables to learn whether anything changed.
  Result<long long> DataVersion();

  SQLite::Database& db() { return *db_; }

 private:
  explicit TradingDb(std::unique_ptr<SQLite::Database> db) : db_(std::move(db)) {}
  // The statement for `sql`, prepared at its first use and kept: the monitor reads several
  // times a second and the subscriber writes every 50 ms, and preparing cost more than running.
  // Callers reset it when done (a stepped-but-not-reset statement keeps a read transaction open).
  SQLite::Statement& Prepared(const std::string& sql);
  std::unique_ptr<SQLite::Database> db_;
  // Declared after db_ (destroyed first).
  std::unique_ptr<SQLite::Statement> data_version_;
  std::map<std::string, std::unique_ptr<SQLite::Statement>> statements_;
};

// Well-known meta keys.
inline constexpr const char* kMetaTokenState = "token_state";    // "ok" | "rejected" | "missing"
inline constexpr const char* kMetaWsConnected = "ws_connected";  // "1" | "0"
// Epoch ms of the last order book snapshot stored in order_updates (at every ticker connect).
inline constexpr const char* kMetaOrderBookSyncedAt = "order_book_synced_at_ms";
// Epoch ms of the last successful positions sync (written with the positions, atomically).
inline constexpr const char* kMetaPositionsSyncedAt = "positions_synced_at_ms";
// Instruments the subscriber has subscribed (count, decimal) and the last subscription problem
// ("" when none, e.g. more than 3000 instruments).
inline constexpr const char* kMetaSubscribedCount = "subscribed_count";
inline constexpr const char* kMetaSubscriptionError = "subscription_error";

}  // namespace zm
