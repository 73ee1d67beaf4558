// The monitor's snapshot: after every MTM cycle zerodha_mtm_monitor replaces one JSON document
// in zerodha_mtm.db (table monitor_snapshot, single row id = 1). The runner's `summary` and
// `status` read it (read-only), whether or not the suite is running. Schema of the document:
//   trading_date      "YYYY-MM-DD" (IST)
//   updated_at_ms     epoch ms of the cycle
//   mtm, realised, unrealised, daily_max_mtm   rupees, rounded to paise (mtm: the basis the
//                     triggers use; realised/unrealised: the since-entry split)
//   mtm_basis         "day" | "since_entry" (trading.mtm_basis)
//   mtm_day, mtm_since_entry  both totals over the guarded rows
//   loss_threshold, profit_target              rupees (from config)
//   trailing_floor    rupees or null
//   state             "monitoring" | "squaring_off" | "locked_after_target" |
//                     "locked_after_loss" | "locked_after_trailing" | "locked_after_time" |
//                     "alert_only" | "dry_run" | "previous_day" (before trading.day_starts_at:
//                     shown, not acted on) | "outside_market_hours" (a trigger waits for a session)
//   target_locked     bool: no new positions allowed today
//   alert_only, dry_run  bool
//   fallbacks         [ "NFO:X priced from REST quote", ... ] this cycle's fallbacks
//   positions[]       { exchange, tradingsymbol, product, quantity, last_price,
//                       price_source ("tick"|"rest"|"positions"), price_age_ms, pnl,
//                       realised, unrealised (since entry), m2m (the day's),
//                       scope ("guarded"|"sold_from_holdings"|"product_not_guarded") }
//   square_offs[]     { id, reason, started_at_ms, finished_at_ms|null, outcome
//                       ("running"|"flat"|"failed"|"dry_run"|"alert_only"),
//                       orders[] { tag, tradingsymbol, transaction_type, quantity, order_type,
//                                  status, order_id, filled_quantity, average_price } }
//   last_critical     { at_ms, message } or null
#pragma once

#include <SQLiteCpp/Database.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "common/status.h"

namespace zm {

Status EnsureMonitorSnapshotTable(SQLite::Database& db);
Status WriteMonitorSnapshot(SQLite::Database& db, const nlohmann::json& snapshot);
// nullopt when there is no snapshot yet (or no table).
Result<std::optional<nlohmann::json>> ReadMonitorSnapshot(SQLite::Database& db);

}  // namespace zm
