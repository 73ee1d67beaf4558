// The subscriber's writer cost: one TradingDb::UpsertLtps transaction (WAL, synchronous=NORMAL)
// of N latest-tick rows, as FlushLoop does every 50 ms. N = 3000 is a full ticker connection.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>

#include "common/trading_db.h"

namespace {

void BM_UpsertLtpsBatch(benchmark::State& state) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("zm_ingest_bench_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto db = zm::TradingDb::Open(dir / "zerodha_trading.db", false);
  if (!db.ok()) {
    state.SkipWithError(db.status().ToString().c_str());
    return;
  }
  std::vector<zm::LtpRow> rows(static_cast<size_t>(state.range(0)));
  long long round = 0;
  for (auto _ : state) {
    ++round;
    for (size_t i = 0; i < rows.size(); ++i) {
      rows[i].instrument_token = static_cast<uint32_t>((70000 + i) * 256 + 2);
      rows[i].last_price = 100 + 0.05 * ((round + i) % 400);
      rows[i].volume = round;
      rows[i].received_at_ms = round;
    }
    if (!(*db)->UpsertLtps(rows).ok()) state.SkipWithError("UpsertLtps failed");
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  db->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_UpsertLtpsBatch)->Arg(10)->Arg(300)->Arg(3000)->Unit(benchmark::kMillisecond);

}  // namespace
