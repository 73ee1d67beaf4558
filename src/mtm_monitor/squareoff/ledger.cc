#include "mtm_monitor/squareoff/ledger.h"

#include <algorithm>
#include <cstdlib>
#include <set>

#include "common/enum_names.h"

namespace zm::monitor {
namespace {

struct RowTotals {
  long long fills = 0, in_flight = 0, last_fill_ms = 0;
  bool live = false;
};

std::map<std::string, RowTotals> Totals(const std::vector<JournaledOrder>& rows) {
  std::map<std::string, RowTotals> out;
  for (const JournaledOrder& row : rows) {
    RowTotals& t = out[row.position_key()];
    t.fills += row.signed_fill();
    t.in_flight += row.signed_open();
    t.last_fill_ms = std::max(t.last_fill_ms, row.filled_at_ms);
    t.live = t.live || row.live();
  }
  return out;
}

int Sign(long long v) { return v > 0 ? 1 : v < 0 ? -1 : 0; }

}  // namespace

constexpr auto kReadStateNames =
    MakeEnumNames<ReadState>({"consistent", "lagging", "rebased", "new"});

const char* ReadStateName(ReadState state) { return kReadStateNames.Name(state); }

long long ConservativeQuantity(long long a, long long b) {
  if (a == b) return a;
  if (Sign(a) != Sign(b) || a == 0) return 0;
  const long long magnitude = std::min(std::llabs(a), std::llabs(b));
  return a > 0 ? magnitude : -magnitude;
}

void Ledger::Restore(const std::vector<LedgerEntry>& entries) {
  for (const LedgerEntry& e : entries) {
    if (e.trading_date == trading_date_) entries_[e.key] = e;
  }
}

std::vector<KeyReading> Ledger::Apply(const std::map<std::string, long long>& read,
                                      const std::vector<JournaledOrder>& rows,
                                      long long read_started_ms,
                                      std::vector<LedgerEntry>* changed) {
  const std::map<std::string, RowTotals> totals = Totals(rows);
  std::set<std::string> keys;
  for (const auto& [key, qty] : read) keys.insert(key);
  for (const auto& [key, entry] : entries_) keys.insert(key);
  for (const auto& [key, t] : totals) keys.insert(key);
  std::vector<KeyReading> out;
  for (const std::string& key : keys) {
    KeyReading r;
    r.key = key;
    if (auto it = read.find(key); it != read.end()) r.read = it->second;
    const RowTotals t = totals.count(key) ? totals.at(key) : RowTotals{};
    r.in_flight = t.in_flight;
    auto entry = entries_.find(key);
    const bool quiet =
        !t.live && (t.last_fill_ms == 0 || read_started_ms - t.last_fill_ms >= lag_max_ms_);
    if (entry == entries_.end() ||
        (quiet && entry->second.base_quantity + t.fills - entry->second.base_fills != r.read)) {
      r.state = entry == entries_.end() ? ReadState::kNew : ReadState::kRebased;
      LedgerEntry fresh{trading_date_, key, r.read, t.fills, read_started_ms};
      entries_[key] = fresh;
      if (changed) changed->push_back(fresh);
      entry = entries_.find(key);
    }
    r.expected = entry->second.base_quantity + t.fills - entry->second.base_fills;
    if (r.state == ReadState::kConsistent && r.expected != r.read) r.state = ReadState::kLagging;
    long long closable = ConservativeQuantity(r.read + r.in_flight, r.expected + r.in_flight);
    if (Sign(closable) != Sign(r.read) || Sign(closable) != Sign(r.expected)) closable = 0;
    r.closable = closable;
    out.push_back(r);
  }
  return out;
}

}  // namespace zm::monitor
