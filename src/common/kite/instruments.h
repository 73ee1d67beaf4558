// The instruments master (GET /instruments CSV). `name` is the underlying (NIFTY, BANKNIFTY).
// Key instruments by exchange + tradingsymbol (tokens are reused after expiry). Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace zm::kite {

struct Instrument {
  uint32_t instrument_token = 0;
  uint32_t exchange_token = 0;
  std::string tradingsymbol;
  std::string name;  // underlying
  double last_price = 0;
  std::string expiry;  // "YYYY-MM-DD" or ""
  double strike = 0;
  double tick_size = 0.05;
  long long lot_size = 1;
  std::string instrument_type;  // EQ, FUT, CE, PE
  std::string segment;          // NFO-OPT, NSE, CDS-FUT, INDICES, ...
  std::string exchange;         // NSE, NFO, BFO, CDS, ...
  bool operator==(const Instrument&) const = default;
};

// Parses the whole CSV (header row required; columns located by name; quoted fields handled).
// A malformed row: kParseError naming the line number and column. tick_size and lot_size may be
// 0 (index rows of the real dump); callers must not trade or slice on such a row.
Result<std::vector<Instrument>> ParseInstrumentsCsv(std::string_view csv);
std::string InstrumentsToCsv(const std::vector<Instrument>& instruments);

}  // namespace zm::kite
