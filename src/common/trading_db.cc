// TradingDb implementation. THE schema of zerodha_trading.db lives here, in kMigrations: step i
// brings schema_version i to i + 1. Never edit a shipped step; append a new one.
//
// Rows are mapped to columns by the Kite models' field tables (kite/model_fields.h), the same
// tables that parse and write Kite's JSON: a field of a model is listed in one place.
#include "common/trading_db.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <SQLiteCpp/VariadicBind.h>
#include <fmt/format.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string_view>
#include <variant>

#include "common/db_integrity.h"
#include "common/heartbeat.h"
#include "common/kite/model_fields.h"
#include "common/sqlite_call.h"

namespace zm {
namespace {

// Resets a kept statement when a read or write is done, also after a throw: a statement left
// stepped keeps its read transaction open, and an open read stops the WAL from being
// checkpointed past it (the file would grow without bound).
struct ResetAtExit {
  SQLite::Statement& statement;
  ~ResetAtExit() { statement.tryReset(); }
};

constexpr const char* kSelectMeta = "SELECT value FROM meta WHERE key = ?";

// --- Schema -------------------------------------------------------------------------------
// ltp_data: latest tick per instrument (upserted). positions: last snapshot, `kind` net|day,
// `seq` keeps Kite's order. order_updates: append-only ticker order messages.
// meta: key/value (schema_version, positions_synced_at_ms, token_state, ws_connected, ...).
constexpr std::string_view kMigrations[] = {
    // 0 -> 1
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE ltp_data ("
    " instrument_token INTEGER PRIMARY KEY, last_price REAL NOT NULL,"
    " open REAL NOT NULL, high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL,"
    " volume INTEGER NOT NULL, best_bid REAL NOT NULL, best_ask REAL NOT NULL,"
    " best_bid_quantity INTEGER NOT NULL, best_ask_quantity INTEGER NOT NULL,"
    " exchange_time_ms INTEGER NOT NULL, received_at_ms INTEGER NOT NULL);"
    "CREATE TABLE positions (kind TEXT NOT NULL, seq INTEGER NOT NULL,"
    " tradingsymbol TEXT NOT NULL, exchange TEXT NOT NULL, product TEXT NOT NULL,"
    " instrument_token INTEGER NOT NULL, quantity INTEGER NOT NULL,"
    " overnight_quantity INTEGER NOT NULL, multiplier REAL NOT NULL,"
    " average_price REAL NOT NULL, close_price REAL NOT NULL, last_price REAL NOT NULL,"
    " value REAL NOT NULL, pnl REAL NOT NULL, m2m REAL NOT NULL, unrealised REAL NOT NULL,"
    " realised REAL NOT NULL, buy_quantity INTEGER NOT NULL, sell_quantity INTEGER NOT NULL,"
    " buy_price REAL NOT NULL, buy_value REAL NOT NULL, buy_m2m REAL NOT NULL,"
    " sell_price REAL NOT NULL, sell_value REAL NOT NULL, sell_m2m REAL NOT NULL,"
    " day_buy_quantity INTEGER NOT NULL, day_sell_quantity INTEGER NOT NULL,"
    " day_buy_price REAL NOT NULL, day_buy_value REAL NOT NULL,"
    " day_sell_price REAL NOT NULL, day_sell_value REAL NOT NULL,"
    " PRIMARY KEY (kind, seq));"
    "CREATE TABLE order_updates (id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " received_at_ms INTEGER NOT NULL, order_id TEXT NOT NULL, exchange_order_id TEXT NOT NULL,"
    " parent_order_id TEXT NOT NULL, status TEXT NOT NULL, status_message TEXT NOT NULL,"
    " order_timestamp TEXT NOT NULL, exchange_timestamp TEXT NOT NULL, variety TEXT NOT NULL,"
    " exchange TEXT NOT NULL, tradingsymbol TEXT NOT NULL, instrument_token INTEGER NOT NULL,"
    " order_type TEXT NOT NULL, transaction_type TEXT NOT NULL, validity TEXT NOT NULL,"
    " product TEXT NOT NULL, quantity INTEGER NOT NULL, disclosed_quantity INTEGER NOT NULL,"
    " price REAL NOT NULL, trigger_price REAL NOT NULL, average_price REAL NOT NULL,"
    " filled_quantity INTEGER NOT NULL, pending_quantity INTEGER NOT NULL,"
    " cancelled_quantity INTEGER NOT NULL, market_protection REAL NOT NULL, tag TEXT NOT NULL,"
    " placed_by TEXT NOT NULL, guid TEXT NOT NULL);"
    "CREATE INDEX order_updates_order_id ON order_updates(order_id);",
    // 1 -> 2: market depth for LIMIT exit prices; the orders' tags[] (Kite lists our tag there)
    "ALTER TABLE ltp_data ADD COLUMN depth TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE order_updates ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';",
};
constexpr int kSchemaVersion = static_cast<int>(std::size(kMigrations));

constexpr const char* kMetaSchemaVersion = "schema_version";

// Depth as text: "price qty" pairs, bids then offers, ';' between levels, '|' between sides.
// Compact and cheap to write for every full-mode tick; "" when the row has none.
std::string EncodeDepth(const LtpRow& r) {
  if (r.bids[0].price <= 0 && r.offers[0].price <= 0) return "";
  std::string out;
  out.reserve(160);
  auto side = [&](const std::array<DepthPoint, 5>& levels) {
    for (size_t i = 0; i < levels.size(); ++i) {
      if (i) out += ';';
      out += fmt::format("{} {}", levels[i].price, levels[i].quantity);
    }
  };
  side(r.bids);
  out += '|';
  side(r.offers);
  return out;
}

void DecodeDepth(const std::string& text, LtpRow& r) {
  size_t pos = 0;
  for (auto* levels : {&r.bids, &r.offers}) {
    for (DepthPoint& level : *levels) {
      double price = 0;
      long long quantity = 0;
      int used = 0;
      if (pos >= text.size() ||
          std::sscanf(text.c_str() + pos, "%lf %lld%n", &price, &quantity, &used) != 2) {
        return;
      }
      level = {price, quantity};
      pos += static_cast<size_t>(used) + 1;  // and the ';' or '|'
    }
  }
}

// --- Field tables (kite/model_fields.h: the JSON members are the column names) -----------
template <typename T>
using Fields = std::span<const kite::ModelField<T>>;

template <typename T>
std::string ColumnList(Fields<T> fields) {
  std::string out;
  for (const auto& f : fields) out += std::string(out.empty() ? "" : ", ") + f.name;
  return out;
}

template <typename T>
std::string InsertSql(const char* table, const char* leading, size_t leading_count,
                      Fields<T> fields) {
  std::string sql =
      std::string("INSERT INTO ") + table + " (" + leading + ColumnList(fields) + ") VALUES (";
  for (size_t i = 0; i < fields.size() + leading_count; ++i) sql += i == 0 ? "?" : ", ?";
  return sql + ")";
}

// Binds `fields` of `row` from parameter index `first` on.
template <typename T>
void BindFields(SQLite::Statement& st, int first, const T& row, Fields<T> fields) {
  int index = first;
  for (const auto& f : fields) {
    std::visit(
        [&](auto member) {
          using V = std::decay_t<decltype(row.*member)>;
          if constexpr (std::is_same_v<V, std::string>) {
            st.bind(index, row.*member);
          } else if constexpr (std::is_same_v<V, double>) {
            st.bind(index, row.*member);
          } else {
            st.bind(index, static_cast<int64_t>(row.*member));
          }
        },
        f.member);
    ++index;
  }
}

// Reads `fields` into `row` from column index `first` on.
template <typename T>
void ReadFields(SQLite::Statement& st, int first, T& row, Fields<T> fields) {
  int index = first;
  for (const auto& f : fields) {
    SQLite::Column column = st.getColumn(index);
    std::visit(
        [&](auto member) {
          using V = std::decay_t<decltype(row.*member)>;
          if constexpr (std::is_same_v<V, std::string>) {
            row.*member = column.getString();
          } else if constexpr (std::is_same_v<V, double>) {
            row.*member = column.getDouble();
          } else {
            row.*member = static_cast<V>(column.getInt64());
          }
        },
        f.member);
    ++index;
  }
}

constexpr std::string_view kDbName = "zerodha_trading.db";

int ReadSchemaVersion(SQLite::Database& db) {
  if (!db.tableExists("meta")) return 0;
  SQLite::Statement st(db, "SELECT value FROM meta WHERE key = ?");
  st.bind(1, kMetaSchemaVersion);
  return st.executeStep() ? std::stoi(st.getColumn(0).getString()) : 0;
}

// Creates or upgrades the schema in one transaction per step.
Status Migrate(SQLite::Database& db) {
  const int found = ReadSchemaVersion(db);
  if (found > kSchemaVersion) {
    return InvalidArgument("zerodha_trading.db has schema_version " + std::to_string(found) +
                           ", newer than this program's " + std::to_string(kSchemaVersion) +
                           ": upgrade the program");
  }
  for (int version = found; version < kSchemaVersion; ++version) {
    SQLite::Transaction tx(db);
    db.exec(std::string(kMigrations[version]));
    SQLite::Statement st(db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
    st.bind(1, kMetaSchemaVersion);
    st.bind(2, std::to_string(version + 1));
    st.exec();
    tx.commit();
  }
  return EnsureHeartbeatTable(db);
}

void SetMetaIn(SQLite::Database& db, const std::string& key, const std::string& value) {
  SQLite::Statement st(db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
  st.bind(1, key);
  st.bind(2, value);
  st.exec();
}

}  // namespace

Result<std::unique_ptr<TradingDb>> TradingDb::Open(const std::filesystem::path& path,
                                                   bool read_only) {
  std::error_code ec;
  if (read_only && !std::filesystem::exists(path, ec)) {
    return NotFound("zerodha_trading.db not found at " + path.string() +
                    " (is zerodha_ltp_subscriber running?)");
  }
  using Opened = std::unique_ptr<TradingDb>;
  return SqliteCall(kDbName, "opening " + path.string(), [&]() -> Result<Opened> {
    const int flags =
        read_only ? SQLite::OPEN_READONLY : (SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    // Readers wait up to 2 s for a lock; the writer waits 5 s (a checkpoint by a reader).
    auto db = std::make_unique<SQLite::Database>(path.string(), flags, read_only ? 2000 : 5000);
    if (!read_only) {
      ZM_RETURN_IF_ERROR(EnableWal(*db, path.string()));
      // WAL + NORMAL: a commit survives a process crash; only an OS crash can lose the last
      // batches, which the next ticks rewrite anyway.
      db->exec("PRAGMA synchronous=NORMAL");
      ZM_RETURN_IF_ERROR(Migrate(*db));
    }
    return Opened(new TradingDb(std::move(db)));
  });
}

Status TradingDb::UpsertLtps(const std::vector<LtpRow>& rows) {
  return SqliteCall(kDbName, "writing ltp_data", [&] {
    SQLite::Transaction tx(*db_);
    SQLite::Statement& st = Prepared(
        "INSERT OR REPLACE INTO ltp_data (instrument_token, last_price, open,"
        " high, low, close, volume, best_bid, best_ask, best_bid_quantity,"
        " best_ask_quantity, exchange_time_ms, received_at_ms, depth)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    ResetAtExit reset_st{st};
    for (const LtpRow& r : rows) {
      SQLite::bind(st, static_cast<int64_t>(r.instrument_token), r.last_price, r.open, r.high,
                   r.low, r.close, static_cast<int64_t>(r.volume), r.best_bid, r.best_ask,
                   static_cast<int64_t>(r.best_bid_quantity),
                   static_cast<int64_t>(r.best_ask_quantity),
                   static_cast<int64_t>(r.exchange_time_ms), static_cast<int64_t>(r.received_at_ms),
                   EncodeDepth(r));
      st.exec();
      st.reset();
    }
    tx.commit();
  });
}

Status TradingDb::ReplacePositions(const kite::Positions& positions, long long synced_at_ms) {
  return SqliteCall(kDbName, "writing positions", [&] {
    SQLite::Transaction tx(*db_);
    db_->exec("DELETE FROM positions");
    SQLite::Statement st(*db_, InsertSql("positions", "kind, seq, ", 2, kite::PositionFields()));
    auto insert_all = [&](const char* kind, const std::vector<kite::Position>& rows) {
      for (size_t i = 0; i < rows.size(); ++i) {
        st.bind(1, kind);
        st.bind(2, static_cast<int64_t>(i));
        BindFields(st, 3, rows[i], kite::PositionFields());
        st.exec();
        st.reset();
      }
    };
    insert_all("net", positions.net);
    insert_all("day", positions.day);
    SetMetaIn(*db_, kMetaPositionsSyncedAt, std::to_string(synced_at_ms));
    tx.commit();
  });
}

Status TradingDb::InsertOrderUpdate(const kite::Order& order, long long received_at_ms) {
  return SqliteCall(kDbName, "writing order_updates", [&] {
    SQLite::Statement st(
        *db_, InsertSql("order_updates", "received_at_ms, tags, ", 2, kite::OrderFields()));
    st.bind(1, static_cast<int64_t>(received_at_ms));
    st.bind(2, nlohmann::json(order.tags).dump());
    BindFields(st, 3, order, kite::OrderFields());
    st.exec();
  });
}

Status TradingDb::SetMeta(const std::string& key, const std::string& value) {
  return SqliteCall(kDbName, "writing meta", [&] { SetMetaIn(*db_, key, value); });
}

SQLite::Statement& TradingDb::Prepared(const std::string& sql) {
  auto& slot = statements_[sql];
  if (!slot) slot = std::make_unique<SQLite::Statement>(*db_, sql);
  return *slot;
}

Result<long long> TradingDb::DataVersion() {
  return SqliteCall(kDbName, "PRAGMA data_version", [&]() -> Result<long long> {
    if (!data_version_)
      data_version_ = std::make_unique<SQLite::Statement>(*db_, "PRAGMA data_version");
    ResetAtExit reset{*data_version_};  // no read transaction left open between polls
    if (!data_version_->executeStep()) return IoError("PRAGMA data_version: no row");
    return static_cast<long long>(data_version_->getColumn(0).getInt64());
  });
}

Result<std::map<uint32_t, LtpRow>> TradingDb::ReadLtps() {
  return SqliteCall(kDbName, "reading ltp_data", [&] {
    std::map<uint32_t, LtpRow> rows;
    SQLite::Statement& st = Prepared(
        "SELECT instrument_token, last_price, open, high, low, close, volume,"
        " best_bid, best_ask, best_bid_quantity, best_ask_quantity,"
        " exchange_time_ms, received_at_ms FROM ltp_data");
    ResetAtExit reset_st{st};
    while (st.executeStep()) {
      LtpRow r;
      r.instrument_token = static_cast<uint32_t>(st.getColumn(0).getInt64());
      r.last_price = st.getColumn(1).getDouble();
      r.open = st.getColumn(2).getDouble();
      r.high = st.getColumn(3).getDouble();
      r.low = st.getColumn(4).getDouble();
      r.close = st.getColumn(5).getDouble();
      r.volume = st.getColumn(6).getInt64();
      r.best_bid = st.getColumn(7).getDouble();
      r.best_ask = st.getColumn(8).getDouble();
      r.best_bid_quantity = st.getColumn(9).getInt64();
      r.best_ask_quantity = st.getColumn(10).getInt64();
      r.exchange_time_ms = st.getColumn(11).getInt64();
      r.received_at_ms = st.getColumn(12).getInt64();
      rows[r.instrument_token] = r;
    }
    return rows;
  });
}

Result<PositionsSnapshot> TradingDb::ReadPositions() {
  return SqliteCall(kDbName, "reading positions", [&] {
    PositionsSnapshot snapshot;
    // One read transaction so the rows and their sync time belong to the same snapshot.
    SQLite::Transaction tx(*db_);
    SQLite::Statement& st = Prepared("SELECT kind, " + ColumnList(kite::PositionFields()) +
                                     " FROM positions ORDER BY kind, seq");
    ResetAtExit reset_st{st};
    while (st.executeStep()) {
      kite::Position p;
      ReadFields(st, 1, p, kite::PositionFields());
      (st.getColumn(0).getString() == "net" ? snapshot.positions.net : snapshot.positions.day)
          .push_back(std::move(p));
    }
    SQLite::Statement& meta = Prepared(kSelectMeta);
    ResetAtExit reset_meta{meta};
    meta.bind(1, kMetaPositionsSyncedAt);
    if (meta.executeStep()) snapshot.synced_at_ms = std::stoll(meta.getColumn(0).getString());
    return snapshot;
  });
}

Result<long long> TradingDb::PositionsSyncedAt() {
  return SqliteCall(kDbName, "reading positions_synced_at_ms", [&]() -> Result<long long> {
    SQLite::Statement& meta = Prepared(kSelectMeta);
    ResetAtExit reset_meta{meta};
    meta.bind(1, kMetaPositionsSyncedAt);
    if (!meta.executeStep()) return 0LL;
    return std::stoll(meta.getColumn(0).getString());
  });
}

Result<std::optional<LtpRow>> TradingDb::ReadLtp(uint32_t instrument_token) {
  return SqliteCall(kDbName, "reading ltp_data", [&] {
    SQLite::Statement st(*db_,
                         "SELECT last_price, best_bid, best_ask, best_bid_quantity,"
                         " best_ask_quantity, received_at_ms, depth FROM ltp_data"
                         " WHERE instrument_token = ?");
    st.bind(1, static_cast<int64_t>(instrument_token));
    if (!st.executeStep()) return std::optional<LtpRow>();
    LtpRow r;
    r.instrument_token = instrument_token;
    r.last_price = st.getColumn(0).getDouble();
    r.best_bid = st.getColumn(1).getDouble();
    r.best_ask = st.getColumn(2).getDouble();
    r.best_bid_quantity = st.getColumn(3).getInt64();
    r.best_ask_quantity = st.getColumn(4).getInt64();
    r.received_at_ms = st.getColumn(5).getInt64();
    DecodeDepth(st.getColumn(6).getString(), r);
    return std::optional<LtpRow>(r);
  });
}

Result<std::vector<OrderUpdateRow>> TradingDb::ReadOrderUpdatesAfter(long long id) {
  return SqliteCall(kDbName, "reading order_updates", [&] {
    std::vector<OrderUpdateRow> rows;
    SQLite::Statement& st =
        Prepared("SELECT id, received_at_ms, tags, " + ColumnList(kite::OrderFields()) +
                 " FROM order_updates WHERE id > ? ORDER BY id");
    ResetAtExit reset_st{st};
    st.bind(1, static_cast<int64_t>(id));
    while (st.executeStep()) {
      OrderUpdateRow row;
      row.id = st.getColumn(0).getInt64();
      row.received_at_ms = st.getColumn(1).getInt64();
      row.order.tags = JsonStrings(st.getColumn(2).getString());
      ReadFields(st, 3, row.order, kite::OrderFields());
      rows.push_back(std::move(row));
    }
    return rows;
  });
}

Result<std::optional<std::string>> TradingDb::GetMeta(const std::string& key) {
  return SqliteCall(kDbName, "reading meta", [&] {
    SQLite::Statement& st = Prepared(kSelectMeta);
    ResetAtExit reset_st{st};
    st.bind(1, key);
    if (!st.executeStep()) return std::optional<std::string>();
    return std::optional<std::string>(st.getColumn(0).getString());
  });
}

}  // namespace zm
