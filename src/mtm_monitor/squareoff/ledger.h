// Ledger: how much of each position an exit may close without ever closing twice.
//
// Kite's positions can lag its order book: right after our exit fills, GET /portfolio/positions
// may still show the position open, and planning from that read would close it twice. The
// ledger keeps, per net position key and trading day, a base (a position read and the engine's
// fills on that key counted at that moment, persisted in zerodha_mtm.db), so that
//     expected = base_quantity + (engine fills today - base_fills)
// is derived from the journal alone (it survives a restart) and no positions read overwrites it.
// A read is compared with it:
//   consistent  read == expected: the read is the truth;
//   lagging     read != expected while our last fill on that key is younger than `lag_max` or an
//               order of ours on it may still fill: the truth is one of the two, so only what
//               both agree may be closed (the smaller on the same side; nothing if they disagree
//               on the side);
//   re-based    read != expected although the key has been quiet for `lag_max` (no fill of ours
//               for that long, nothing in flight): the difference is real (a trade made in the
//               app, a GTT that fired), so the read becomes the new base.
// Orders that may still fill (live or outcome unknown) count as filled when planning: an exit
// may under-close and be completed later, never over-close. Pure; not thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "mtm_monitor/squareoff/journal_types.h"

namespace zm::monitor {

struct LedgerEntry {
  std::string trading_date, key;  // key = PositionKey()
  long long base_quantity = 0;
  long long base_fills = 0;  // the engine's signed fills on the key when the base was taken
  long long based_at_ms = 0;
  bool operator==(const LedgerEntry&) const = default;
};

// Names: kReadStateNames in ledger.cc, in this order (common/enum_names.h).
enum class ReadState { kConsistent, kLagging, kRebased, kNew, kMaxValue = kNew };
const char* ReadStateName(ReadState state);

struct KeyReading {
  std::string key;
  long long read = 0;       // what the broker's positions say
  long long expected = 0;   // what the ledger says (after a re-base: the read)
  long long in_flight = 0;  // signed quantity of our orders that may still fill
  long long closable = 0;   // signed position quantity an exit may close now (0 = nothing)
  ReadState state = ReadState::kConsistent;
  // The key is known flat: the read is trusted and shows 0, and nothing of ours is in flight.
  bool flat() const { return state != ReadState::kLagging && read == 0 && in_flight == 0; }
};

// The smaller of two quantities on the same side, 0 when they disagree on the side.
long long ConservativeQuantity(long long a, long long b);

class Ledger {
 public:
  Ledger(std::string trading_date, long long lag_max_ms)
      : trading_date_(std::move(trading_date)), lag_max_ms_(lag_max_ms) {}

  void Restore(const std::vector<LedgerEntry>& entries);

  // Compares a positions read (key -> signed quantity; keys absent = 0), taken at
  // read_started_ms, with today's journal rows. Keys looked at: those read, those with a base,
  // and those with rows. New and re-based entries are appended to *changed (to persist).
  std::vector<KeyReading> Apply(const std::map<std::string, long long>& read,
                                const std::vector<JournaledOrder>& rows, long long read_started_ms,
                                std::vector<LedgerEntry>* changed);

  const std::map<std::string, LedgerEntry>& entries() const { return entries_; }

 private:
  std::string trading_date_;
  long long lag_max_ms_;
  std::map<std::string, LedgerEntry> entries_;
};

}  // namespace zm::monitor
