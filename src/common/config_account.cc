// The keys about a real account's semantics: the MTM basis, the trading day, square-off times
// by exchange, the guarded products and the market hours (README "Configuration reference").
#include <set>

#include "common/config_reader.h"
#include "common/ist.h"
#include "common/market_hours.h"

namespace zm {
namespace config_internal {
namespace {

const std::set<std::string>& KiteProducts() {
  static const std::set<std::string> kProducts = {"CNC", "NRML", "MIS", "MTF", "CO", "BO"};
  return kProducts;
}

bool IsExchangeName(const std::string& name) {
  if (name.empty() || name.size() > 8) return false;
  for (char c : name) {
    if (!(c >= 'A' && c <= 'Z')) return false;
  }
  return true;
}

void ReadBasisAndDayStart(Reader& r, TradingConfig* t) {
  std::string basis = "day";
  r.String("trading", "mtm_basis", &basis);
  if (!r.status().ok()) return;
  if (basis == "day") {
    t->mtm_basis = MtmBasis::kDay;
  } else if (basis == "since_entry") {
    t->mtm_basis = MtmBasis::kSinceEntry;
  } else {
    return r.Set(KeyError("trading.mtm_basis", "'" + basis + "'", "day or since_entry"));
  }
  std::string starts = "08:00";
  r.String("trading", "day_starts_at", &starts);
  if (!r.status().ok()) return;
  const auto minute = ParseHhMm(starts);
  // A trading day must start before any session opens (CDS and MCX open at 09:00).
  if (!minute || *minute > 9 * 60) {
    return r.Set(KeyError("trading.day_starts_at", "'" + starts + "'",
                          "\"HH:MM\" IST between 00:00 and 09:00, e.g. \"08:00\""));
  }
  t->day_starts_at = *minute;
}

void ReadSquareOffTimes(Reader& r, TradingConfig* t) {
  const YAML::Node node = r.Find("trading", "square_off_time");
  if (!r.status().ok() || !node || node.IsNull()) return;
  const std::string path = "trading.square_off_time";
  const std::string expected = "\"HH:MM\" in IST, e.g. \"15:15\"";
  if (node.IsScalar()) {
    if (node.Scalar().empty()) return;
    const auto minute = ParseHhMm(node.Scalar());
    if (!minute) return r.Set(KeyError(path, Describe(node), expected));
    t->square_off_times["default"] = *minute;
    return;
  }
  if (!node.IsMap()) {
    return r.Set(KeyError(path, Describe(node), "\"HH:MM\" or a mapping of exchange -> \"HH:MM\""));
  }
  for (const auto& entry : node) {
    const std::string key = entry.first.as<std::string>();
    if (key != "default" && !IsExchangeName(key)) {
      return r.Set(
          KeyError(path + "." + key, "that key", "an exchange (NSE, NFO, MCX, ...) or default"));
    }
    const auto minute = entry.second.IsScalar() ? ParseHhMm(entry.second.Scalar()) : std::nullopt;
    if (!minute) return r.Set(KeyError(path + "." + key, Describe(entry.second), expected));
    t->square_off_times[key] = *minute;
  }
}

void ReadProducts(Reader& r, RiskConfig* k) {
  const YAML::Node node = r.Find("risk_management", "products");
  if (!r.status().ok() || !node || node.IsNull()) return;
  const std::string path = "risk_management.products";
  const std::string expected = "a list of Kite products (CNC, NRML, MIS, MTF, CO, BO)";
  if (!node.IsSequence() || node.size() == 0) {
    return r.Set(KeyError(path, Describe(node), expected + "; leave it out for every product"));
  }
  for (const auto& item : node) {
    if (!item.IsScalar() || !KiteProducts().count(item.Scalar())) {
      return r.Set(KeyError(path, Describe(item), expected));
    }
    k->products.insert(item.Scalar());
  }
}

void ReadMarketHours(Reader& r, const YAML::Node& root, MarketHoursConfig* m) {
  r.AnyKeyIn("market_hours");
  const YAML::Node section = root["market_hours"];
  if (!r.status().ok() || !section || section.IsNull()) return;
  r.Bool("market_hours", "enforce", &m->enforce);
  for (const auto& entry : section) {
    const std::string key = entry.first.as<std::string>();
    if (key == "enforce") continue;
    const std::string path = "market_hours." + key;
    if (!IsExchangeName(key)) {
      return r.Set(KeyError(path, "that key", "enforce or an exchange (NSE, NFO, MCX, ...)"));
    }
    const auto session =
        entry.second.IsScalar() ? ParseSession(entry.second.Scalar()) : std::nullopt;
    if (!session) {
      return r.Set(KeyError(path, Describe(entry.second),
                            "\"HH:MM-HH:MM\" in IST, open before close, e.g. \"09:15-15:30\""));
    }
    m->sessions[key] = *session;
  }
}

}  // namespace

void ReadAccountKeys(Reader& r, const YAML::Node& root, Config* c) {
  ReadBasisAndDayStart(r, &c->trading);
  ReadSquareOffTimes(r, &c->trading);
  ReadProducts(r, &c->risk_management);
  ReadMarketHours(r, root, &c->market_hours);
}

}  // namespace config_internal

const char* MtmBasisName(MtmBasis basis) { return basis == MtmBasis::kDay ? "day" : "since_entry"; }

std::optional<int> SquareOffTimeFor(const TradingConfig& trading, const std::string& exchange) {
  const auto& times = trading.square_off_times;
  if (auto it = times.find(exchange); it != times.end()) return it->second;
  std::string house;
  if (exchange == "NFO" || exchange == "CDS") house = "NSE";
  if (exchange == "BFO" || exchange == "BCD") house = "BSE";
  if (auto it = times.find(house); !house.empty() && it != times.end()) return it->second;
  if (auto it = times.find("default"); it != times.end()) return it->second;
  return std::nullopt;
}

}  // namespace zm
