// The rows of zerodha_trading.db as plain values (LtpRow, PositionsSnapshot, OrderUpdateRow),
// apart from the database (trading_db.h) so that pure code (the monitor's MTM calculation, the
// subscriber's tick coalescer) can use them without SQLite. Library zm_trading_rows; value
// types, thread-compatible.
#pragma once

#include <array>
#include <cstdint>

#include "common/kite/models.h"
#include "common/kite/tick.h"

namespace zm {

struct DepthPoint {
  double price = 0;
  long long quantity = 0;
  bool operator==(const DepthPoint&) const = default;
};

struct LtpRow {
  uint32_t instrument_token = 0;
  double last_price = 0;
  double open = 0, high = 0, low = 0, close = 0;
  long long volume = 0;
  double best_bid = 0, best_ask = 0;  // 0 when unknown (ltp/quote modes)
  long long best_bid_quantity = 0, best_ask_quantity = 0;
  long long exchange_time_ms = 0;  // 0 when the packet had none
  long long received_at_ms = 0;
  // Full mode: five levels each side, best first (what a LIMIT exit is priced from). Read only
  // by ReadLtp(); ReadLtps() leaves them empty (the MTM cycle needs last prices only).
  std::array<DepthPoint, 5> bids{}, offers{};
};

LtpRow LtpRowFromTick(const kite::Tick& tick, long long received_at_ms);

struct PositionsSnapshot {
  kite::Positions positions;
  long long synced_at_ms = 0;  // 0 = never synced
};

struct OrderUpdateRow {
  long long id = 0;  // increasing
  long long received_at_ms = 0;
  kite::Order order;
};

}  // namespace zm
