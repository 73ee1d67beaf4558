#include "mtm_monitor/squareoff/facts.h"

#include <cctype>
#include <cmath>
#include <cstdio>

#include "common/enum_names.h"

namespace zm::monitor {
namespace {

constexpr const char* kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                   "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
// Weekly expiries code the month in one character: 1-9, O, N, D.
constexpr char kWeeklyMonths[] = {'1', '2', '3', '4', '5', '6', '7', '8', '9', 'O', 'N', 'D'};

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() > suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string StrikeText(double strike) {
  char buf[32];
  if (strike == std::floor(strike)) {
    std::snprintf(buf, sizeof buf, "%.0f", strike);
  } else {
    std::snprintf(buf, sizeof buf, "%g", strike);
  }
  return buf;
}

// Suffixes an F&O symbol of this row may end with (monthly and weekly forms).
std::vector<std::string> ContractSuffixes(const kite::Instrument& row) {
  std::vector<std::string> out;
  int year = 0, month = 0, day = 0;
  if (std::sscanf(row.expiry.c_str(), "%d-%d-%d", &year, &month, &day) != 3 || month < 1 ||
      month > 12) {
    return out;
  }
  char yy[8], dd[8];
  std::snprintf(yy, sizeof yy, "%02d", year % 100);
  std::snprintf(dd, sizeof dd, "%02d", day);
  const std::string monthly = std::string(yy) + kMonths[month - 1];
  const std::string weekly = std::string(yy) + kWeeklyMonths[month - 1] + dd;
  const std::string& type = row.instrument_type;
  if (type == "FUT") {
    out.push_back(monthly + "FUT");
  } else if (type == "CE" || type == "PE") {
    out.push_back(monthly + StrikeText(row.strike) + type);
    out.push_back(weekly + StrikeText(row.strike) + type);
  }
  return out;
}

// Without a dump row: the letters (and & -) before the first "YY" + month code that is followed
// only by a contract tail. Good enough for Kite's F&O symbols; equities return themselves.
std::string RootWithoutRow(const std::string& symbol) {
  for (size_t i = 1; i + 2 < symbol.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(symbol[i])) ||
        !std::isdigit(static_cast<unsigned char>(symbol[i + 1]))) {
      continue;
    }
    const std::string rest = symbol.substr(i + 2);
    bool monthly = false;
    for (const char* m : kMonths) monthly = monthly || rest.rfind(m, 0) == 0;
    const bool weekly = rest.size() >= 3 && std::isdigit(static_cast<unsigned char>(rest[1])) &&
                        std::isdigit(static_cast<unsigned char>(rest[2]));
    const bool tail = EndsWith(symbol, "FUT") || EndsWith(symbol, "CE") || EndsWith(symbol, "PE");
    if ((monthly || weekly) && tail) return symbol.substr(0, i);
  }
  return symbol;
}

}  // namespace

std::string InstrumentKey(const std::string& exchange, const std::string& tradingsymbol) {
  return exchange + ":" + tradingsymbol;
}

constexpr auto kFactSourceNames =
    MakeEnumNames<FactSource>({"unknown", "instruments", "config", "freeze_limits", "broker"});

const char* FactSourceName(FactSource source) { return kFactSourceNames.Name(source, "unknown"); }

std::string SymbolRoot(const std::string& tradingsymbol, const kite::Instrument* row) {
  if (row != nullptr) {
    for (const std::string& suffix : ContractSuffixes(*row)) {
      if (EndsWith(tradingsymbol, suffix)) {
        return tradingsymbol.substr(0, tradingsymbol.size() - suffix.size());
      }
    }
  }
  return RootWithoutRow(tradingsymbol);
}

FactsBook::FactsBook(std::map<std::string, long long> user_freeze,
                     std::map<std::string, std::map<std::string, long long>> table)
    : user_freeze_(std::move(user_freeze)), table_(std::move(table)) {}

void FactsBook::AddDumpRow(const kite::Instrument& row) {
  dump_[InstrumentKey(row.exchange, row.tradingsymbol)] = row;
}

void FactsBook::RestoreLearnt(const std::string& instrument_key, long long lot_size,
                              double tick_size, long long freeze_quantity) {
  Learnt& l = learnt_[instrument_key];
  if (lot_size > 0) l.lot_size = lot_size;
  if (tick_size > 0) l.tick_size = tick_size;
  if (freeze_quantity > 0) l.freeze_quantity = freeze_quantity;
}

InstrumentFacts FactsBook::Resolve(const std::string& exchange,
                                   const std::string& tradingsymbol) const {
  InstrumentFacts f;
  const std::string key = InstrumentKey(exchange, tradingsymbol);
  auto row_it = dump_.find(key);
  const kite::Instrument* row = row_it == dump_.end() ? nullptr : &row_it->second;
  if (row != nullptr) {
    f.instrument_token = row->instrument_token;
    if (row->lot_size > 0) {
      f.lot_size = row->lot_size;
      f.lot_source = FactSource::kDump;
    }
    if (row->tick_size > 0) f.tick_size = row->tick_size;
  }
  // The dump's name is the underlying; rows with an empty name take the symbol's root.
  f.underlying = row != nullptr && !row->name.empty() ? row->name : SymbolRoot(tradingsymbol, row);
  if (auto it = user_freeze_.find(f.underlying); it != user_freeze_.end()) {
    f.freeze_quantity = it->second;
    f.freeze_source = FactSource::kConfig;
  } else if (auto ex = table_.find(exchange); ex != table_.end()) {
    if (auto it2 = ex->second.find(f.underlying); it2 != ex->second.end()) {
      f.freeze_quantity = it2->second;
      f.freeze_source = FactSource::kTable;
    }
  }
  if (auto it = learnt_freeze_by_underlying_.find(exchange + ":" + f.underlying);
      it != learnt_freeze_by_underlying_.end()) {
    f.freeze_quantity = it->second;
    f.freeze_source = FactSource::kLearnt;
  }
  if (auto it = learnt_.find(key); it != learnt_.end()) {
    const Learnt& l = it->second;
    if (l.lot_size > 0) {
      f.lot_size = l.lot_size;
      f.lot_source = FactSource::kLearnt;
    }
    if (l.tick_size > 0) f.tick_size = l.tick_size;
    if (l.freeze_quantity > 0) {
      f.freeze_quantity = l.freeze_quantity;
      f.freeze_source = FactSource::kLearnt;
    }
    f.use_autoslice = l.autoslice;
  }
  return f;
}

bool FactsBook::Learn(const std::string& exchange, const std::string& tradingsymbol,
                      const Refusal& refusal) {
  const std::string key = InstrumentKey(exchange, tradingsymbol);
  const InstrumentFacts before = Resolve(exchange, tradingsymbol);
  Learnt& l = learnt_[key];
  bool changed = false;
  auto set_lot = [&](long long lot) {
    if (lot > 0 && lot != before.lot_size) {
      l.lot_size = lot;
      changed = true;
    }
  };
  switch (refusal.kind) {
    case RefusalKind::kLotSize:
      if (refusal.lot_size) set_lot(*refusal.lot_size);
      break;
    case RefusalKind::kFreeze:
      if (refusal.freeze_quantity && *refusal.freeze_quantity != before.freeze_quantity) {
        l.freeze_quantity = *refusal.freeze_quantity;
        if (!before.underlying.empty()) {
          learnt_freeze_by_underlying_[exchange + ":" + before.underlying] = l.freeze_quantity;
        }
        changed = true;
      }
      if (auto lot = refusal.ImpliedLotSize()) set_lot(*lot);
      if (!refusal.freeze_quantity && !l.autoslice) {
        l.autoslice = true;  // no numbers to learn: the broker must slice
        changed = true;
      }
      break;
    case RefusalKind::kTickSize:
      if (refusal.tick_size && *refusal.tick_size != before.tick_size) {
        l.tick_size = *refusal.tick_size;
        changed = true;
      }
      break;
    default:
      break;
  }
  return changed;
}

}  // namespace zm::monitor
