#include "mtm_monitor/mtm_calc.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "common/enum_names.h"
#include "common/kite/pnl.h"

namespace zm::monitor {
namespace {

const LtpRow* FindTick(const kite::Position& p, const PricingContext& ctx) {
  if (ctx.ltps == nullptr) return nullptr;
  auto it = ctx.ltps->find(p.instrument_token);
  if (it == ctx.ltps->end() || !(it->second.last_price > 0)) return nullptr;
  return &it->second;
}

bool IsFresh(long long at_ms, const PricingContext& ctx) {
  return ctx.now_ms - at_ms < ctx.freshness_ms;
}

std::string SecondsText(long long ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ms) / 1000.0);
  return buf;
}

// Chooses the price of one open position; appends a fallback line when it is not a fresh tick
// (a row outside the guard is priced the same way, silently: `out` is then a scratch result).
PricedPosition ChoosePrice(const kite::Position& p, const PricingContext& ctx, MtmResult& out) {
  const std::string key = ExchangeSymbol(p);
  const LtpRow* tick = FindTick(p, ctx);
  if (tick != nullptr && IsFresh(tick->received_at_ms, ctx)) {
    return {PriceSource::kTick, tick->last_price, ctx.now_ms - tick->received_at_ms};
  }
  if (ctx.rest != nullptr) {
    auto it = ctx.rest->find(key);
    if (it != ctx.rest->end() && it->second.last_price > 0 && IsFresh(it->second.at_ms, ctx)) {
      out.fallbacks.push_back(key + " priced from REST quote");
      return {PriceSource::kRest, it->second.last_price, ctx.now_ms - it->second.at_ms};
    }
  }
  if (p.last_price > 0) {
    out.fallbacks.push_back(key + " priced from positions last_price (no fresh tick or quote)");
    return {PriceSource::kPositions, p.last_price, -1};
  }
  if (tick != nullptr) {
    const long long age = ctx.now_ms - tick->received_at_ms;
    out.fallbacks.push_back(key + " priced from a stale tick (" + SecondsText(age) + " old)");
    return {PriceSource::kStaleTick, tick->last_price, age};
  }
  const bool has_close = p.close_price > 0;
  const std::string line =
      key + " has no price: valued at its " + (has_close ? "close" : "average") + " price";
  out.fallbacks.push_back(line);
  out.critical.push_back(line);
  return {has_close ? PriceSource::kClose : PriceSource::kAverage,
          has_close ? p.close_price : p.average_price, -1};
}

}  // namespace

constexpr auto kPriceSourceNames = MakeEnumNames<PriceSource>(
    {"tick", "rest", "positions", "stale_tick", "close", "average", "closed"});

const char* PriceSourceName(PriceSource source) {
  return kPriceSourceNames.Name(source, "unknown");
}

std::string ExchangeSymbol(const kite::Position& p) { return p.exchange + ":" + p.tradingsymbol; }

std::vector<std::string> KeysNeedingRest(const std::vector<kite::Position>& net,
                                         const PricingContext& ctx, const MtmScope& scope) {
  std::set<std::string> keys;
  for (const auto& p : net) {
    if (p.quantity == 0) continue;
    if (kite::ScopeOf(p, scope.holdings, scope.products) != kite::RowScope::kGuarded) continue;
    const LtpRow* tick = FindTick(p, ctx);
    if (tick == nullptr || !IsFresh(tick->received_at_ms, ctx)) keys.insert(ExchangeSymbol(p));
  }
  return {keys.begin(), keys.end()};
}

MtmResult ComputeMtm(const std::vector<kite::Position>& net, const PricingContext& ctx,
                     const MtmScope& scope) {
  MtmResult out;
  out.basis = scope.basis;
  std::vector<kite::Position> guarded;
  std::vector<double> guarded_prices;
  for (const auto& p : net) {
    PricedPosition row;
    const kite::RowScope where = kite::ScopeOf(p, scope.holdings, scope.products);
    const bool in_guard = where == kite::RowScope::kGuarded;
    if (p.quantity != 0) {
      MtmResult silent;
      row = ChoosePrice(p, ctx, in_guard ? out : silent);
      if (in_guard) ++out.open_positions;
    } else {
      row.price = p.last_price;  // irrelevant: nothing open to value
    }
    row.scope = where;
    const kite::PositionPnl pnl = kite::ComputePositionPnl(p, row.price);
    row.pnl = pnl.pnl;
    row.realised = pnl.realised;
    row.unrealised = pnl.unrealised;
    row.m2m = pnl.m2m;
    if (in_guard) {
      guarded.push_back(p);
      guarded_prices.push_back(row.price);
    } else {
      ++out.unguarded_rows;
    }
    out.rows.push_back(row);
  }
  const kite::PortfolioPnl totals = kite::ComputePortfolioPnl(guarded, guarded_prices);
  out.day = totals.m2m;
  out.since_entry = totals.total;
  out.realised = totals.realised;
  out.unrealised = totals.unrealised;
  out.total = scope.basis == MtmBasis::kDay ? out.day : out.since_entry;
  return out;
}

std::map<std::string, int> GuardedOpenByExchange(const std::vector<kite::Position>& net,
                                                 const MtmScope& scope) {
  std::map<std::string, int> out;
  for (const auto& p : net) {
    if (p.quantity == 0) continue;
    if (kite::ScopeOf(p, scope.holdings, scope.products) != kite::RowScope::kGuarded) continue;
    ++out[p.exchange];
  }
  return out;
}

bool PositionsSnapshotStale(long long synced_at_ms, long long now_ms, double mtm_check_interval_s,
                            double position_check_interval_s) {
  if (synced_at_ms <= 0) return true;
  const double limit_ms = (2 * mtm_check_interval_s + position_check_interval_s) * 1000.0;
  return static_cast<double>(now_ms - synced_at_ms) > limit_ms;
}

}  // namespace zm::monitor
