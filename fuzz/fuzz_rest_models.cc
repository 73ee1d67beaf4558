// The REST path of every answer: ParseEnvelope, then each model parser on the same data (any
// of them may see any shape). No crash, no exception, and no non-finite number gets through.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/kite/models.h"

namespace {

void RequireFinite(double value) {
  if (!std::isfinite(value)) std::abort();
}

void CheckPositions(const nlohmann::json& data) {
  auto positions = zm::kite::ParsePositions(data);
  if (!positions.ok()) return;
  for (const auto* rows : {&positions->net, &positions->day}) {
    for (const zm::kite::Position& p : *rows) {
      for (double v : {p.multiplier, p.average_price, p.close_price, p.last_price, p.value, p.pnl,
                       p.m2m, p.buy_value, p.sell_value, p.buy_price, p.sell_price}) {
        RequireFinite(v);
      }
    }
  }
}

void CheckOrders(const nlohmann::json& data) {
  auto orders = zm::kite::ParseOrders(data);
  if (!orders.ok()) return;
  for (const zm::kite::Order& o : *orders) {
    for (double v : {o.price, o.trigger_price, o.average_price, o.market_protection}) {
      RequireFinite(v);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  // One JSON parse per input keeps the rate up; the length picks the HTTP status, so the error
  // paths (403 token, 429, other errors) are fuzzed too.
  static constexpr int kStatuses[] = {200, 200, 200, 403, 429, 400, 500, 502};
  const int http_status = kStatuses[size % 8];
  auto parsed = zm::kite::ParseEnvelope(http_status, body);
  if (!parsed.ok()) return 0;
  const nlohmann::json& json = *parsed;
  CheckPositions(json);
  CheckOrders(json);
  (void)zm::kite::ParseOrder(json);
  (void)zm::kite::ParseTrades(json);
  (void)zm::kite::ParseProfile(json);
  (void)zm::kite::ParseSessionToken(json);
  if (auto ltp = zm::kite::ParseLtp(json); ltp.ok()) {
    for (const auto& [key, quote] : *ltp) RequireFinite(quote.last_price);
  }
  (void)zm::kite::ParseOrderId(json);
  return 0;
}
