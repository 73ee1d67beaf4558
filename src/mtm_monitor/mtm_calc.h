// MtmCalc: the pure MTM of one cycle over the `net` positions, with a price chosen per position
// and every fallback named. Fail-closed: an open position is never valued at zero.
//
// Price choice for an open position (quantity != 0), first that applies:
//   tick       zerodha_trading.db tick younger than ltp_management.freshness_threshold_seconds
//   rest       a /quote/ltp answer younger than the same threshold
//   positions  the positions snapshot's last_price (not live: a fallback)
//   stale_tick an older tick
//   close / average  last resort (close_price, then average_price) with a critical fallback
// Closed rows (quantity 0) carry realised P&L only and need no price.
// The REST quote itself is fetched by the monitor, at most once per second (RateGate,
// squareoff/pacer.h).
// P&L arithmetic is kite::ComputePortfolioPnl (Kite's formula). Pure, thread-safe functions;
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "common/kite/models.h"
#include "common/trading_db.h"
#include "mtm_monitor/squareoff/pacer.h"

namespace zm::monitor {

enum class PriceSource { kTick, kRest, kPositions, kStaleTick, kClose, kAverage, kClosedRow };
// "tick" | "rest" | "positions" | "stale_tick" | "close" | "average" | "closed"
const char* PriceSourceName(PriceSource source);

struct RestQuote {
  double last_price = 0;
  long long at_ms = 0;  // when the answer arrived
};
using RestQuotes = std::map<std::string, RestQuote>;  // key "EX:SYMBOL"

std::string ExchangeSymbol(const kite::Position& position);  // "NFO:NIFTY26DEC24000CE"

struct PricingContext {
  const std::map<uint32_t, LtpRow>* ltps = nullptr;  // by instrument_token; may be null
  const RestQuotes* rest = nullptr;                  // may be null
  long long now_ms = 0;
  long long freshness_ms = 10000;
};

// Open positions without a fresh tick: the keys to ask /quote/ltp for (deduplicated, sorted).
std::vector<std::string> KeysNeedingRest(const std::vector<kite::Position>& net,
                                         const PricingContext& ctx);

struct PricedPosition {
  PriceSource source = PriceSource::kClosedRow;
  double price = 0;
  long long age_ms = -1;  // -1 when unknown (positions snapshot, last resorts)
  double pnl = 0, realised = 0, unrealised = 0;
};

struct MtmResult {
  double total = 0, realised = 0, unrealised = 0;
  std::vector<PricedPosition> rows;    // same order as `net`
  std::vector<std::string> fallbacks;  // "NFO:X priced from REST quote", ...
  std::vector<std::string> critical;   // open positions with no live or snapshot price
  int open_positions = 0;
};

MtmResult ComputeMtm(const std::vector<kite::Position>& net, const PricingContext& ctx);

// The subscriber's positions snapshot is too old to trust when older than
// 2 * mtm_check_interval + position_check_interval (or never synced): fetch over REST.
bool PositionsSnapshotStale(long long synced_at_ms, long long now_ms, double mtm_check_interval_s,
                            double position_check_interval_s);

}  // namespace zm::monitor
