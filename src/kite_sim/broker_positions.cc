// Broker: positions and holdings, computed as Kite computes its rows.
//
// A position row (exchange, symbol, product) is the quantity carried from the previous day (at
// its original entry price, valued for the day at the previous close) plus today's fills:
//   buy_value/sell_value = carried quantity * entry price * multiplier + today's values
//   buy_m2m/sell_m2m     = carried quantity * previous close * multiplier + today's values
//   pnl = (sell_value - buy_value) + quantity * last_price * multiplier   (since entry)
//   m2m = (sell_m2m - buy_m2m) + quantity * last_price * multiplier       (the day's)
// (kite-mocks positions.json, GOLDGUINEA: pnl 801, m2m 276). `day` rows hold today's fills only.
#include <algorithm>
#include <cstdlib>

#include "common/kite/pnl.h"
#include "kite_sim/broker.h"

namespace zm::sim {
namespace {

bool IsEquityExchange(const std::string& exchange) {
  return exchange == "NSE" || exchange == "BSE";
}

}  // namespace

void Broker::ApplyFill(const std::string& exchange, const std::string& symbol,
                       const std::string& product, bool buy, long long quantity, double price,
                       int64_t at_ms) {
  fills_.push_back({{exchange, symbol, product}, buy, quantity, price, at_ms});
  if (buy || product != "CNC" || !IsEquityExchange(exchange)) return;
  // Shares sold for delivery come out of the holding first (Kite's used_quantity).
  for (HoldingRow& h : holdings_) {
    if (h.exchange != exchange || h.tradingsymbol != symbol) continue;
    const long long free = h.quantity + h.t1_quantity - h.used_quantity;
    h.used_quantity += std::min(free, quantity);
  }
}

Broker::Book& Broker::BookFor(std::map<BookKey, Book>& books, const BookKey& key) const {
  Book& b = books[key];
  const SimInstrument* inst = market_->Find(std::get<0>(key) + ":" + std::get<1>(key));
  b.token = inst ? inst->instrument.instrument_token : 0;
  b.multiplier = inst ? inst->multiplier : 1;
  if (b.close == 0 && inst) b.close = inst->close_price;
  return b;
}

kite::Position Broker::MakePosition(const BookKey& key, const Book& b, bool day_only) const {
  kite::Position p;
  std::tie(p.exchange, p.tradingsymbol, p.product) = key;
  p.instrument_token = b.token;
  p.multiplier = b.multiplier;
  const double m = b.multiplier;
  const long long carried = day_only ? 0 : b.carried_qty;
  const double at_entry = std::llabs(carried) * b.entry_price * m;
  const double at_close = std::llabs(carried) * b.close * m;
  p.overnight_quantity = carried;
  p.day_buy_quantity = b.buy_qty;
  p.day_sell_quantity = b.sell_qty;
  p.day_buy_value = kite::RoundToPaise(b.buy_value);
  p.day_sell_value = kite::RoundToPaise(b.sell_value);
  p.day_buy_price = b.buy_qty ? b.buy_value / (b.buy_qty * m) : 0;
  p.day_sell_price = b.sell_qty ? b.sell_value / (b.sell_qty * m) : 0;
  p.buy_quantity = b.buy_qty + std::max(carried, 0LL);
  p.sell_quantity = b.sell_qty + std::max(-carried, 0LL);
  p.buy_value = kite::RoundToPaise(b.buy_value + (carried > 0 ? at_entry : 0));
  p.sell_value = kite::RoundToPaise(b.sell_value + (carried < 0 ? at_entry : 0));
  p.buy_m2m = kite::RoundToPaise(b.buy_value + (carried > 0 ? at_close : 0));
  p.sell_m2m = kite::RoundToPaise(b.sell_value + (carried < 0 ? at_close : 0));
  p.buy_price = p.buy_quantity ? p.buy_value / (p.buy_quantity * m) : 0;
  p.sell_price = p.sell_quantity ? p.sell_value / (p.sell_quantity * m) : 0;
  p.quantity = p.buy_quantity - p.sell_quantity;
  p.average_price = p.quantity > 0 ? p.buy_price : p.quantity < 0 ? p.sell_price : 0;
  p.close_price = b.close;
  p.last_price = market_->LtpByToken(b.token);
  p.value = kite::RoundToPaise(p.sell_value - p.buy_value);
  const kite::PositionPnl pnl = kite::ComputePositionPnl(p, p.last_price);
  p.pnl = pnl.pnl;
  p.unrealised = pnl.unrealised;
  p.realised = pnl.realised;
  const double open_value = static_cast<double>(p.quantity) * p.last_price * m;
  p.m2m = kite::RoundToPaise((p.sell_m2m - p.buy_m2m) + open_value);
  return p;
}

kite::Positions Broker::PositionsAsOf(int64_t as_of_ms) const {
  std::map<BookKey, Book> books;
  for (const CarriedRow& c : carried_) {
    Book& b = BookFor(books, c.key);
    b.carried_qty = c.quantity;
    b.entry_price = c.entry_price;
    b.close = c.close;
  }
  for (const FillRecord& f : fills_) {
    if (f.at_ms > as_of_ms) continue;
    Book& b = BookFor(books, f.key);
    (f.buy ? b.buy_qty : b.sell_qty) += f.quantity;
    (f.buy ? b.buy_value : b.sell_value) += f.quantity * f.price * b.multiplier;
  }
  kite::Positions out;
  for (const auto& [key, book] : books) {
    out.net.push_back(MakePosition(key, book, false));
    if (book.buy_qty || book.sell_qty) out.day.push_back(MakePosition(key, book, true));
  }
  return out;
}

kite::Positions Broker::Positions() const { return PositionsAsOf(INT64_MAX); }

std::vector<kite::Holding> Broker::Holdings() const {
  std::vector<kite::Holding> out;
  for (const HoldingRow& row : holdings_) {
    kite::Holding h;
    h.tradingsymbol = row.tradingsymbol;
    h.exchange = row.exchange;
    h.isin = row.isin;
    h.quantity = row.quantity;
    h.t1_quantity = row.t1_quantity;
    h.used_quantity = row.used_quantity;
    h.realised_quantity = row.quantity;
    h.opening_quantity = row.quantity;
    h.average_price = row.average_price;
    const SimInstrument* inst = market_->Find(row.exchange + ":" + row.tradingsymbol);
    h.instrument_token = inst ? inst->instrument.instrument_token : 0;
    h.last_price = inst ? market_->LtpByToken(h.instrument_token) : 0;
    h.close_price = inst ? inst->close_price : 0;
    h.pnl = kite::RoundToPaise((h.quantity + h.t1_quantity) * (h.last_price - h.average_price));
    h.day_change = h.last_price - h.close_price;
    h.day_change_percentage = h.close_price ? h.day_change / h.close_price * 100 : 0;
    out.push_back(h);
  }
  return out;
}

void Broker::StartOfDay(const std::map<std::string, double>& closes, int64_t now_ms) {
  (void)now_ms;
  const kite::Positions yesterday = Positions();
  for (HoldingRow& h : holdings_) {  // T+1 settles; the day's sales leave the holding
    h.quantity += h.t1_quantity - std::min(h.used_quantity, h.quantity + h.t1_quantity);
    h.t1_quantity = 0;
    h.used_quantity = 0;
  }
  carried_.clear();
  for (const kite::Position& p : yesterday.net) {
    if (p.quantity == 0) continue;
    const std::string key = p.exchange + ":" + p.tradingsymbol;
    if (p.product == "CNC" && IsEquityExchange(p.exchange)) {
      if (p.quantity > 0) AddToHolding(p.exchange, p.tradingsymbol, p.quantity, p.average_price);
      continue;  // a delivery buy becomes a T1 holding; a sale already left it
    }
    auto close = closes.find(key);
    carried_.push_back({{p.exchange, p.tradingsymbol, p.product},
                        p.quantity,
                        p.average_price,
                        close != closes.end() ? close->second : p.last_price});
  }
  fills_.clear();
  trades_.clear();
  orders_.clear();
  order_ids_.clear();
}

void Broker::AddToHolding(const std::string& exchange, const std::string& symbol,
                          long long quantity, double price) {
  for (HoldingRow& h : holdings_) {
    if (h.exchange != exchange || h.tradingsymbol != symbol) continue;
    const long long total = h.quantity + h.t1_quantity + quantity;
    h.average_price = (h.average_price * (h.quantity + h.t1_quantity) + price * quantity) / total;
    h.t1_quantity += quantity;
    return;
  }
  holdings_.push_back({exchange, symbol, "", 0, quantity, 0, price});
}

}  // namespace zm::sim
