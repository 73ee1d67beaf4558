#include "kite_sim/scenario.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "common/text_file.h"

namespace zm::sim {
namespace {

// Underlyings whose options are index options (MARKET allowed); other options are stock options.
const std::set<std::string> kIndexUnderlyings = {
    "NIFTY", "BANKNIFTY", "FINNIFTY", "MIDCPNIFTY", "NIFTYNXT50", "SENSEX", "BANKEX", "SENSEX50"};

Status Bad(const std::string& key, const std::string& why) {
  return InvalidArgument("scenario: " + key + ": " + why);
}

nlohmann::json YamlToJson(const YAML::Node& node) {
  if (node.IsMap()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& kv : node) out[kv.first.as<std::string>()] = YamlToJson(kv.second);
    return out;
  }
  if (node.IsSequence()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : node) out.push_back(YamlToJson(item));
    return out;
  }
  if (!node.IsScalar()) return nullptr;
  const std::string text = node.Scalar();
  if (node.Tag() != "!") {  // unquoted: try bool and numbers
    if (text == "true") return true;
    if (text == "false") return false;
    try {
      size_t used = 0;
      const long long whole = std::stoll(text, &used);
      if (used == text.size()) return whole;
      const double number = std::stod(text, &used);
      if (used == text.size()) return number;
    } catch (...) {
    }
  }
  return text;
}

template <typename T>
void Read(const YAML::Node& node, const char* key, T* out) {
  if (node[key]) *out = node[key].as<T>();
}

// Read() for each (key, member) pair of one record: ReadKeys(node, "a", &r.a, "b", &r.b, ...).
// An absent record (a missing section) reads nothing.
template <typename T, typename... More>
void ReadKeys(const YAML::Node& node, const char* key, T* out, More... more) {
  if (!node) return;
  Read(node, key, out);
  if constexpr (sizeof...(more) > 0) ReadKeys(node, more...);
}

Status ParsePath(const YAML::Node& node, const std::string& where, PricePath* path) {
  if (!node) return Status::Ok();
  for (const auto& p : node["points"]) {
    PricePoint point{p["at_seconds"].as<double>(), p["price"].as<double>()};
    if (point.at_seconds < 0 || point.price <= 0)
      return Bad(where, "points need at_seconds >= 0, price > 0");
    path->points.push_back(point);
  }
  std::sort(path->points.begin(), path->points.end(),
            [](const PricePoint& a, const PricePoint& b) { return a.at_seconds < b.at_seconds; });
  if (const YAML::Node walk = node["walk"]) {
    Read(walk, "volatility", &path->volatility);
    Read(walk, "drift_per_second", &path->drift_per_second);
    if (path->volatility < 0) return Bad(where + ".walk.volatility", "must be >= 0");
  }
  return Status::Ok();
}

Result<SimInstrument> ParseInstrument(const YAML::Node& node, const std::string& where) {
  SimInstrument s;
  kite::Instrument& i = s.instrument;
  ReadKeys(node, "exchange", &i.exchange, "tradingsymbol", &i.tradingsymbol, "name", &i.name,
           "exchange_token", &i.exchange_token, "instrument_type", &i.instrument_type, "segment",
           &i.segment, "expiry", &i.expiry, "strike", &i.strike, "tick_size", &i.tick_size,
           "lot_size", &i.lot_size);
  s.underlying = i.name;
  Read(node, "underlying", &s.underlying);
  s.dump_lot_size = i.lot_size;
  ReadKeys(node, "dump_lot_size", &s.dump_lot_size, "in_dump", &s.in_dump, "depth_lots",
           &s.depth_lots, "multiplier", &s.multiplier, "price", &s.start_price);
  s.close_price = s.start_price;
  Read(node, "close", &s.close_price);
  if (i.exchange.empty() || i.tradingsymbol.empty())
    return Bad(where, "exchange and tradingsymbol are required");
  if (i.exchange_token == 0) return Bad(where + ".exchange_token", "required, > 0");
  if (i.tick_size <= 0 || i.lot_size <= 0) return Bad(where, "tick_size and lot_size must be > 0");
  if (s.dump_lot_size < 0) return Bad(where + ".dump_lot_size", "must be >= 0");
  if (s.depth_lots < 1) return Bad(where + ".depth_lots", "must be >= 1");
  if (s.start_price <= 0 || s.multiplier <= 0)
    return Bad(where, "price and multiplier must be > 0");
  if (i.segment.empty()) i.segment = i.exchange;
  if (i.instrument_type.empty()) i.instrument_type = "EQ";
  const int segment_id = SegmentIdOf(i.exchange, i.segment);
  if (segment_id == 0) return Bad(where + ".exchange", "unknown exchange '" + i.exchange + "'");
  i.instrument_token = i.exchange_token * 256 + segment_id;
  i.last_price = s.close_price;
  const bool option = i.instrument_type == "CE" || i.instrument_type == "PE";
  s.market_orders_blocked = option && !kIndexUnderlyings.count(s.underlying);
  Read(node, "market_orders_blocked", &s.market_orders_blocked);
  ZM_RETURN_IF_ERROR(ParsePath(node["path"], where + ".path", &s.path));
  return s;
}

const SimInstrument* FindInstrument(const Scenario& s, const std::string& exchange,
                                    const std::string& symbol) {
  for (const SimInstrument& i : s.instruments) {
    if (i.instrument.exchange == exchange && i.instrument.tradingsymbol == symbol) return &i;
  }
  return nullptr;
}

Status ParsePositions(const YAML::Node& list, Scenario* s) {
  int index = 0;
  for (const auto& node : list) {
    StartPosition p;
    ReadKeys(node, "exchange", &p.exchange, "tradingsymbol", &p.tradingsymbol, "product",
             &p.product, "quantity", &p.quantity, "price", &p.price, "carried", &p.carried,
             "entry_price", &p.entry_price, "close", &p.close);
    const std::string where = "positions[" + std::to_string(index++) + "]";
    const SimInstrument* inst = FindInstrument(*s, p.exchange, p.tradingsymbol);
    if (!inst) return Bad(where, "unknown instrument " + p.exchange + ":" + p.tradingsymbol);
    if (p.carried) {
      if (p.close == 0) p.close = inst->close_price;
      if (p.quantity == 0 || p.entry_price <= 0 || p.close <= 0)
        return Bad(where, "carried: quantity != 0, entry_price > 0 and close > 0 required");
    } else if (p.quantity == 0 || p.price <= 0) {
      return Bad(where, "quantity != 0 and price > 0 required");
    }
    s->positions.push_back(p);
  }
  return Status::Ok();
}

Status ParseHoldings(const YAML::Node& list, Scenario* s) {
  int index = 0;
  for (const auto& node : list) {
    StartHolding h;
    ReadKeys(node, "exchange", &h.exchange, "tradingsymbol", &h.tradingsymbol, "isin", &h.isin,
             "quantity", &h.quantity, "t1_quantity", &h.t1_quantity, "average_price",
             &h.average_price);
    const std::string where = "holdings[" + std::to_string(index++) + "]";
    if (!FindInstrument(*s, h.exchange, h.tradingsymbol))
      return Bad(where, "unknown instrument " + h.exchange + ":" + h.tradingsymbol);
    if (h.quantity < 0 || h.t1_quantity < 0 || h.quantity + h.t1_quantity == 0 ||
        h.average_price <= 0)
      return Bad(where, "quantities >= 0 (not both 0) and average_price > 0 required");
    s->holdings.push_back(h);
  }
  return Status::Ok();
}

Status ParseBody(const YAML::Node& root, Scenario* s) {
  ReadKeys(root["credentials"], "api_key", &s->api_key, "api_secret", &s->api_secret,
           "access_token", &s->access_token, "user_id", &s->user_id);
  ReadKeys(root["market"], "tick_interval_ms", &s->tick_interval_ms, "heartbeat_interval_ms",
           &s->heartbeat_interval_ms, "circuit_percent", &s->circuit_percent, "sessions",
           &s->sessions);
  ReadKeys(root["broker"], "accept_latency_ms", &s->accept_latency_ms, "fill_latency_ms",
           &s->fill_latency_ms, "order_rate_limit", &s->order_rate_limit,
           "order_rate_limit_per_minute", &s->order_rate_limit_per_minute, "order_limit_per_day",
           &s->order_limit_per_day, "quote_rate_limit", &s->quote_rate_limit, "other_rate_limit",
           &s->other_rate_limit, "open_pending_ms", &s->open_pending_ms, "book_delay_ms",
           &s->book_delay_ms, "positions_lag_ms", &s->positions_lag_ms);
  if (s->open_pending_ms < 0 || s->book_delay_ms < 0 || s->positions_lag_ms < 0)
    return Bad("broker", "open_pending_ms, book_delay_ms and positions_lag_ms must be >= 0");
  if (s->tick_interval_ms < 10 || s->heartbeat_interval_ms < 10)
    return Bad("market", "intervals must be >= 10 ms");
  if (s->accept_latency_ms < 0 || s->fill_latency_ms < 0)
    return Bad("broker", "latencies must be >= 0");
  for (const auto& kv : root["freeze_limits"])
    s->freeze_limits[kv.first.as<std::string>()] = kv.second.as<long long>();
  int index = 0;
  for (const auto& node : root["instruments"]) {
    auto parsed = ParseInstrument(node, "instruments[" + std::to_string(index++) + "]");
    if (!parsed.ok()) return parsed.status();
    s->instruments.push_back(std::move(*parsed));
  }
  ZM_RETURN_IF_ERROR(ParsePositions(root["positions"], s));
  ZM_RETURN_IF_ERROR(ParseHoldings(root["holdings"], s));
  for (const auto& node : root["faults"]) s->faults.push_back(YamlToJson(node));
  return Status::Ok();
}

}  // namespace

int SegmentIdOf(const std::string& exchange, const std::string& segment) {
  if (segment == "INDICES") return 9;
  static const std::map<std::string, int> kIds = {{"NSE", 1}, {"NFO", 2}, {"CDS", 3}, {"BSE", 4},
                                                  {"BFO", 5}, {"BCD", 6}, {"MCX", 7}, {"MCXSX", 8}};
  auto it = kIds.find(exchange);
  return it == kIds.end() ? 0 : it->second;
}

Result<Scenario> ParseScenario(const std::string& yaml_text) {
  Scenario scenario;
  try {
    const YAML::Node root = YAML::Load(yaml_text);
    if (!root.IsMap()) return Bad("<root>", "expected a YAML map");
    ZM_RETURN_IF_ERROR(ParseBody(root, &scenario));
  } catch (const YAML::Exception& e) {
    return InvalidArgument(std::string("scenario: ") + e.what());
  }
  if (scenario.instruments.empty())
    return Bad("instruments", "at least one instrument is required");
  return scenario;
}

Result<Scenario> LoadScenarioFile(const std::string& path) {
  const std::optional<std::string> text = ReadTextFile(path);
  if (!text) return IoError("cannot read scenario file " + path);
  return ParseScenario(*text);
}

}  // namespace zm::sim
