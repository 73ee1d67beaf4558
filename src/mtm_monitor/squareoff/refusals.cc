#include "mtm_monitor/squareoff/refusals.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <regex>

#include "common/enum_names.h"

namespace zm::monitor {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// "6,000" -> 6000; nullopt when not a number.
std::optional<double> Number(std::string text) {
  text.erase(std::remove(text.begin(), text.end(), ','), text.end());
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end == text.c_str()) return std::nullopt;
  return value;
}

std::optional<double> Capture(const std::string& text, const std::regex& pattern, int group = 1) {
  std::smatch match;
  if (!std::regex_search(text, match, pattern)) return std::nullopt;
  return Number(match[group].str());
}

std::optional<long long> Whole(std::optional<double> value) {
  if (!value || *value <= 0 || *value != static_cast<double>(static_cast<long long>(*value)))
    return std::nullopt;
  return static_cast<long long>(*value);
}

bool Has(const std::string& text, std::string_view word) {
  return text.find(word) != std::string::npos;
}

const std::regex kLot("lot size[^0-9]{0,40}([0-9][0-9,]*)");
const std::regex kFreeze("maximum (?:order )?quantity (?:of |is )?([0-9][0-9,]*)");
const std::regex kFreezeLots(
    "maximum (?:order )?quantity (?:of |is )?[0-9][0-9,]*\\s*\\(([0-9]+) lots?\\)");
const std::regex kTick("tick size[^0-9]{0,40}([0-9]*\\.?[0-9]+)");
const std::regex kUpper("upper circuit limit (?:of |is )?(?:rs\\.? ?)?([0-9][0-9,]*\\.?[0-9]*)");
const std::regex kLower("lower circuit limit (?:of |is )?(?:rs\\.? ?)?([0-9][0-9,]*\\.?[0-9]*)");

bool IsMarketRefusal(const std::string& lower) {
  if (!Has(lower, "market order")) return false;
  return Has(lower, "blocked") || Has(lower, "not allowed") || Has(lower, "limit order") ||
         Has(lower, "illiquid");
}

bool IsMarketClosed(const std::string& lower) {
  return Has(lower, "market is closed") || Has(lower, "markets are closed") ||
         Has(lower, "market closed") || Has(lower, "outside market hours") ||
         Has(lower, "outside trading hours") || Has(lower, "after market") ||
         (Has(lower, "closed") && Has(lower, "amo"));
}

}  // namespace

constexpr auto kRefusalKindNames =
    MakeEnumNames<RefusalKind>({"lot_size", "freeze", "tick_size", "circuit", "market_refused",
                                "market_closed", "rate_limited", "token", "other"});

const char* RefusalKindName(RefusalKind kind) { return kRefusalKindNames.Name(kind, "other"); }

std::optional<long long> Refusal::ImpliedLotSize() const {
  if (!freeze_quantity || !freeze_lots || *freeze_lots <= 0) return std::nullopt;
  if (*freeze_quantity % *freeze_lots != 0) return std::nullopt;
  return *freeze_quantity / *freeze_lots;
}

Refusal ClassifyRefusal(int http_status, std::string_view error_type, std::string_view message) {
  Refusal out;
  const std::string text = Lower(message);
  if (http_status == 429) {
    out.kind = RefusalKind::kRateLimited;
    return out;
  }
  if (error_type == "TokenException" || (http_status == 403 && error_type.empty())) {
    out.kind = RefusalKind::kToken;
    return out;
  }
  // Numbers first: a freeze text also names lots, a lot text names the lot size.
  if (Has(text, "maximum") && Has(text, "quantity") && Has(text, "lot")) {
    out.kind = RefusalKind::kFreeze;
    out.freeze_quantity = Whole(Capture(text, kFreeze));
    out.freeze_lots = Whole(Capture(text, kFreezeLots));
    return out;
  }
  if (Has(text, "freeze")) {
    out.kind = RefusalKind::kFreeze;
    out.freeze_quantity = Whole(Capture(text, kFreeze));
    return out;
  }
  if (Has(text, "lot size") || Has(text, "multiple of lot")) {
    out.kind = RefusalKind::kLotSize;
    out.lot_size = Whole(Capture(text, kLot));
    return out;
  }
  if (Has(text, "tick size")) {
    out.kind = RefusalKind::kTickSize;
    auto tick = Capture(text, kTick);
    if (tick && *tick > 0) out.tick_size = tick;
    return out;
  }
  if (Has(text, "circuit limit")) {
    out.kind = RefusalKind::kCircuit;
    out.circuit_upper = Capture(text, kUpper);
    out.circuit_lower = Capture(text, kLower);
    return out;
  }
  if (IsMarketRefusal(text)) {
    out.kind = RefusalKind::kMarketRefused;
    return out;
  }
  if (IsMarketClosed(text)) out.kind = RefusalKind::kMarketClosed;
  return out;
}

}  // namespace zm::monitor
