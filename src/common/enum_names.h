// EnumNames: the names of an enum's values, in one table that serves both directions (value ->
// name for logs, reports and stored rows; name -> value for config, journals and the command
// line), so that the two can never disagree.
//
// The table lists the names in the enum's declaration order, one per value:
//
//   enum class DayLock { kNone, kTarget, kLoss, kTrailing, kTime, kMaxValue = kTime };
//   constexpr auto kDayLockNames =
//       MakeEnumNames<DayLock>({"none", "target", "loss", "trailing", "time"});
//
// Every enum with a table declares kMaxValue, an alias of its last enumerator (an alias adds no
// value, so -Wswitch still asks every switch for each real enumerator), and MakeEnumNames does
// not compile unless the table has exactly kMaxValue + 1 names: a value added without a name, or
// a name left over, is a build error. The enum's values must be 0, 1, 2, ... (the default), and
// reordering the enum means reordering its table (each such enum says so where it is declared).
//
// Tables are constexpr and immutable: safe to read from any thread.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace zm {

template <typename Enum, std::size_t N>
struct EnumNames {
  std::array<const char*, N> names;

  // The name of `value`; `fallback` only for a number outside the enum (a bad cast).
  constexpr const char* Name(Enum value, const char* fallback = "?") const {
    const auto index = static_cast<std::size_t>(value);
    return index < N ? names[index] : fallback;
  }

  // The value whose name is exactly `name` (case-sensitive), or nullopt.
  constexpr std::optional<Enum> Parse(std::string_view name) const {
    for (std::size_t i = 0; i < N; ++i) {
      if (name == names[i]) return static_cast<Enum>(i);
    }
    return std::nullopt;
  }
};

// The table for Enum from a braced list of names: MakeEnumNames<E>({"a", "b", ...}).
template <typename Enum, std::size_t N>
constexpr EnumNames<Enum, N> MakeEnumNames(const char* const (&names)[N]) {
  static_assert(N == static_cast<std::size_t>(Enum::kMaxValue) + 1,
                "an enum's names table must name each of its values, in declaration order");
  EnumNames<Enum, N> table{};
  for (std::size_t i = 0; i < N; ++i) table.names[i] = names[i];
  return table;
}

}  // namespace zm
