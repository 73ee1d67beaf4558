#include "common/kite/auth.h"

#include <gtest/gtest.h>

namespace zm::kite {
namespace {

TEST(KiteAuthTest, AuthorizationValueIsTokenKeyColonToken) {
  EXPECT_EQ(AuthorizationValue("key1", Secret("tok1")), "token key1:tok1");
}

TEST(KiteAuthTest, TickerUrlAddsPathAndEncodedQuery) {
  EXPECT_EQ(TickerUrl("wss://ws.kite.trade", "k", Secret("a/b")),
            "wss://ws.kite.trade/?api_key=k&access_token=a%2Fb");
  EXPECT_EQ(TickerUrl("ws://127.0.0.1:9000/ws", "k", Secret("t")),
            "ws://127.0.0.1:9000/ws?api_key=k&access_token=t");
  EXPECT_EQ(TickerUrl("ws://127.0.0.1:9000/?x=1", "k", Secret("t")),
            "ws://127.0.0.1:9000/?x=1&api_key=k&access_token=t");
}

}  // namespace
}  // namespace zm::kite
