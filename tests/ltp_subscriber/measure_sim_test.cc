// Measurement, not a pass/fail test (DISABLED_: run it on purpose):
//   build-sub/tests/ltp_subscriber_test --gtest_also_run_disabled_tests
//       --gtest_filter='*Measure3000*'
// The simulator streams full-mode ticks for 3000 open positions (every instrument moves every
// 100 ms); the real binary ingests them. Reports the ingest rate (ticks decoded and rows written
// per second, from the heartbeat counters), the subscriber's CPU use, and the tick-to-database
// latency seen by a reader (price set in the simulator -> visible in zerodha_trading.db).
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "sim_fixture.h"

namespace zm::ltp::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Steady = std::chrono::steady_clock;

constexpr int kInstruments = 3000;

// utime + stime of a process, in clock ticks.
long long CpuTicks(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string skip;
  for (int i = 0; i < 11; ++i) fields >> skip;  // fields 3..13
  long long utime = 0, stime = 0;
  fields >> utime >> stime;
  return utime + stime;
}

// One row, one query: the reader's own cost stays out of the latency.
double ProbePrice(const std::filesystem::path& db_path, uint32_t token) {
  try {
    SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY, 1000);
    SQLite::Statement st(db, "SELECT last_price FROM ltp_data WHERE instrument_token = ?");
    st.bind(1, static_cast<int64_t>(token));
    return st.executeStep() ? st.getColumn(0).getDouble() : -1;
  } catch (const std::exception&) {
    return -1;
  }
}

TEST_F(SubscriberSimTest, DISABLED_Measure3000InstrumentsIngestAndLatency) {
  ASSERT_NO_FATAL_FAILURE(StartSim(ManyInstrumentsScenario(kInstruments)));
  ASSERT_NO_FATAL_FAILURE(StartSubscriber("logging: {level: info}"));
  ASSERT_TRUE(zm::testing::WaitUntil([&] { return Ltps().size() == kInstruments; }, seconds(30)))
      << Ltps().size() << " rows";

  // Ingest rate over a window.
  const auto window = seconds(10);
  const nlohmann::json before = HeartbeatDetails();
  const long long cpu_before = CpuTicks(child_->pid());
  std::this_thread::sleep_for(window);
  const nlohmann::json after = HeartbeatDetails();
  const long long cpu_after = CpuTicks(child_->pid());
  const double secs = std::chrono::duration<double>(window).count();
  auto rate = [&](const char* key) {
    return (after.value(key, 0LL) - before.value(key, 0LL)) / secs;
  };
  std::cout << "ingest: " << rate("ticks_received") << " ticks/s decoded, " << rate("rows_written")
            << " rows/s written in " << rate("batches_written")
            << " transactions/s; subscriber CPU "
            << 100.0 * (cpu_after - cpu_before) / sysconf(_SC_CLK_TCK) / secs << "%\n";
  const double rows = after.value("rows_written", 0LL) - before.value("rows_written", 0LL);
  std::cout << "inside the subscriber, tick received -> row committed: avg "
            << (after.value("tick_to_db_ms_sum", 0LL) - before.value("tick_to_db_ms_sum", 0LL)) /
                   std::max(rows, 1.0)
            << " ms, max since start " << after.value("tick_to_db_ms_max", 0LL)
            << " ms; slowest commit " << after.value("commit_ms_max", 0LL) << " ms\n";

  // Tick-to-database latency, as a reader sees it.
  const uint32_t probe = kFirstExchangeToken * 256 + 2;
  std::vector<double> latencies_ms;
  for (int i = 0; i < 30; ++i) {
    const double price = 200 + i * 0.05 + 0.05;
    const auto set_at = Steady::now();
    ASSERT_TRUE(sim_->SetPrice("NFO:NIFTY26DEC20000CE", price).ok());
    ASSERT_TRUE(zm::testing::WaitUntil(
        [&] { return std::abs(ProbePrice(dir_ / "zerodha_trading.db", probe) - price) < 1e-6; },
        seconds(5), milliseconds(2)));
    latencies_ms.push_back(
        std::chrono::duration<double, std::milli>(Steady::now() - set_at).count());
    std::this_thread::sleep_for(milliseconds(37));  // desynchronise from the flush period
  }
  std::sort(latencies_ms.begin(), latencies_ms.end());
  std::cout << "tick-to-db latency (set in sim -> visible to a reader), ms: min "
            << latencies_ms.front() << " median " << latencies_ms[latencies_ms.size() / 2]
            << " p90 " << latencies_ms[latencies_ms.size() * 9 / 10] << " max "
            << latencies_ms.back() << "\n";
}

}  // namespace
}  // namespace zm::ltp::testing
