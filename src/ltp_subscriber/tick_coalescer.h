// TickCoalescer: turns a stream of ticks into small database batches.
//
// Keeps the latest row per instrument since the last flush. A batch holds only rows whose
// values (price, OHLC, volume, best bid/offer, exchange time) differ from what was last written,
// plus rows whose written copy is older than `refresh` (so received_at_ms in the database keeps
// saying "this price is live" for a quiet instrument without rewriting it on every tick). The
// writer's cost therefore follows the number of instruments, not the tick rate.
// Pure logic, times passed in. Not thread-safe (used on the io_context thread only).
#pragma once

#include <chrono>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "common/trading_rows.h"

namespace zm::ltp {

class TickCoalescer {
 public:
  explicit TickCoalescer(std::chrono::milliseconds refresh = std::chrono::milliseconds(1000))
      : refresh_ms_(refresh.count()) {}

  // Records the newest row for its instrument (later calls win).
  void Add(const LtpRow& row);

  // Rows to write now; removes them from the pending set. Then call Committed() or Requeue().
  std::vector<LtpRow> TakeBatch();
  // The batch was written: remembered as the database's content.
  void Committed(const std::vector<LtpRow>& batch);
  // The write failed: the rows go back unless a newer tick arrived meanwhile.
  void Requeue(const std::vector<LtpRow>& batch);

  size_t pending() const { return pending_.size(); }

 private:
  bool NeedsWrite(const LtpRow& row) const;

  long long refresh_ms_;
  std::unordered_map<uint32_t, LtpRow> pending_;
  std::unordered_map<uint32_t, LtpRow> written_;
};

// True when the market data of two rows is the same (received_at_ms ignored).
bool SameMarketData(const LtpRow& a, const LtpRow& b);

}  // namespace zm::ltp
