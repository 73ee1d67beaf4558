#include "ltp_subscriber/tick_coalescer.h"

namespace zm::ltp {

bool SameMarketData(const LtpRow& a, const LtpRow& b) {
  return a.instrument_token == b.instrument_token && a.last_price == b.last_price &&
         a.open == b.open && a.high == b.high && a.low == b.low && a.close == b.close &&
         a.volume == b.volume && a.best_bid == b.best_bid && a.best_ask == b.best_ask &&
         a.best_bid_quantity == b.best_bid_quantity && a.best_ask_quantity == b.best_ask_quantity &&
         a.exchange_time_ms == b.exchange_time_ms;
}

void TickCoalescer::Add(const LtpRow& row) { pending_[row.instrument_token] = row; }

bool TickCoalescer::NeedsWrite(const LtpRow& row) const {
  auto it = written_.find(row.instrument_token);
  if (it == written_.end()) return true;
  if (!SameMarketData(it->second, row)) return true;
  return row.received_at_ms - it->second.received_at_ms >= refresh_ms_;
}

std::vector<LtpRow> TickCoalescer::TakeBatch() {
  std::vector<LtpRow> batch;
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (NeedsWrite(it->second)) {
      batch.push_back(it->second);
      it = pending_.erase(it);
    } else {
      ++it;  // unchanged and recently written: wait, it may become due for a refresh
    }
  }
  return batch;
}

void TickCoalescer::Committed(const std::vector<LtpRow>& batch) {
  for (const LtpRow& row : batch) written_[row.instrument_token] = row;
}

void TickCoalescer::Requeue(const std::vector<LtpRow>& batch) {
  for (const LtpRow& row : batch) pending_.try_emplace(row.instrument_token, row);
}

}  // namespace zm::ltp
