// The monitor's MTM cycle cost for 10 / 100 / 1000 open positions (scripts/bench.sh):
//   BM_ComputeMtm       the pure computation (ComputeMtm over fresh ticks), no I/O;
//   BM_QuickCycleReads  what a quick cycle reads from zerodha_trading.db and computes: the
//                       positions' sync time (the rows reused), new order updates, every tick,
//                       then ComputeMtm;
//   BM_FullReadCycle    the same with the positions rows read and parsed again (a full cycle
//                       after the subscriber stored new positions).
// The database is a real file in a temporary folder, written by a writer connection as the
// subscriber would. The evaluation of triggers and the snapshot/history writes are not included.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/trading_db.h"
#include "mtm_monitor/mtm_calc.h"

namespace {

using zm::LtpRow;
using zm::TradingDb;
using zm::kite::Position;

constexpr long long kNowMs = 1'764'132'903'000;

std::vector<Position> MakePositions(int n) {
  std::vector<Position> net;
  for (int i = 0; i < n; ++i) {
    Position p;
    p.tradingsymbol = "NIFTY26DEC" + std::to_string(20000 + i) + "CE";
    p.exchange = "NFO";
    p.product = i % 2 ? "NRML" : "MIS";
    p.instrument_token = static_cast<uint32_t>((70000 + i) << 8 | 2);
    p.quantity = i % 3 ? 75 : -150;
    p.average_price = p.close_price = p.last_price = 100 + i % 50;
    p.buy_quantity = p.quantity > 0 ? p.quantity : 0;
    p.sell_quantity = p.quantity < 0 ? -p.quantity : 0;
    p.day_buy_quantity = p.buy_quantity;
    p.day_sell_quantity = p.sell_quantity;
    p.buy_price = p.sell_price = p.day_buy_price = p.day_sell_price = p.average_price;
    net.push_back(p);
  }
  return net;
}

std::map<uint32_t, LtpRow> MakeLtps(const std::vector<Position>& net) {
  std::map<uint32_t, LtpRow> ltps;
  for (const auto& p : net) {
    LtpRow r;
    r.instrument_token = p.instrument_token;
    r.last_price = p.average_price + 1.5;
    r.received_at_ms = kNowMs - 200;
    ltps[p.instrument_token] = r;
  }
  return ltps;
}

void BM_ComputeMtm(benchmark::State& state) {
  const auto net = MakePositions(static_cast<int>(state.range(0)));
  const auto ltps = MakeLtps(net);
  const zm::monitor::PricingContext ctx{&ltps, nullptr, kNowMs, 10000};
  for (auto _ : state) {
    auto mtm = zm::monitor::ComputeMtm(net, ctx);
    benchmark::DoNotOptimize(mtm);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ComputeMtm)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond);

// A trading DB with N positions and N ticks, and a read-only connection to it (the monitor's).
struct TradingDbFixture {
  explicit TradingDbFixture(int n) {
    dir = std::filesystem::temp_directory_path() /
          ("zm_mtm_cycle_bench_" + std::to_string(::getpid()) + "_" + std::to_string(n));
    std::filesystem::create_directories(dir);
    const auto path = dir / "zerodha_trading.db";
    writer = std::move(TradingDb::Open(path, false)).value();
    zm::kite::Positions positions;
    positions.net = MakePositions(n);
    (void)writer->ReplacePositions(positions, kNowMs - 1000);
    std::vector<LtpRow> rows;
    for (const auto& [token, row] : MakeLtps(positions.net)) rows.push_back(row);
    (void)writer->UpsertLtps(rows);
    reader = std::move(TradingDb::Open(path, true)).value();
  }
  ~TradingDbFixture() {
    reader.reset();
    writer.reset();
    std::filesystem::remove_all(dir);
  }
  std::filesystem::path dir;
  std::unique_ptr<TradingDb> writer, reader;
};

void Cycle(benchmark::State& state, bool reread_positions) {
  TradingDbFixture f(static_cast<int>(state.range(0)));
  auto snapshot = f.reader->ReadPositions();
  if (!snapshot.ok()) {
    state.SkipWithError("reading positions failed");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(f.reader->DataVersion());
    if (reread_positions) {
      snapshot = f.reader->ReadPositions();
    } else {
      auto synced_at = f.reader->PositionsSyncedAt();
      benchmark::DoNotOptimize(synced_at);
      zm::PositionsSnapshot kept = *snapshot;  // the monitor hands out a copy of the kept rows
      benchmark::DoNotOptimize(kept);
    }
    benchmark::DoNotOptimize(f.reader->ReadOrderUpdatesAfter(0));
    auto ltps = f.reader->ReadLtps();
    const zm::monitor::PricingContext ctx{&ltps.value(), nullptr, kNowMs, 10000};
    auto mtm = zm::monitor::ComputeMtm(snapshot->positions.net, ctx);
    benchmark::DoNotOptimize(mtm);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_QuickCycleReads(benchmark::State& state) { Cycle(state, false); }
void BM_FullReadCycle(benchmark::State& state) { Cycle(state, true); }
BENCHMARK(BM_QuickCycleReads)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FullReadCycle)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond);

}  // namespace
