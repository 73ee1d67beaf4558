// Market-data and GTT endpoints of KiteSim: GET /quote, /quote/ltp, /instruments[/EXCHANGE],
// and /gtt/triggers (list, get, place, delete).
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <set>

#include "common/kite/instruments.h"
#include "common/kite/json_fields.h"
#include "common/kite/models.h"
#include "common/net/gzip.h"
#include "kite_sim/rest_util.h"
#include "kite_sim/sim_server.h"

namespace zm::sim {

namespace http = boost::beast::http;
using Form = std::vector<std::pair<std::string, std::string>>;

namespace {

// Index rows exactly as the real dump has them: segment INDICES, tick_size 0.0, lot_size 0.
// Listed always, after the scenario's instruments (unless a scenario instrument has the key).
const std::vector<kite::Instrument>& IndexRows() {
  static const std::vector<kite::Instrument> kRows = [] {
    auto row = [](uint32_t token, uint32_t exchange_token, const char* name, const char* ex) {
      kite::Instrument i;
      i.instrument_token = token;
      i.exchange_token = exchange_token;
      i.tradingsymbol = i.name = name;
      i.tick_size = 0;
      i.lot_size = 0;
      i.instrument_type = "EQ";
      i.segment = "INDICES";
      i.exchange = ex;
      return i;
    };
    return std::vector<kite::Instrument>{
        row(256265, 1001, "NIFTY 50", "NSE"), row(260105, 1016, "NIFTY BANK", "NSE"),
        row(264969, 1035, "INDIA VIX", "NSE"), row(265, 1, "SENSEX", "BSE")};
  }();
  return kRows;
}

nlohmann::json DepthSideJson(const std::array<kite::DepthEntry, 5>& side) {
  nlohmann::json out = nlohmann::json::array();
  for (const kite::DepthEntry& e : side) {
    out.push_back({{"price", kite::internal::NumJson(e.price)},
                   {"quantity", e.quantity},
                   {"orders", e.orders}});
  }
  return out;
}

}  // namespace

nlohmann::json KiteSim::GttJson(const kite::Gtt& gtt) const {
  nlohmann::json out = kite::ToJson(gtt);
  out["user_id"] = scenario_.user_id;
  for (nlohmann::json& leg : out["orders"]) {
    if (leg["result"].is_object()) leg["result"]["account_id"] = scenario_.user_id;
  }
  return out;
}

GttBook::Lookup KiteSim::GttLookup() const {
  return [this](const std::string& key) -> std::optional<std::pair<uint32_t, double>> {
    const SimInstrument* inst = market_.Find(key);
    if (!inst) return std::nullopt;
    return std::make_pair(inst->instrument.instrument_token, *market_.Ltp(key));
  };
}

nlohmann::json KiteSim::FullQuoteJson(const SimInstrument& s) const {
  using kite::internal::NumJson;
  const uint32_t token = s.instrument.instrument_token;
  const double ltp = market_.LtpByToken(token);
  const DepthBook depth = market_.Depth(token);
  const Market::DayStats day = market_.Stats(token);
  const CircuitBand band = CircuitOf(s, scenario_.circuit_percent);
  long long buy_quantity = 0, sell_quantity = 0;
  for (int level = 0; level < 5; ++level) {
    buy_quantity += depth.bids[level].quantity;
    sell_quantity += depth.offers[level].quantity;
  }
  const std::string now = KiteTimestamp(NowMs());
  return {{"instrument_token", token},
          {"timestamp", now},
          {"last_trade_time", now},
          {"last_price", NumJson(ltp)},
          {"last_quantity", s.instrument.lot_size},
          {"buy_quantity", buy_quantity},
          {"sell_quantity", sell_quantity},
          {"volume", day.volume},
          {"average_price",
           NumJson(RoundToTick((day.open + day.high + day.low + ltp) / 4, s.instrument.tick_size))},
          {"oi", 0},
          {"oi_day_high", 0},
          {"oi_day_low", 0},
          {"net_change", NumJson(RoundToTick(ltp - s.close_price, s.instrument.tick_size))},
          {"lower_circuit_limit", NumJson(band.lower)},
          {"upper_circuit_limit", NumJson(band.upper)},
          {"ohlc",
           {{"open", NumJson(day.open)},
            {"high", NumJson(day.high)},
            {"low", NumJson(day.low)},
            {"close", NumJson(s.close_price)}}},
          {"depth", {{"buy", DepthSideJson(depth.bids)}, {"sell", DepthSideJson(depth.offers)}}}};
}

KiteSim::Reply KiteSim::HandleQuote(const std::string& path, const Form& query) {
  const bool ltp_only = path == "/quote/ltp";
  if (!ltp_only && path != "/quote") return Answer(Err(404, "GeneralException", "Route not found"));
  nlohmann::json data = nlohmann::json::object();
  for (const auto& [key, value] : query) {
    if (key != "i") continue;
    const SimInstrument* inst = market_.Find(value);
    if (!inst) continue;  // Kite leaves out keys without data
    if (ltp_only) {
      data[value] = {{"instrument_token", inst->instrument.instrument_token},
                     {"last_price", kite::internal::NumJson(*market_.Ltp(value))}};
    } else {
      data[value] = FullQuoteJson(*inst);
    }
  }
  return Answer(Ok(data));
}

KiteSim::Reply KiteSim::HandleInstruments(const HttpRequest& request,
                                          const std::vector<std::string>& seg) {
  std::vector<kite::Instrument> list;
  std::set<std::string> keys;
  for (const SimInstrument& s : market_.instruments()) {
    keys.insert(s.key());
    if (!s.in_dump || (seg.size() == 2 && s.instrument.exchange != seg[1])) continue;
    kite::Instrument row = s.instrument;
    row.lot_size = s.dump_lot_size;  // what the dump says, not what the broker enforces
    list.push_back(row);
  }
  for (const kite::Instrument& row : IndexRows()) {
    if (keys.count(row.exchange + ":" + row.tradingsymbol)) continue;
    if (seg.size() == 1 || row.exchange == seg[1]) list.push_back(row);
  }
  Reply reply = Answer(MakeResponse(200, kite::InstrumentsToCsv(list), "text/csv"));
  // Kite serves the instruments dump gzip-encoded to clients that accept it.
  auto accept = request.find(http::field::accept_encoding);
  if (accept != request.end() && accept->value().find("gzip") != std::string::npos) {
    reply.response.body() = net::GzipBody(reply.response.body());
    reply.response.set(http::field::content_encoding, "gzip");
  }
  return reply;
}

KiteSim::Reply KiteSim::HandleGtt(const HttpRequest& request, const std::vector<std::string>& seg) {
  const int64_t now = NowMs();
  if (seg.size() < 2 || seg[1] != "triggers" || seg.size() > 3) {
    return Answer(Err(404, "GeneralException", "Route not found"));
  }
  if (seg.size() == 2 && request.method() == http::verb::get) {
    nlohmann::json list = nlohmann::json::array();
    for (const kite::Gtt& g : gtts_.List()) list.push_back(GttJson(g));
    return Answer(Ok(list));
  }
  if (seg.size() == 2 && request.method() == http::verb::post) {
    const Form form = kite::ParseForm(request.body());
    auto field = [&](const char* key) -> nlohmann::json {
      const std::string* v = FindParam(form, key);
      return v ? nlohmann::json(*v) : nlohmann::json();
    };
    auto id = gtts_.Create(field("type"), field("condition"), field("orders"), GttLookup(), now);
    if (!id.ok()) return Answer(Err(400, "InputException", id.status().message()));
    return Answer(Ok({{"trigger_id", *id}}));
  }
  long long id = 0;
  try {
    id = seg.size() == 3 ? std::stoll(seg[2]) : 0;
  } catch (const std::exception&) {
  }
  if (seg.size() == 3 && request.method() == http::verb::get) {
    const kite::Gtt* g = gtts_.Find(id);
    if (!g) return Answer(Err(400, "InputException", "Trigger not found."));
    return Answer(Ok(GttJson(*g)));
  }
  if (seg.size() == 3 && request.method() == http::verb::delete_) {
    auto deleted = gtts_.Delete(id, now);
    if (!deleted.ok()) return Answer(Err(400, "InputException", deleted.status().message()));
    return Answer(Ok({{"trigger_id", *deleted}}));
  }
  return Answer(Err(405, "InputException", "Method not allowed"));
}

}  // namespace zm::sim
