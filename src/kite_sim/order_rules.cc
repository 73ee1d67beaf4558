#include "kite_sim/order_rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "kite_sim/market.h"

namespace zm::sim {
namespace {

Status Input(std::string message) { return InvalidArgument(std::move(message)); }

bool ParseNumber(const std::string& text, double* out) {
  try {
    size_t used = 0;
    *out = std::stod(text, &used);
    return used == text.size() && std::isfinite(*out);
  } catch (...) {
    return false;
  }
}

std::string Money(double value) { return fmt::format("{:.2f}", value); }

std::string TickText(double tick) { return fmt::format("{:g}", tick); }

}  // namespace

const std::string* FindParam(const FormParams& params, const std::string& key) {
  const std::string* found = nullptr;
  for (const auto& [k, v] : params) {
    if (k == key) found = &v;
  }
  return found;
}

Result<OrderInput> ParseOrderInput(const FormParams& params) {
  OrderInput in;
  const std::pair<const char*, std::string*> required[] = {
      {"exchange", &in.exchange},
      {"tradingsymbol", &in.tradingsymbol},
      {"transaction_type", &in.transaction_type},
      {"order_type", &in.order_type},
      {"product", &in.product}};
  for (const auto& [key, out] : required) {
    const std::string* v = FindParam(params, key);
    if (!v || v->empty()) return Input(std::string("Invalid `") + key + "`.");
    *out = *v;
  }
  if (const std::string* v = FindParam(params, "validity"); v && !v->empty()) in.validity = *v;
  if (const std::string* v = FindParam(params, "tag")) in.tag = *v;
  if (const std::string* v = FindParam(params, "autoslice")) {
    if (*v != "true" && *v != "false" && *v != "1" && *v != "0" && !v->empty())
      return Input("Invalid `autoslice`.");
    in.autoslice = *v == "true" || *v == "1";
  }
  double quantity = 0;
  const std::string* q = FindParam(params, "quantity");
  if (!q || !ParseNumber(*q, &quantity) || quantity <= 0 || quantity != std::floor(quantity)) {
    return Input("Invalid `quantity`.");
  }
  in.quantity = static_cast<long long>(quantity);
  const std::pair<const char*, double*> numbers[] = {{"price", &in.price},
                                                     {"trigger_price", &in.trigger_price},
                                                     {"market_protection", &in.market_protection}};
  for (const auto& [key, out] : numbers) {
    const std::string* v = FindParam(params, key);
    if (v && !v->empty() && !ParseNumber(*v, out))
      return Input(std::string("Invalid `") + key + "`.");
  }
  static const std::set<std::string> kTypes = {"MARKET", "LIMIT", "SL", "SL-M"};
  static const std::set<std::string> kSides = {"BUY", "SELL"};
  static const std::set<std::string> kProducts = {"CNC", "NRML", "MIS", "MTF"};
  static const std::set<std::string> kValidities = {"DAY", "IOC", "TTL"};
  if (!kTypes.count(in.order_type)) return Input("Invalid `order_type`.");
  if (!kSides.count(in.transaction_type)) return Input("Invalid `transaction_type`.");
  if (!kProducts.count(in.product)) return Input("Invalid `product`.");
  if (!kValidities.count(in.validity)) return Input("Invalid `validity`.");
  return in;
}

bool OnTickGrid(double price, double tick_size) {
  const double ticks = price / tick_size;
  return std::fabs(ticks - std::round(ticks)) < 1e-6;
}

Status CheckOrderInput(const OrderInput& in, const SimInstrument& instrument,
                       long long freeze_limit) {
  const kite::Instrument& i = instrument.instrument;
  if (in.tag.size() > 20) return Input("Tag length should be less than or equal to 20 characters.");
  const bool market = in.order_type == "MARKET" || in.order_type == "SL-M";
  if (market && in.market_protection == 0) {
    return Input(
        "Market orders without market protection are not allowed via API. Please set market "
        "protection or use a Limit order.");
  }
  if (in.market_protection != 0 && in.market_protection != -1 &&
      (in.market_protection < 0 || in.market_protection > 100)) {
    return Input("Invalid `market_protection`. Use -1 (automatic) or a percentage from 0 to 100.");
  }
  const bool limit = in.order_type == "LIMIT" || in.order_type == "SL";
  if (limit && in.price <= 0) return Input("Invalid `price`.");
  if ((in.order_type == "SL" || in.order_type == "SL-M") && in.trigger_price <= 0) {
    return Input("Invalid `trigger_price`.");
  }
  if (limit && !OnTickGrid(in.price, i.tick_size)) {
    return Input("Tick size for this script is " + TickText(i.tick_size) +
                 ". Kindly enter price in the multiple of tick size for this script");
  }
  if (in.quantity % i.lot_size != 0) {
    return Input("Quantity should be a multiple of lot size. Lot size for this instrument is " +
                 std::to_string(i.lot_size) + ".");
  }
  if (freeze_limit > 0 && in.quantity > freeze_limit && !in.autoslice) {
    // Kite states the limit itself and how many whole lots fit in it.
    return Input("The order quantity " + std::to_string(in.quantity) + " (" +
                 std::to_string(in.quantity / i.lot_size) +
                 " lots) is higher than the maximum quantity of " + std::to_string(freeze_limit) +
                 " (" + std::to_string(freeze_limit / i.lot_size) +
                 " lots) allowed by the exchanges. Reduce the quantity or use autoslice.");
  }
  return Status::Ok();
}

Result<std::vector<long long>> PlanSlices(const OrderInput& in, long long lot_size,
                                          long long freeze_limit) {
  if (!in.autoslice || freeze_limit <= 0 || in.quantity <= freeze_limit) {
    return std::vector<long long>{in.quantity};
  }
  const long long slice = freeze_limit / lot_size * lot_size;
  if (slice <= 0) return Input("Freeze limit is below one lot for this instrument.");
  const long long count = (in.quantity + slice - 1) / slice;
  if (count > 10) {
    return Input("The order quantity " + std::to_string(in.quantity) + " (" +
                 std::to_string(in.quantity / lot_size) + " lots) needs " + std::to_string(count) +
                 " slices of at most " + std::to_string(slice) +
                 "; autoslice allows at most 10 slices per order. Reduce the quantity.");
  }
  std::vector<long long> slices(count - 1, slice);
  slices.push_back(in.quantity - slice * (count - 1));
  return slices;
}

CircuitBand CircuitOf(const SimInstrument& instrument, double circuit_percent) {
  const double tick = instrument.instrument.tick_size;
  CircuitBand band;
  band.upper = RoundToTick(instrument.close_price * (1 + circuit_percent / 100), tick);
  band.lower =
      std::max(tick, RoundToTick(instrument.close_price * (1 - circuit_percent / 100), tick));
  return band;
}

double ProtectionPercent(double market_protection) {
  return market_protection == -1 ? kAutoProtectionPercent : market_protection;
}

double ProtectionPrice(bool buy, double ltp, double market_protection, double tick_size) {
  const double pct = ProtectionPercent(market_protection);
  const double raw = ltp * (buy ? 1 + pct / 100 : 1 - pct / 100);
  // Round toward the LTP so that the band is never wider than asked (1e-9: float noise).
  const double ticks = buy ? std::floor(raw / tick_size + 1e-9) : std::ceil(raw / tick_size - 1e-9);
  return std::max(tick_size, RoundToTick(ticks * tick_size, tick_size));
}

std::string RmsRejection(const OrderInput& in, const SimInstrument& instrument,
                         double circuit_percent) {
  if (in.order_type == "MARKET" && instrument.market_orders_blocked) {
    return "RMS:Rule: Market orders are blocked for stock option contracts. Place a limit order "
           "instead.";
  }
  if (in.order_type != "LIMIT" && in.order_type != "SL") return "";
  const auto [lower, upper] = CircuitOf(instrument, circuit_percent);
  if (in.price > upper + 1e-9) {
    return "Your order price is higher than the current upper circuit limit of " + Money(upper) +
           ". Place an order within the daily range.";
  }
  if (in.price < lower - 1e-9) {
    return "Your order price is lower than the current lower circuit limit of " + Money(lower) +
           ". Place an order within the daily range.";
  }
  return "";
}

}  // namespace zm::sim
