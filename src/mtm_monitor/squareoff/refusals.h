// Refusals: what a broker "no" means for the square-off, read from Kite's answer.
//
// Kite's refusal texts carry the numbers the exit needs (KITE_API.md section 5): the lot size
// ("Lot size for this instrument is 35"), the freeze limit ("higher than the maximum quantity of
// 6000 (20 lots)"), the tick size ("Tick size for this script is 0.05"), the circuit band ("upper
// circuit limit of 123.45"). ClassifyRefusal() turns an answer (HTTP status, error_type,
// message) into one kind plus every number it could read, so that the engine re-plans at once
// instead of repeating a request the broker will refuse again. Texts are matched loosely (case,
// punctuation, thousands separators), never by one exact sentence. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace zm::monitor {

// Names: kRefusalKindNames in refusals.cc, in this order (common/enum_names.h).
enum class RefusalKind {
  kLotSize,        // quantity not a lot multiple; lot_size set when the text names it
  kFreeze,         // above the freeze limit; freeze_quantity (and freeze_lots) when named
  kTickSize,       // price off the tick grid; tick_size when named
  kCircuit,        // price outside the circuit band; circuit_lower / circuit_upper when named
  kMarketRefused,  // MARKET not accepted for this instrument: use a marketable LIMIT
  kMarketClosed,   // no session now (or a holiday): do not loop, retry at the session open
  kRateLimited,    // HTTP 429
  kToken,          // 403 TokenException: nothing will work until a new login
  kOther,          // anything else (margin, generic input errors, 5xx with an answer)
  kMaxValue = kOther,
};
const char* RefusalKindName(RefusalKind kind);

struct Refusal {
  RefusalKind kind = RefusalKind::kOther;
  std::optional<long long> lot_size;
  std::optional<long long> freeze_quantity;
  std::optional<long long> freeze_lots;
  std::optional<double> tick_size;
  std::optional<double> circuit_lower, circuit_upper;
  // The lot size implied by a freeze text ("6000 (20 lots)" -> 300), when both numbers are there.
  std::optional<long long> ImpliedLotSize() const;
};

// http_status 0 = an order that the broker accepted and then REJECTED (status_message).
Refusal ClassifyRefusal(int http_status, std::string_view error_type, std::string_view message);

}  // namespace zm::monitor
