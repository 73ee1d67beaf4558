#include "common/trading_rows.h"

namespace zm {

LtpRow LtpRowFromTick(const kite::Tick& tick, long long received_at_ms) {
  LtpRow row;
  row.instrument_token = tick.instrument_token;
  row.last_price = tick.last_price;
  row.open = tick.open;
  row.high = tick.high;
  row.low = tick.low;
  row.close = tick.close;
  row.volume = tick.volume;
  if (tick.mode == kite::TickMode::kFull) {
    row.best_bid = tick.bids[0].price;
    row.best_bid_quantity = tick.bids[0].quantity;
    row.best_ask = tick.offers[0].price;
    row.best_ask_quantity = tick.offers[0].quantity;
    for (size_t i = 0; i < row.bids.size(); ++i) {
      row.bids[i] = {tick.bids[i].price, tick.bids[i].quantity};
      row.offers[i] = {tick.offers[i].price, tick.offers[i].quantity};
    }
  }
  row.exchange_time_ms = tick.exchange_timestamp * 1000;
  row.received_at_ms = received_at_ms;
  return row;
}

}  // namespace zm
