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
// Scope (kite/book_scope.h): only guarded rows count in the totals, the open-position count, the
// fallbacks and the REST quotes; sales from holdings and products outside
// risk_management.products are priced and reported apart. Both bases are computed every cycle:
// `day` (Kite's m2m) and `since_entry` (Kite's pnl); `total` is the configured one.
// P&L arithmetic is kite::ComputePortfolioPnl (Kite's formulas). Pure, thread-safe functions;
#pragma once

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/config.h"
#include "common/kite/book_scope.h"
#include "common/kite/models.h"
#include "common/trading_rows.h"
#include "mtm_monitor/squareoff/pacer.h"

namespace zm::monitor {

// Names: kPriceSourceNames in mtm_calc.cc, in this order (common/enum_names.h).
enum class PriceSource {
  kTick,
  kRest,
  kPositions,
  kStaleTick,
  kClose,
  kAverage,
  kClosedRow,
  kMaxValue = kClosedRow,
};
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

// What the guard owns and how it counts (defaults: day basis, holdings unknown, every product).
struct MtmScope {
  MtmBasis basis = MtmBasis::kDay;
  kite::HoldingsCover holdings;
  std::set<std::string> products;  // empty = every product
};

// Guarded open positions without a fresh tick: the keys to ask /quote/ltp for (deduplicated,
// sorted).
std::vector<std::string> KeysNeedingRest(const std::vector<kite::Position>& net,
                                         const PricingContext& ctx, const MtmScope& scope = {});

struct PricedPosition {
  PriceSource source = PriceSource::kClosedRow;
  double price = 0;
  long long age_ms = -1;  // -1 when unknown (positions snapshot, last resorts)
  double pnl = 0, realised = 0, unrealised = 0;  // since entry
  double m2m = 0;                                // the day's
  kite::RowScope scope = kite::RowScope::kGuarded;
};

struct MtmResult {
  MtmBasis basis = MtmBasis::kDay;
  double total = 0;                     // the configured basis: what the triggers use
  double day = 0, since_entry = 0;      // both bases, guarded rows only
  double realised = 0, unrealised = 0;  // the since-entry split
  std::vector<PricedPosition> rows;     // same order as `net`, every row
  std::vector<std::string> fallbacks;   // "NFO:X priced from REST quote", ... (guarded rows)
  std::vector<std::string> critical;    // guarded open positions with no live or snapshot price
  int open_positions = 0;               // guarded rows with quantity != 0
  int unguarded_rows = 0;               // sales from holdings and products not guarded
};

MtmResult ComputeMtm(const std::vector<kite::Position>& net, const PricingContext& ctx,
                     const MtmScope& scope = {});

// Guarded open positions per exchange (the trigger policy's view of where orders must go).
std::map<std::string, int> GuardedOpenByExchange(const std::vector<kite::Position>& net,
                                                 const MtmScope& scope);

// The subscriber's positions snapshot is too old to trust when older than
// 2 * mtm_check_interval + position_check_interval (or never synced): fetch over REST.
bool PositionsSnapshotStale(long long synced_at_ms, long long now_ms, double mtm_check_interval_s,
                            double position_check_interval_s);

}  // namespace zm::monitor
