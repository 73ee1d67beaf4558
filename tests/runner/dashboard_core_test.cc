// The dashboard's pure parts: token check, routing, SSE framing, the JSON snapshot.
#include "runner/dashboard_core.h"

#include <gtest/gtest.h>

namespace zm::runner {
namespace {

using nlohmann::json;

constexpr const char* kToken = "0123456789abcdef0123456789abcdef";

TEST(DashboardCoreTest, HexTokenIsLowerCaseTwoDigitsPerByte) {
  const unsigned char bytes[] = {0x00, 0x0f, 0xa5, 0xff};
  EXPECT_EQ(HexToken(bytes, sizeof(bytes)), "000fa5ff");
}

TEST(DashboardCoreTest, UrlAndItsLine) {
  EXPECT_EQ(DashboardUrl(8765, "abc"), "http://127.0.0.1:8765/?token=abc");
  EXPECT_EQ(DashboardUrlLine("http://127.0.0.1:8765/?token=abc"),
            R"({"url": "http://127.0.0.1:8765/?token=abc"})");
}

TEST(DashboardCoreTest, QueryParamFindsTheNamedValue) {
  EXPECT_EQ(QueryParam("/events?token=ab&x=1", "token"), std::optional<std::string_view>("ab"));
  EXPECT_EQ(QueryParam("/events?x=1&token=ab", "token"), std::optional<std::string_view>("ab"));
  EXPECT_EQ(QueryParam("/?token=ab#frag", "token"), std::optional<std::string_view>("ab"));
  EXPECT_EQ(QueryParam("/?token", "token"), std::optional<std::string_view>(""));
  EXPECT_EQ(QueryParam("/?tokens=ab", "token"), std::nullopt);
  EXPECT_EQ(QueryParam("/token=ab", "token"), std::nullopt);
  EXPECT_EQ(QueryParam("/", "token"), std::nullopt);
}

TEST(DashboardCoreTest, TokenMustMatchExactly) {
  const std::string good = std::string("/?token=") + kToken;
  EXPECT_TRUE(TokenMatches(good, kToken));
  EXPECT_TRUE(TokenMatches(std::string("/events?a=b&token=") + kToken, kToken));
  EXPECT_FALSE(TokenMatches("/", kToken));
  EXPECT_FALSE(TokenMatches("/?token=", kToken));
  EXPECT_FALSE(TokenMatches(good.substr(0, good.size() - 1), kToken));  // a prefix
  EXPECT_FALSE(TokenMatches(good + "0", kToken));                       // longer
  std::string flipped = good;
  flipped.back() = 'e';
  EXPECT_FALSE(TokenMatches(flipped, kToken));
  EXPECT_FALSE(TokenMatches("/?token=", ""));  // no token configured: nothing opens
}

TEST(DashboardCoreTest, RoutesNeedTheTokenFirst) {
  const std::string q = std::string("?token=") + kToken;
  EXPECT_EQ(RouteRequest("GET", "/" + q, kToken), DashboardRoute::kPage);
  EXPECT_EQ(RouteRequest("HEAD", "/index.html" + q, kToken), DashboardRoute::kPage);
  EXPECT_EQ(RouteRequest("GET", "/events" + q, kToken), DashboardRoute::kEvents);
  EXPECT_EQ(RouteRequest("GET", "/snapshot.json" + q, kToken), DashboardRoute::kSnapshot);
  EXPECT_EQ(RouteRequest("GET", "/nothing" + q, kToken), DashboardRoute::kNotFound);
  EXPECT_EQ(RouteRequest("POST", "/" + q, kToken), DashboardRoute::kBadMethod);
  EXPECT_EQ(RouteRequest("GET", "/", kToken), DashboardRoute::kForbidden);
  EXPECT_EQ(RouteRequest("GET", "/events", kToken), DashboardRoute::kForbidden);
  EXPECT_EQ(RouteRequest("GET", "/nothing", kToken), DashboardRoute::kForbidden);
  EXPECT_EQ(RouteRequest("POST", "/events?token=wrong", kToken), DashboardRoute::kForbidden);
}

TEST(DashboardCoreTest, SseEventFramesEveryLine) {
  EXPECT_EQ(SseEvent("snapshot", R"({"a":1})"), "event: snapshot\ndata: {\"a\":1}\n\n");
  // A newline in the data cannot end the event early: each line is its own data field.
  EXPECT_EQ(SseEvent("x", "one\ntwo\r\nthree"), "event: x\ndata: one\ndata: two\ndata: three\n\n");
  EXPECT_EQ(SseEvent("x", ""), "event: x\ndata: \n\n");
  EXPECT_EQ(SseComment("keep\nalive"), ": keep alive\n\n");
  EXPECT_EQ(SseRetry(2000), "retry: 2000\n\n");
}

json Snapshot() {
  return json::parse(R"({
    "trading_date": "2026-11-26", "updated_at_ms": 1000000, "state": "monitoring",
    "mtm": -1234.5, "mtm_basis": "day", "daily_max_mtm": 800, "loss_threshold": -5000,
    "profit_target": 5000, "trailing_floor": null, "realised": 0, "unrealised": -1234.5,
    "positions": [{"exchange": "NFO", "tradingsymbol": "NIFTY26DEC24000PE", "product": "NRML",
                   "quantity": -150, "last_price": 103.73, "price_source": "tick",
                   "price_age_ms": 250, "pnl": -1234.5, "m2m": -1234.5, "scope": "guarded"}],
    "square_offs": [], "last_critical": null})");
}

TEST(DashboardCoreTest, SnapshotCarriesLimitsCurvePositionsAndAges) {
  DashboardInputs in;
  in.now_ms = 1002500;
  in.monitor_snapshot = Snapshot();
  in.status = {{"runner", {{"state", "running"}}},
               {"processes", {{"mtm_monitor", {{"health", "ok"}}}}},
               {"last_critical", nullptr}};
  in.curve = {{999000, -100.0}, {1000000, -1234.5}};
  in.events = json::array({{{"at_ms", 999500}, {"kind", "breach"}, {"message", "m"}}});
  in.reports = json::array({{{"id", 1}, {"slices", json::array()}}});
  const json out = BuildDashboardSnapshot(in);
  EXPECT_TRUE(out["available"].get<bool>());
  EXPECT_TRUE(out["problem"].is_null());
  EXPECT_EQ(out["mtm"], -1234.5);
  EXPECT_EQ(out["loss_threshold"], -5000);
  EXPECT_EQ(out["profit_target"], 5000);
  EXPECT_EQ(out["daily_max_mtm"], 800);
  EXPECT_TRUE(out["trailing_floor"].is_null());
  EXPECT_DOUBLE_EQ(out["snapshot_age_s"].get<double>(), 2.5);
  EXPECT_EQ(out["curve"], json::parse("[[999000, -100.0], [1000000, -1234.5]]"));
  ASSERT_EQ(out["positions"].size(), 1u);
  const json& p = out["positions"][0];
  EXPECT_EQ(p["instrument"], "NFO:NIFTY26DEC24000PE");
  EXPECT_EQ(p["price_source"], "tick");
  EXPECT_DOUBLE_EQ(p["price_age_s"].get<double>(), 0.25);
  EXPECT_EQ(p["quantity"], -150);
  EXPECT_EQ(out["processes"]["mtm_monitor"]["health"], "ok");
  EXPECT_EQ(out["runner"]["state"], "running");
  EXPECT_EQ(out["events"].size(), 1u);
  EXPECT_EQ(out["squareoffs"][0]["id"], 1);
}

TEST(DashboardCoreTest, SnapshotWithoutMonitorDataSaysWhy) {
  DashboardInputs in;
  in.now_ms = 5;
  in.snapshot_problem = "the monitor has not written a snapshot yet";
  const json out = BuildDashboardSnapshot(in);
  EXPECT_FALSE(out["available"].get<bool>());
  EXPECT_EQ(out["problem"], in.snapshot_problem);
  EXPECT_TRUE(out["mtm"].is_null());
  EXPECT_TRUE(out["snapshot_age_s"].is_null());
  EXPECT_EQ(out["positions"], json::array());
  EXPECT_EQ(out["curve"], json::array());
  EXPECT_EQ(out["events"], json::array());
  EXPECT_EQ(out["squareoffs"], json::array());
  EXPECT_EQ(out["processes"], json::object());
}

}  // namespace
}  // namespace zm::runner
