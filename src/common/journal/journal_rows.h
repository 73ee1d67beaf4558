// The square-off journal's rows as plain values (no SQLite here: journal_tables.h reads and
// writes them, in zerodha_mtm.db). The monitor's square-off engine keeps its journal in them; the
// square-off report (report/) is computed from them.
//
//   JournaledSquareOff  one square-off: date, reason, MTM at trigger, start/finish (epoch ms),
//                       outcome ("running" until finished, then "flat" | "failed" | "dry_run"),
//                       how many times a position was planned, what remained open, a summary,
//                       and the trigger data (the positions, prices and multipliers the trigger's
//                       MTM used, as JSON; the report prices each fill against it).
//   JournaledOrder      one order ATTEMPT, keyed by its tag (mtm_monitor/squareoff/tags.h),
//                       written before the order is sent: params, state, the broker's order ids,
//                       status and fills.
//                       States:
//                         journaled  written; may or may not have reached the broker (unknown)
//                         placed     the broker has it (order id known), not terminal yet
//                         complete | cancelled | rejected   terminal at the broker
//                         not_sent   refused at once, or proven absent from the order book
//                         dry_run    would have been sent (risk_management.dry_run)
// Times are epoch milliseconds (wall clock), so that they survive a restart. Plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace zm::journal {

struct JournaledSquareOff {
  long long id = 0;
  std::string trading_date, reason;
  double mtm_at_trigger = 0;
  long long started_at_ms = 0, finished_at_ms = 0;  // 0 = not finished
  std::string outcome = "running";
  bool dry_run = false;
  int rounds = 0;  // the most times any one position was planned
  std::vector<std::string> remaining;
  std::string summary;
  std::string trigger_json = "{}";  // the trigger data (see above); the engine only stores it
};

namespace order_state {
inline constexpr const char* kJournaled = "journaled";
inline constexpr const char* kPlaced = "placed";
inline constexpr const char* kComplete = "complete";
inline constexpr const char* kCancelled = "cancelled";
inline constexpr const char* kRejected = "rejected";
inline constexpr const char* kNotSent = "not_sent";
inline constexpr const char* kDryRun = "dry_run";
}  // namespace order_state

struct JournaledOrder {
  std::string tag;
  long long squareoff_id = 0;
  int round = 0;  // which planning of its position this attempt belongs to (1 = first)
  int slice = 0, attempt = 0;
  std::string exchange, tradingsymbol, product, transaction_type;
  long long quantity = 0;
  std::string order_type = "MARKET";
  double price = 0, market_protection = 0;
  bool autoslice = false;
  int walk_step = 0;  // how far through the touch a LIMIT went (pricing.h)
  std::string state = order_state::kJournaled;
  std::string order_id;                // the broker's (the first child's for autoslice)
  std::vector<std::string> child_ids;  // autoslice: every child's order id
  std::string status;                  // the broker's latest status
  long long filled_quantity = 0;
  double average_price = 0;
  int modifications = 0;
  std::string error;
  long long created_at_ms = 0, updated_at_ms = 0;
  long long filled_at_ms = 0;  // when filled_quantity last grew (0 = never)
  uint32_t instrument_token = 0;
  double tick_size = 0;

  // The order may still change at the broker: state journaled (outcome unknown) or placed.
  bool live() const { return state == order_state::kJournaled || state == order_state::kPlaced; }
  bool unknown() const { return state == order_state::kJournaled; }
  std::string position_key() const { return exchange + ":" + tradingsymbol + ":" + product; }
  // +filled for a BUY, -filled for a SELL.
  long long signed_fill() const {
    return transaction_type == "BUY" ? filled_quantity : -filled_quantity;
  }
  // What may still fill: +open for a BUY, -open for a SELL (0 unless live()).
  long long signed_open() const {
    if (!live()) return 0;
    const long long open = quantity - filled_quantity;
    return transaction_type == "BUY" ? open : -open;
  }
};

}  // namespace zm::journal
