#include "mtm_monitor/squareoff/tags.h"

namespace zm::monitor {
namespace {

constexpr std::string_view kDigits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr size_t kIdWidth = 5, kSliceWidth = 3, kAttemptWidth = 2;

// Fixed-width base 36, upper case; false when `value` does not fit.
bool AppendBase36(long long value, size_t width, std::string& out) {
  if (value < 0) return false;
  std::string digits(width, '0');
  for (size_t i = width; i-- > 0;) {
    digits[i] = kDigits[value % 36];
    value /= 36;
  }
  if (value != 0) return false;
  out += digits;
  return true;
}

std::optional<long long> ParseBase36(std::string_view text) {
  long long value = 0;
  for (char c : text) {
    size_t digit = kDigits.find(c);
    if (digit == std::string_view::npos) return std::nullopt;  // lower case is not ours
    value = value * 36 + static_cast<long long>(digit);
  }
  return value;
}

}  // namespace

std::string MakeTag(long long squareoff_id, int slice, int attempt) {
  if (squareoff_id <= 0) return "";
  std::string tag(kTagPrefix);
  if (!AppendBase36(squareoff_id, kIdWidth, tag) || !AppendBase36(slice, kSliceWidth, tag) ||
      !AppendBase36(attempt, kAttemptWidth, tag)) {
    return "";
  }
  return tag;
}

std::optional<TagParts> ParseTag(std::string_view tag) {
  if (tag.size() != kTagPrefix.size() + kIdWidth + kSliceWidth + kAttemptWidth) return std::nullopt;
  if (tag.substr(0, kTagPrefix.size()) != kTagPrefix) return std::nullopt;
  tag.remove_prefix(kTagPrefix.size());
  auto id = ParseBase36(tag.substr(0, kIdWidth));
  auto slice = ParseBase36(tag.substr(kIdWidth, kSliceWidth));
  auto attempt = ParseBase36(tag.substr(kIdWidth + kSliceWidth));
  if (!id || !slice || !attempt || *id <= 0) return std::nullopt;
  return TagParts{*id, static_cast<int>(*slice), static_cast<int>(*attempt)};
}

bool OrderHasTag(const kite::Order& order, std::string_view tag) {
  if (tag.empty()) return false;
  if (order.tag == tag) return true;
  for (const std::string& t : order.tags) {
    if (t == tag) return true;
  }
  return false;
}

std::optional<std::string> EngineTagOf(const kite::Order& order) {
  if (ParseTag(order.tag)) return order.tag;
  for (const std::string& t : order.tags) {
    if (ParseTag(t)) return t;
  }
  return std::nullopt;
}

}  // namespace zm::monitor
