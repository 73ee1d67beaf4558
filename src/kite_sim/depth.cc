#include "kite_sim/depth.h"

#include <algorithm>
#include <cmath>

#include "kite_sim/market.h"

namespace zm::sim {

DepthBook MakeDepth(double ltp, double tick_size, long long lot_size, int depth_lots,
                    std::mt19937_64& rng) {
  DepthBook book;
  for (int level = 0; level < 5; ++level) {
    const long long most = static_cast<long long>(depth_lots) * (level + 1);
    std::uniform_int_distribution<long long> lots_of((most + 1) / 2, most);
    const long long bid_lots = lots_of(rng);
    const long long offer_lots = lots_of(rng);
    auto entry = [&](long long lots, double price) {
      return kite::DepthEntry{static_cast<uint32_t>(lots * lot_size), price,
                              static_cast<uint16_t>(std::min<long long>(1 + lots / 4, 65535))};
    };
    const double bid = RoundToTick(ltp - tick_size * level, tick_size);
    if (bid >= tick_size - 1e-9) book.bids[level] = entry(bid_lots, bid);
    book.offers[level] = entry(offer_lots, RoundToTick(ltp + tick_size * (level + 1), tick_size));
  }
  return book;
}

std::vector<Execution> TakeDepth(DepthBook* book, bool buy, double limit_price,
                                 long long max_quantity) {
  std::vector<Execution> out;
  auto& side = buy ? book->offers : book->bids;
  for (kite::DepthEntry& level : side) {
    if (max_quantity <= 0) break;
    if (level.quantity == 0) continue;
    const bool within = buy ? level.price <= limit_price + 1e-9 : level.price >= limit_price - 1e-9;
    if (!within) break;  // levels are sorted: nothing deeper is within the limit either
    const long long take = std::min<long long>(level.quantity, max_quantity);
    out.push_back({level.price, take});
    level.quantity -= static_cast<uint32_t>(take);
    if (level.quantity == 0) level.orders = 0;
    max_quantity -= take;
  }
  return out;
}

}  // namespace zm::sim
