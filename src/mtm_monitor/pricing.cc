#include "mtm_monitor/pricing.h"

#include <algorithm>
#include <cmath>

namespace zm::monitor {
namespace {

constexpr double kDefaultTick = 0.05;
// Tolerance when converting a price to ticks: 101.15 / 0.05 = 2022.9999999 must count as 2023.
constexpr double kTickEpsilon = 1e-6;

double Tick(double tick) { return tick > 0 ? tick : kDefaultTick; }

double FromTicks(long long ticks, double tick) {
  // Round the product to 1e-8 so that 2023 * 0.05 prints as 101.15.
  return std::round(static_cast<double>(ticks) * tick * 1e8) / 1e8;
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

Result<double> MarketableLimitPrice(std::string_view transaction_type, const Quote& quote,
                                    double margin_percent, double tick_size,
                                    std::optional<CircuitBand> band) {
  const double tick = Tick(tick_size);
  const double factor = std::max(0.0, margin_percent) / 100.0;
  double price = 0;
  if (transaction_type == "BUY") {
    double reference = quote.best_ask > 0 ? quote.best_ask : quote.last_price;
    if (reference <= 0) return InvalidArgument("no ask or last price to price a BUY limit");
    price = RoundUpToTick(reference * (1 + factor), tick);
    if (band && band->upper > 0) price = std::min(price, RoundDownToTick(band->upper, tick));
  } else if (transaction_type == "SELL") {
    double reference = quote.best_bid > 0 ? quote.best_bid : quote.last_price;
    if (reference <= 0) return InvalidArgument("no bid or last price to price a SELL limit");
    price = RoundDownToTick(reference * (1 - factor), tick);
    if (band && band->lower > 0) price = std::max(price, RoundUpToTick(band->lower, tick));
  } else {
    return InvalidArgument("transaction_type must be BUY or SELL");
  }
  return std::max(price, tick);
}

}  // namespace zm::monitor
