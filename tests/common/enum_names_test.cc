#include "common/enum_names.h"

#include <gtest/gtest.h>

#include "common/status.h"

namespace zm {
namespace {

enum class Colour { kRed, kGreen, kBlue, kMaxValue = kBlue };
constexpr auto kColourNames = MakeEnumNames<Colour>({"red", "green", "blue"});

TEST(EnumNamesTest, NamesEachValueInDeclarationOrder) {
  EXPECT_STREQ(kColourNames.Name(Colour::kRed), "red");
  EXPECT_STREQ(kColourNames.Name(Colour::kGreen), "green");
  EXPECT_STREQ(kColourNames.Name(Colour::kBlue), "blue");
}

TEST(EnumNamesTest, ParseIsTheInverseAndExact) {
  EXPECT_EQ(kColourNames.Parse("green"), Colour::kGreen);
  EXPECT_EQ(kColourNames.Parse("blue"), Colour::kBlue);
  EXPECT_EQ(kColourNames.Parse("Blue"), std::nullopt);  // case-sensitive
  EXPECT_EQ(kColourNames.Parse(""), std::nullopt);
  EXPECT_EQ(kColourNames.Parse("re"), std::nullopt);
}

TEST(EnumNamesTest, ANumberOutsideTheEnumGetsTheFallback) {
  EXPECT_STREQ(kColourNames.Name(static_cast<Colour>(3)), "?");
  EXPECT_STREQ(kColourNames.Name(static_cast<Colour>(-1), "none"), "none");
}

TEST(EnumNamesTest, TheTablesInUseRoundTrip) {
  // StatusCode's names are in every error message and log line.
  for (int i = 0; i <= static_cast<int>(StatusCode::kMaxValue); ++i) {
    const auto code = static_cast<StatusCode>(i);
    EXPECT_STRNE(StatusCodeName(code), "UNKNOWN") << i;
  }
  EXPECT_STREQ(StatusCodeName(StatusCode::kRateLimited), "RATE_LIMITED");
  EXPECT_STREQ(StatusCodeName(StatusCode::kInternal), "INTERNAL");
}

}  // namespace
}  // namespace zm
