#include "common/kite/book_scope.h"

#include <algorithm>

#include "common/enum_names.h"

namespace zm::kite {

constexpr auto kRowScopeNames =
    MakeEnumNames<RowScope>({"guarded", "sold_from_holdings", "product_not_guarded"});

const char* RowScopeName(RowScope scope) { return kRowScopeNames.Name(scope, "guarded"); }

HoldingsCover CoverOf(const std::vector<Holding>& holdings) {
  HoldingsCover cover;
  cover.known = true;
  for (const Holding& h : holdings) {
    const long long held = std::max(h.quantity + h.t1_quantity, h.used_quantity);
    if (held > 0) cover.by_symbol[h.tradingsymbol] += held;
  }
  return cover;
}

std::string ScopeKey(const Position& p) {
  return p.exchange + ":" + p.tradingsymbol + ":" + p.product;
}

bool IsNegativeCashDelivery(const Position& p) {
  return p.product == "CNC" && p.quantity < 0 && (p.exchange == "NSE" || p.exchange == "BSE");
}

RowScope ScopeOf(const Position& p, const HoldingsCover& cover,
                 const std::set<std::string>& products) {
  if (IsNegativeCashDelivery(p) && (!cover.known || cover.by_symbol.count(p.tradingsymbol) > 0)) {
    return RowScope::kSoldFromHoldings;
  }
  if (!products.empty() && !products.count(p.product)) return RowScope::kProductNotGuarded;
  return RowScope::kGuarded;
}

std::set<std::string> UnguardedKeys(const std::vector<Position>& net, const HoldingsCover& cover,
                                    const std::set<std::string>& products) {
  std::set<std::string> keys;
  for (const Position& p : net) {
    if (ScopeOf(p, cover, products) != RowScope::kGuarded) keys.insert(ScopeKey(p));
  }
  return keys;
}

std::set<std::string> SquareOffExcludedKeys(const std::vector<Position>& net,
                                            const HoldingsCover& cover,
                                            const std::set<std::string>& products) {
  std::set<std::string> keys = UnguardedKeys(net, cover, products);
  std::set<std::string> guarded_open;
  for (const Position& p : net) {
    if (p.quantity != 0 && ScopeOf(p, cover, products) == RowScope::kGuarded) {
      guarded_open.insert(ScopeKey(p));
    }
  }
  for (const auto& [symbol, held] : cover.by_symbol) {
    for (const char* exchange : {"NSE", "BSE"}) {
      const std::string key = std::string(exchange) + ":" + symbol + ":CNC";
      if (!guarded_open.count(key)) keys.insert(key);
    }
  }
  return keys;
}

}  // namespace zm::kite
