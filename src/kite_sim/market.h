// Market: the simulated prices of the scenario's instruments. Advance(t) moves every instrument
// along its path (scripted points + seeded random walk, rounded to the tick size); SetPrice()
// pins an instrument at a price chosen by a test (its path stops). Keeps the day's open, high,
// low, a volume counter, which instruments changed since the last TakeChanged(), and each
// instrument's five-level depth (depth.h): drawn afresh at every Advance() (market tick) and
// SetPrice(), consumed by orders through Take(), carried by full-mode ticks and GET /quote.
// Pure logic: time is passed in (seconds since the start). Not thread-safe: one owner.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "common/kite/tick.h"
#include "kite_sim/depth.h"
#include "kite_sim/scenario.h"

namespace zm::sim {

double RoundToTick(double price, double tick_size);

class Market {
 public:
  Market(const std::vector<SimInstrument>& instruments, uint64_t seed);

  // Moves unpinned instruments to their price at `seconds` since start.
  void Advance(double seconds);
  // Sets "EX:SYM" to `price` (rounded to tick) and pins it. False when unknown.
  bool SetPrice(const std::string& key, double price);
  // A new trading day: each instrument's previous close becomes closes["EX:SYM"] (absent: its
  // LTP); the day's open/high/low restart at the LTP and the volume at 0.
  void StartDay(const std::map<std::string, double>& closes);

  const SimInstrument* Find(const std::string& key) const;
  const SimInstrument* FindByToken(uint32_t token) const;
  std::optional<double> Ltp(const std::string& key) const;
  double LtpByToken(uint32_t token) const;  // 0 when unknown
  const std::vector<SimInstrument>& instruments() const { return instruments_; }

  // Tokens whose price changed since the previous call.
  std::set<uint32_t> TakeChanged();
  // A tick for `token` in `mode`, with the day's OHLC and a synthetic depth. Unknown: token only.
  kite::Tick MakeTick(uint32_t token, kite::TickMode mode, int64_t epoch_seconds) const;
  std::map<std::string, double> AllLtps() const;

  // The current depth of `token` (empty book when unknown).
  DepthBook Depth(uint32_t token) const;
  // Executes against the depth of `token` (see TakeDepth); empty when unknown.
  std::vector<Execution> Take(uint32_t token, bool buy, double limit_price, long long max_quantity);
  // Day's open/high/low and the volume counter of `token` (zeros when unknown).
  struct DayStats {
    double open = 0, high = 0, low = 0;
    uint32_t volume = 0;
  };
  DayStats Stats(uint32_t token) const;

 private:
  struct State {
    double ltp = 0, open = 0, high = 0, low = 0;
    double walk = 0;  // accumulated random-walk offset
    double last_seconds = 0;
    bool pinned = false;
    uint32_t volume = 0;
    DepthBook depth;
  };
  void Update(size_t index, double price);
  void RefreshDepth(size_t index);
  double BasePrice(const SimInstrument& instrument, double seconds) const;

  std::vector<SimInstrument> instruments_;
  std::vector<State> states_;
  std::map<std::string, size_t> by_key_;
  std::map<uint32_t, size_t> by_token_;
  std::set<uint32_t> changed_;
  std::mt19937_64 rng_;
  std::mt19937_64 depth_rng_;  // its own stream: the price paths stay as they were per seed
};

}  // namespace zm::sim
