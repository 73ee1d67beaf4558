// Kite's P&L formula (see pnl.h for the formula and the rounding rule).
#include "common/kite/pnl.h"

#include <cmath>

namespace zm::kite {

double RoundToPaise(double rupees) {
  // std::round is half away from zero. The tiny nudge absorbs binary representation error of
  // values that are exactly half a paisa in decimal (e.g. 0.125 stored as 0.12499999...).
  const double paise = rupees * 100.0;
  const double nudged = paise + std::copysign(1e-7, paise);
  const double rounded = std::round(nudged) / 100.0;
  return rounded == 0 ? 0.0 : rounded;  // never "-0.00"
}

namespace {

struct RawPnl {
  double pnl = 0, unrealised = 0, m2m = 0;
};

RawPnl Compute(const Position& p, double last_price) {
  const double open_value = static_cast<double>(p.quantity) * last_price * p.multiplier;
  RawPnl raw;
  raw.pnl = (p.sell_value - p.buy_value) + open_value;
  raw.unrealised = static_cast<double>(p.quantity) * (last_price - p.average_price) * p.multiplier;
  const bool has_m2m = p.buy_m2m != 0 || p.sell_m2m != 0 || (p.buy_value == 0 && p.sell_value == 0);
  raw.m2m = has_m2m ? (p.sell_m2m - p.buy_m2m) + open_value : raw.pnl;
  return raw;
}

}  // namespace

PositionPnl ComputePositionPnl(const Position& position, double last_price) {
  const RawPnl raw = Compute(position, last_price);
  PositionPnl out;
  out.pnl = RoundToPaise(raw.pnl);
  out.unrealised = RoundToPaise(raw.unrealised);
  // Realised is derived from the rounded parts so that realised + unrealised == pnl exactly.
  out.realised = RoundToPaise(out.pnl - out.unrealised);
  out.m2m = RoundToPaise(raw.m2m);
  return out;
}

PortfolioPnl ComputePortfolioPnl(const std::vector<Position>& net,
                                 const std::vector<double>& last_prices) {
  PortfolioPnl out;
  out.rows.reserve(net.size());
  double total = 0, unrealised = 0, m2m = 0;
  for (size_t i = 0; i < net.size(); ++i) {
    // A missing price is a caller bug; value the row at its own last_price rather than at 0
    // (valuing at 0 would invent a loss or profit of the whole position's value).
    const double price = i < last_prices.size() ? last_prices[i] : net[i].last_price;
    const RawPnl raw = Compute(net[i], price);
    total += raw.pnl;
    unrealised += raw.unrealised;
    m2m += raw.m2m;
    out.rows.push_back(ComputePositionPnl(net[i], price));
  }
  out.total = RoundToPaise(total);
  out.unrealised = RoundToPaise(unrealised);
  out.realised = RoundToPaise(out.total - out.unrealised);
  out.m2m = RoundToPaise(m2m);
  return out;
}

}  // namespace zm::kite
