// Order tags of the square-off engine.
//
// Every order the engine sends carries a tag that identifies the system, the square-off, the
// slice and the attempt, so that the order book alone tells which journal row an order belongs
// to (after a timeout or a restart). Format (alphanumeric only, fixed widths, 12 characters,
// within Kite's 20-character limit):
//   "ZM" + squareoff id (5 base-36 digits) + slice number (3 base-36 digits)
//        + attempt (2 base-36 digits)
// e.g. square-off 1, slice 2, attempt 0 -> "ZM00001002" "00" = "ZM0000100200".
// Square-off ids come from zerodha_mtm.db (AUTOINCREMENT), so tags are unique for as long as
// that database lives; the slice number is unique within a square-off (all rounds), the attempt
// within a slice (each re-send after the book proved the previous one absent is a new attempt).
// Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/kite/models.h"

namespace zm::monitor {

inline constexpr std::string_view kTagPrefix = "ZM";
inline constexpr long long kMaxTagSquareOffId = 36LL * 36 * 36 * 36 * 36 - 1;  // 60,466,175
inline constexpr int kMaxTagSlice = 36 * 36 * 36 - 1;                          // 46,655
inline constexpr int kMaxTagAttempt = 36 * 36 - 1;                             // 1,295

struct TagParts {
  long long squareoff_id = 0;
  int slice = 0;
  int attempt = 0;
  bool operator==(const TagParts&) const = default;
};

// Empty string when a part is out of range (the caller treats that as an internal error).
std::string MakeTag(long long squareoff_id, int slice, int attempt);
inline std::string MakeTag(const TagParts& p) {
  return MakeTag(p.squareoff_id, p.slice, p.attempt);
}

// nullopt for anything that is not exactly an engine tag (other systems' tags, manual orders).
std::optional<TagParts> ParseTag(std::string_view tag);

// True when the order carries `tag`, in `tag` or in `tags[]` (Kite lists the order's own tag
// there too, beside system tags such as "mktp" and "autoslice").
bool OrderHasTag(const kite::Order& order, std::string_view tag);

// The engine tag an order carries, if any (`tag` first, then `tags[]`).
std::optional<std::string> EngineTagOf(const kite::Order& order);

}  // namespace zm::monitor
