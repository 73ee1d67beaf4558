// LatencyHistogram: counts of millisecond latencies (1 ms buckets up to kMaxMs, then one
// overflow bucket) and their percentiles. The subscriber counts tick received -> row committed
// for every written row and puts p50/p99 in its heartbeat (the ingest benchmark reads them).
// O(1) per sample, no allocation after construction. Pure; not thread-safe.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>

namespace zm::ltp {

class LatencyHistogram {
 public:
  static constexpr long long kMaxMs = 2000;

  void Add(long long ms, long long count = 1) {
    counts_[static_cast<size_t>(std::clamp(ms, 0LL, kMaxMs))] += count;
    total_ += count;
  }
  long long total() const { return total_; }
  // The smallest latency at or below which `fraction` of the samples lie (kMaxMs means "at
  // least kMaxMs"); 0 when empty.
  long long Percentile(double fraction) const {
    if (total_ == 0) return 0;
    const double wanted = fraction * static_cast<double>(total_);
    long long seen = 0;
    for (size_t ms = 0; ms < counts_.size(); ++ms) {
      seen += counts_[ms];
      if (static_cast<double>(seen) >= wanted) return static_cast<long long>(ms);
    }
    return kMaxMs;
  }

 private:
  std::array<long long, kMaxMs + 1> counts_{};
  long long total_ = 0;
};

}  // namespace zm::ltp
