#include "mtm_monitor/squareoff/pricing.h"

#include <algorithm>
#include <cmath>

namespace zm::monitor {
namespace {

constexpr double kDefaultTick = 0.05;
// Tolerance when converting a price to ticks: 101.15 / 0.05 = 2022.9999999 must count as 2023.
constexpr double kTickEpsilon = 1e-6;

double Tick(double tick) { return tick > 0 ? tick : kDefaultTick; }

double FromTicks(long long ticks, double tick) {
  return std::round(static_cast<double>(ticks) * tick * 1e8) / 1e8;
}

double Offset(int walk_step, const PriceWalk& walk) {
  const double offset = walk.margin_percent + std::max(0, walk_step) * walk.step_percent;
  return std::clamp(offset, 0.0, std::max(0.0, walk.max_percent)) / 100.0;
}

}  // namespace

double RoundToTick(double price, double tick) {
  tick = Tick(tick);
  return FromTicks(std::llround(price / tick), tick);
}

double RoundUpToTick(double price, double tick) {
  tick = Tick(tick);
  return FromTicks(static_cast<long long>(std::ceil(price / tick - kTickEpsilon)), tick);
}

double RoundDownToTick(double price, double tick) {
  tick = Tick(tick);
  return FromTicks(static_cast<long long>(std::floor(price / tick + kTickEpsilon)), tick);
}

double DepthReference(std::string_view transaction_type, long long quantity,
                      const QuoteBook& book) {
  const std::vector<DepthLevel>& side = transaction_type == "BUY" ? book.offers : book.bids;
  long long covered = 0;
  double reference = 0;
  for (const DepthLevel& level : side) {
    if (level.price <= 0 || level.quantity <= 0) continue;
    reference = level.price;
    covered += level.quantity;
    if (covered >= quantity) break;
  }
  return reference > 0 ? reference : book.last_price;
}

Result<double> ExitLimitPrice(std::string_view transaction_type, long long quantity,
                              const QuoteBook& book, int walk_step, double tick_size,
                              const PriceWalk& walk) {
  if (transaction_type != "BUY" && transaction_type != "SELL") {
    return InvalidArgument("transaction_type must be BUY or SELL");
  }
  const double tick = Tick(tick_size);
  const double reference = DepthReference(transaction_type, quantity, book);
  if (reference <= 0) {
    return InvalidArgument(std::string("no depth or last price to price a ") +
                           std::string(transaction_type) + " limit");
  }
  const double offset = Offset(walk_step, walk);
  double price = 0;
  if (transaction_type == "BUY") {
    price = RoundUpToTick(reference * (1 + offset), tick);
    if (book.circuit_upper > 0) price = std::min(price, RoundDownToTick(book.circuit_upper, tick));
  } else {
    price = RoundDownToTick(reference * (1 - offset), tick);
    if (book.circuit_lower > 0) price = std::max(price, RoundUpToTick(book.circuit_lower, tick));
  }
  return std::max(price, tick);
}

bool WalkAtCap(int walk_step, const PriceWalk& walk) {
  return walk.margin_percent + (walk_step + 1) * walk.step_percent > walk.max_percent;
}

}  // namespace zm::monitor
