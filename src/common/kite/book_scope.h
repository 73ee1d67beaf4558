// BookScope: which rows of Kite's `net` positions the guard owns. Shared by the monitor (its
// MTM and triggers) and the square-off engine (what it may close), so that both always agree.
//
//   sold_from_holdings  a CNC row with a negative quantity on NSE or BSE (cash equity) whose
//                       symbol the holdings hold: a delivery sale, not a short (Kite greys it
//                       out and labels it "Holding"). Out of MTM, listed apart, NEVER bought
//                       back. While holdings are unknown (no successful read yet) every such
//                       row counts as one: buying back sold shares is never what a risk guard
//                       should do.
//   product_not_guarded a row whose product is outside risk_management.products (when set)
//   guarded             everything else: in MTM, closed on a trigger
// Pure functions; thread-safe.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/kite/models.h"

namespace zm::kite {

// Names: kRowScopeNames in book_scope.cc, in this order (common/enum_names.h).
enum class RowScope {
  kGuarded,
  kSoldFromHoldings,
  kProductNotGuarded,
  kMaxValue = kProductNotGuarded
};
const char* RowScopeName(
    RowScope scope);  // "guarded" | "sold_from_holdings" | "product_not_guarded"

// What the guard knows about the holdings.
struct HoldingsCover {
  bool known = false;                          // a holdings read has succeeded
  std::map<std::string, long long> by_symbol;  // tradingsymbol -> shares held today
};
// Shares held per symbol (NSE and BSE rows together): quantity + t1_quantity, or
// used_quantity when that is larger (a broker that lowers `quantity` as shares are sold).
HoldingsCover CoverOf(const std::vector<Holding>& holdings);

// "EX:SYM:PRODUCT", the square-off's position key.
std::string ScopeKey(const Position& p);

// A CNC row with a negative quantity on NSE or BSE.
bool IsNegativeCashDelivery(const Position& p);

RowScope ScopeOf(const Position& p, const HoldingsCover& cover,
                 const std::set<std::string>& products);

// Keys of `net` rows outside the guard (holdings sales and products not guarded).
std::set<std::string> UnguardedKeys(const std::vector<Position>& net, const HoldingsCover& cover,
                                    const std::set<std::string>& products);

// Keys a square-off must never touch: UnguardedKeys(), plus "NSE:SYM:CNC" and "BSE:SYM:CNC" of
// every held symbol that `net` does not show as a guarded open position, so that shares sold
// from holdings while the square-off runs are never bought back either.
std::set<std::string> SquareOffExcludedKeys(const std::vector<Position>& net,
                                            const HoldingsCover& cover,
                                            const std::set<std::string>& products);

}  // namespace zm::kite
