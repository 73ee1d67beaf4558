// InstrumentFacts: what an exit order must respect for one instrument (lot size, tick size,
// freeze limit) and where each fact came from. FactsBook resolves them from every source the
// suite has, best first:
//   lot / tick: a number learnt from a broker refusal today > the instruments dump (a 0 there,
//     as on index rows, means unknown);
//   freeze limit: learnt from a refusal today ("maximum quantity of 6000 (20 lots)") > the
//     user's `instruments.<UNDERLYING>.volume_freeze_quantity` (exact underlying) > the
//     per-exchange table `freeze_limits.<EXCHANGE>.<UNDERLYING>` (shipped with NSE/BSE index
//     limits) > unknown (0: the order goes whole; a freeze refusal then teaches the limit, and
//     only a refusal without numbers makes the engine fall back to `autoslice`).
// The underlying is the dump row's `name`, or, where the dump leaves it empty or has no row, the
// tradingsymbol's root (the symbol minus its expiry/strike/type suffix). Never a prefix guess:
// NIFTYNXT50 must not get NIFTY's limit. Pure; not thread-safe (one per engine thread).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/kite/instruments.h"
#include "mtm_monitor/squareoff/refusals.h"

namespace zm::monitor {

// "EXCHANGE:TRADINGSYMBOL" (Kite's instrument key).
std::string InstrumentKey(const std::string& exchange, const std::string& tradingsymbol);

// Names: kFactSourceNames in facts.cc, in this order (common/enum_names.h).
enum class FactSource { kUnknown, kDump, kConfig, kTable, kLearnt, kMaxValue = kLearnt };
const char* FactSourceName(FactSource source);

struct InstrumentFacts {
  std::string underlying;         // "" when it cannot be told
  long long lot_size = 0;         // 0 = unknown
  double tick_size = 0;           // 0 = unknown
  long long freeze_quantity = 0;  // 0 = no known limit
  uint32_t instrument_token = 0;
  FactSource lot_source = FactSource::kUnknown;
  FactSource freeze_source = FactSource::kUnknown;
  bool use_autoslice = false;  // a freeze refusal named no numbers: let Kite slice
};

// The tradingsymbol's root: "BANKNIFTY26DEC52000CE" -> "BANKNIFTY", "NIFTYNXT5026DECFUT" ->
// "NIFTYNXT50" (using the dump row's expiry and strike when given), "NIFTY2612324000CE" (weekly)
// -> "NIFTY". Empty when no rule applies (equities: the symbol itself is returned).
std::string SymbolRoot(const std::string& tradingsymbol, const kite::Instrument* row);

class FactsBook {
 public:
  // user_freeze: config `instruments` (underlying -> quantity); table: `freeze_limits`
  // (exchange -> underlying -> quantity).
  FactsBook(std::map<std::string, long long> user_freeze,
            std::map<std::string, std::map<std::string, long long>> table);

  void AddDumpRow(const kite::Instrument& row);  // keyed by exchange + tradingsymbol
  // Learnt facts restored from earlier today (same shape as what Learn() produces).
  void RestoreLearnt(const std::string& instrument_key, long long lot_size, double tick_size,
                     long long freeze_quantity);

  InstrumentFacts Resolve(const std::string& exchange, const std::string& tradingsymbol) const;

  // Folds a refusal for that instrument into the book. True when it taught something new that
  // changes how the rest of the exit must be sliced or priced.
  bool Learn(const std::string& exchange, const std::string& tradingsymbol, const Refusal& refusal);

  struct Learnt {
    long long lot_size = 0;
    double tick_size = 0;
    long long freeze_quantity = 0;
    bool autoslice = false;
  };
  // What was learnt, by instrument key (to persist it for the rest of the day).
  const std::map<std::string, Learnt>& learnt() const { return learnt_; }

 private:
  std::map<std::string, long long> user_freeze_;
  std::map<std::string, std::map<std::string, long long>> table_;
  std::map<std::string, kite::Instrument> dump_;
  std::map<std::string, Learnt> learnt_;  // by instrument key
  std::map<std::string, long long> learnt_freeze_by_underlying_;
};

}  // namespace zm::monitor
