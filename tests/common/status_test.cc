#include "common/status.h"

#include <gtest/gtest.h>

namespace zm {
namespace {

TEST(StatusTest, OkAndErrors) {
  EXPECT_TRUE(Status::Ok().ok());
  Status s = Status(StatusCode::kBroker, "rejected").WithHttp(400, "InputException");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.ToString(), "BROKER (HTTP 400 InputException): rejected");
  EXPECT_FALSE(s.outcome_unknown());
  EXPECT_TRUE(Status(StatusCode::kTimeout, "t").outcome_unknown());
  EXPECT_TRUE(Status(StatusCode::kConnectionLost, "r").outcome_unknown());
  EXPECT_FALSE(Status(StatusCode::kConnectFailed, "c").outcome_unknown());
}

Result<int> Half(int x) {
  if (x % 2) return InvalidArgument("odd");
  return x / 2;
}

Status Chain(int x, int* out) {
  auto r = Half(x);
  ZM_RETURN_IF_ERROR(r.status());
  *out = *r;
  return Status::Ok();
}

TEST(StatusTest, ResultCarriesValueOrStatus) {
  EXPECT_EQ(*Half(4), 2);
  EXPECT_EQ(Half(3).status().message(), "odd");
  int out = 0;
  EXPECT_TRUE(Chain(8, &out).ok());
  EXPECT_EQ(out, 4);
  EXPECT_FALSE(Chain(7, &out).ok());
}

}  // namespace
}  // namespace zm
