// Broker: positions, summed from the fill log exactly as Kite computes its rows.
#include <cstdlib>

#include "common/kite/pnl.h"
#include "kite_sim/broker.h"

namespace zm::sim {

void Broker::ApplyFill(const std::string& exchange, const std::string& symbol,
                       const std::string& product, bool buy, long long quantity, double price,
                       int64_t at_ms) {
  fills_.push_back({{exchange, symbol, product}, buy, quantity, price, at_ms});
}

kite::Position Broker::MakePosition(const BookKey& key, const Book& b) const {
  kite::Position p;
  std::tie(p.exchange, p.tradingsymbol, p.product) = key;
  p.instrument_token = b.token;
  p.multiplier = b.multiplier;
  p.quantity = b.buy_qty - b.sell_qty;
  p.buy_quantity = p.day_buy_quantity = b.buy_qty;
  p.sell_quantity = p.day_sell_quantity = b.sell_qty;
  p.buy_value = p.day_buy_value = p.buy_m2m = kite::RoundToPaise(b.buy_value);
  p.sell_value = p.day_sell_value = p.sell_m2m = kite::RoundToPaise(b.sell_value);
  p.buy_price = p.day_buy_price = b.buy_qty ? b.buy_value / (b.buy_qty * b.multiplier) : 0;
  p.sell_price = p.day_sell_price = b.sell_qty ? b.sell_value / (b.sell_qty * b.multiplier) : 0;
  p.average_price = p.quantity > 0 ? p.buy_price : p.quantity < 0 ? p.sell_price : 0;
  const SimInstrument* inst = market_->FindByToken(b.token);
  p.close_price = inst ? inst->close_price : 0;
  p.last_price = market_->LtpByToken(b.token);
  p.value = kite::RoundToPaise(b.sell_value - b.buy_value);
  const kite::PositionPnl pnl = kite::ComputePositionPnl(p, p.last_price);
  p.pnl = p.m2m = pnl.pnl;
  p.unrealised = pnl.unrealised;
  p.realised = pnl.realised;
  return p;
}

kite::Positions Broker::PositionsAsOf(int64_t as_of_ms) const {
  std::map<BookKey, Book> books;
  for (const FillRecord& f : fills_) {
    if (f.at_ms > as_of_ms) continue;
    const auto& [exchange, symbol, product] = f.key;
    const SimInstrument* inst = market_->Find(exchange + ":" + symbol);
    Book& b = books[f.key];
    b.token = inst ? inst->instrument.instrument_token : 0;
    b.multiplier = inst ? inst->multiplier : 1;
    (f.buy ? b.buy_qty : b.sell_qty) += f.quantity;
    (f.buy ? b.buy_value : b.sell_value) += f.quantity * f.price * b.multiplier;
  }
  kite::Positions out;
  for (const auto& [key, book] : books) out.net.push_back(MakePosition(key, book));
  out.day = out.net;  // every quantity in the sim was traded today
  return out;
}

kite::Positions Broker::Positions() const { return PositionsAsOf(INT64_MAX); }

}  // namespace zm::sim
