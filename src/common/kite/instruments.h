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
  double tick_size = 0.05;      // 0 in the dump = unknown (index rows)
  long long lot_size = 1;       // 0 in the dump = unknown (index rows)
  std::string instrument_type;  // EQ, FUT, CE, PE
  std::string segment;          // NFO-OPT, NSE, CDS-FUT, INDICES, ...
  std::string exchange;         // NSE, NFO, BFO, CDS, ...
  bool operator==(const Instrument&) const = default;
};

// Rows of the dump that could not be used, counted (the first few reasons kept, each naming the
// line and column).
struct CsvSkips {
  int count = 0;
  std::vector<std::string> first_reasons;  // at most kMaxSkipReasons
  static constexpr size_t kMaxSkipReasons = 5;
};

// Parses the whole CSV (header row required; columns located by name; quoted fields handled).
// Kite's real dump has rows a strict parser would refuse (index rows with tick_size and lot_size
// 0, empty names): a 0 tick or lot is kept as 0 (= unknown), and a row that cannot be used at all
// (bad token, wrong field count, broken quoting) is skipped and counted in *skips, never the
// whole file. Only a header without the needed columns is an error (kParseError).
Result<std::vector<Instrument>> ParseInstrumentsCsv(std::string_view csv,
                                                    CsvSkips* skips = nullptr);
std::string InstrumentsToCsv(const std::vector<Instrument>& instruments);

}  // namespace zm::kite
