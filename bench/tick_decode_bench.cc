// Decode throughput of full-mode tick frames (184-byte packets with 10-level depth), the
// heaviest frames the subscriber receives. Reports packets/s via SetItemsProcessed.
#include <benchmark/benchmark.h>

#include <vector>

#include "common/kite/tick.h"

namespace {

std::string FullFrame(int packets, zm::kite::TickMode mode = zm::kite::TickMode::kFull) {
  std::vector<zm::kite::Tick> ticks;
  for (int i = 0; i < packets; ++i) {
    zm::kite::Tick t;
    t.instrument_token = (static_cast<uint32_t>(10000 + i) << 8) | zm::kite::kNfo;
    t.mode = mode;
    t.last_price = 100.05 + i;
    t.volume = 1000000 + i;
    t.open = t.high = t.low = t.close = 99.5;
    t.last_trade_time = t.exchange_timestamp = 1764132903;
    for (int d = 0; d < 5; ++d) {
      t.bids[d] = {static_cast<uint32_t>(75 * (d + 1)), t.last_price - 0.05 * (d + 1), 3};
      t.offers[d] = {static_cast<uint32_t>(75 * (d + 1)), t.last_price + 0.05 * (d + 1), 2};
    }
    ticks.push_back(t);
  }
  return zm::kite::EncodeFrame(ticks);
}

void BM_DecodeFullFrame(benchmark::State& state) {
  const int packets = static_cast<int>(state.range(0));
  const std::string frame = FullFrame(packets);
  for (auto _ : state) {
    zm::kite::DecodedFrame decoded = zm::kite::DecodeFrame(frame);
    benchmark::DoNotOptimize(decoded);
    if (!decoded.error.ok() || decoded.ticks.size() != static_cast<size_t>(packets)) {
      state.SkipWithError("decode failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * packets);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(frame.size()));
}
BENCHMARK(BM_DecodeFullFrame)->Arg(1)->Arg(50)->Arg(500);

void BM_EncodeFullFrame(benchmark::State& state) {
  const int packets = static_cast<int>(state.range(0));
  const zm::kite::DecodedFrame decoded = zm::kite::DecodeFrame(FullFrame(packets));
  for (auto _ : state) {
    std::string frame = zm::kite::EncodeFrame(decoded.ticks);
    benchmark::DoNotOptimize(frame);
  }
  state.SetItemsProcessed(state.iterations() * packets);
}
BENCHMARK(BM_EncodeFullFrame)->Arg(500);

// Quote (44-byte) and LTP (8-byte) packets: the modes a subscriber uses for most instruments.
void BM_DecodeModeFrame(benchmark::State& state, zm::kite::TickMode mode) {
  const std::string frame = FullFrame(500, mode);
  for (auto _ : state) {
    zm::kite::DecodedFrame decoded = zm::kite::DecodeFrame(frame);
    benchmark::DoNotOptimize(decoded);
    if (!decoded.error.ok() || decoded.ticks.size() != 500u) {
      state.SkipWithError("decode failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * 500);
}
BENCHMARK_CAPTURE(BM_DecodeModeFrame, quote, zm::kite::TickMode::kQuote);
BENCHMARK_CAPTURE(BM_DecodeModeFrame, ltp, zm::kite::TickMode::kLtp);

}  // namespace
