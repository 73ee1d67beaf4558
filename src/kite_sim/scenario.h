// Scenario: everything a simulator run starts from, read from a YAML file (scenarios/*.yaml):
// the credentials it accepts, the instruments (with real structure), starting positions, price
// paths (scripted points and/or a seeded random walk), the broker's latencies and rules, and
// faults switched on at start. ParseScenario() validates the whole document and names the key
// at fault. A Scenario is a plain immutable value once parsed; thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/kite/instruments.h"
#include "common/status.h"

namespace zm::sim {

struct PricePoint {
  double at_seconds = 0;
  double price = 0;
};

// The price at t = base(t) + walk(t): base interpolates linearly between (0, start price) and the
// scripted points, then holds the last one; walk adds drift_per_second * dt plus a Gaussian step
// of volatility * sqrt(dt) (rupees) at every tick, from the scenario's seeded generator.
struct PricePath {
  std::vector<PricePoint> points;  // sorted by at_seconds
  double volatility = 0;           // rupees per sqrt(second)
  double drift_per_second = 0;     // rupees per second
};

struct SimInstrument {
  kite::Instrument instrument;         // token = exchange_token * 256 + segment id; the truth
  std::string underlying;              // freeze-limit key; defaults to instrument.name
  long long dump_lot_size = 0;         // lot_size the instruments dump shows (may be wrong/0)
  bool in_dump = true;                 // false: tradable but absent from GET /instruments
  int depth_lots = 100;                // depth scale: level L holds up to depth_lots*(L+1) lots
  double multiplier = 1;               // position value multiplier (USDINR: 1000)
  double start_price = 0;              // LTP at start
  double close_price = 0;              // previous close: circuit band base, quote/full ticks
  bool market_orders_blocked = false;  // stock options: MARKET is rejected, use LIMIT
  PricePath path;
  std::string key() const { return instrument.exchange + ":" + instrument.tradingsymbol; }
};

// A position at start: a fill made earlier today, or (carried: true) a quantity carried from the
// previous day at its entry price, valued for the day at the previous close.
struct StartPosition {
  std::string exchange, tradingsymbol, product = "NRML";
  long long quantity = 0;  // signed: negative = short
  double price = 0;        // fill price (today's fill)
  bool carried = false;
  double entry_price = 0;  // carried: the original entry price
  double close = 0;        // carried: the previous close (default: the instrument's close)
};

// A long-term equity holding (GET /portfolio/holdings).
struct StartHolding {
  std::string exchange, tradingsymbol, isin;
  long long quantity = 0, t1_quantity = 0;
  double average_price = 0;
};

struct Scenario {
  std::string api_key = "sim_key";
  std::string api_secret = "sim_secret";
  std::string access_token = "sim_token";
  std::string user_id = "SIM001";
  int tick_interval_ms = 200;
  int heartbeat_interval_ms = 1000;
  int accept_latency_ms = 30;   // POST /orders answer delay; the order turns OPEN then
  int fill_latency_ms = 60;     // OPEN -> filled, when marketable
  double circuit_percent = 20;  // LIMIT prices beyond close +- this % are rejected
  bool sessions = true;         // regular orders only inside each exchange's session (IST)
  int order_rate_limit = 10;    // order requests per second before 429
  int order_rate_limit_per_minute = 400;  // order requests per minute before 429
  int order_limit_per_day = 5000;         // order requests per IST day before 429
  int quote_rate_limit = 0;  // GET /quote* requests per second before 429 (Kite: 1); 0 = off
  int other_rate_limit = 0;  // every other REST request, per second combined; 0 = off
  int open_pending_ms = 0;   // extra time a new order stays OPEN PENDING (slow OMS)
  int book_delay_ms = 0;     // a new order is missing from GET /orders for this long
  int positions_lag_ms = 0;  // GET /portfolio/positions shows fills this old or older
  std::map<std::string, long long> freeze_limits;  // underlying -> max quantity per order
  std::vector<SimInstrument> instruments;
  std::vector<StartPosition> positions;
  std::vector<StartHolding> holdings;
  std::vector<nlohmann::json> faults;  // same bodies as POST /_sim/fault, applied at start
};

// Parses and validates a scenario document. Errors: kInvalidArgument naming the key.
Result<Scenario> ParseScenario(const std::string& yaml_text);
Result<Scenario> LoadScenarioFile(const std::string& path);

// Segment id (instrument_token & 0xff) of an exchange name, or of "INDICES" segments.
int SegmentIdOf(const std::string& exchange, const std::string& segment);

}  // namespace zm::sim
