#include "runner/render.h"

#include <gtest/gtest.h>

namespace zm::runner {
namespace {

using nlohmann::json;

TEST(RenderTest, Rupees) {
  EXPECT_EQ(FormatRupees(-4512.25), "\u20b9-4,512.25");
  EXPECT_EQ(FormatRupees(0), "\u20b90.00");
  EXPECT_EQ(FormatRupees(-0.001), "\u20b90.00");
  EXPECT_EQ(FormatRupees(1234567.891), "\u20b91,234,567.89");
  EXPECT_EQ(FormatAmount(999.999), "1,000.00");
  EXPECT_EQ(FormatAmount(-100), "-100.00");
  EXPECT_EQ(FormatAmount(-0.5), "-0.50");
}

TEST(RenderTest, Ages) {
  EXPECT_EQ(FormatAge(3.2), "3 s");
  EXPECT_EQ(FormatAge(245), "4 min 05 s");
  EXPECT_EQ(FormatAge(7380), "2 h 03 min");
  EXPECT_EQ(FormatAge(-1), "-");
}

TEST(RenderTest, TableAlignsColumnsWithUtf8) {
  std::string t = RenderTable({"A", "B"}, {{"\u20b91.00", "x"}, {"long cell", "y"}});
  EXPECT_EQ(t, "  A          B\n  \u20b91.00      x\n  long cell  y\n");
}

json Snapshot() {
  return json::parse(R"({
    "trading_date": "2026-11-26", "updated_at_ms": 1000000, "mtm": -4512.25,
    "realised": -1000, "unrealised": -3512.25, "daily_max_mtm": 1020,
    "loss_threshold": -5000, "profit_target": 3000, "trailing_floor": null,
    "state": "monitoring", "target_locked": false, "alert_only": false, "dry_run": false,
    "positions": [{"exchange": "NFO", "tradingsymbol": "NIFTY26DEC24000CE", "product": "NRML",
                   "quantity": -75, "last_price": 120.5, "price_source": "tick",
                   "price_age_ms": 800, "pnl": -3512.25}],
    "square_offs": [{"id": 1, "reason": "loss", "outcome": "flat", "orders": [
        {"tag": "zmA1", "tradingsymbol": "NIFTY26DEC24000CE", "transaction_type": "BUY",
         "quantity": 75, "order_type": "LIMIT", "status": "COMPLETE", "order_id": "151220",
         "filled_quantity": 75, "average_price": 121}]}],
    "last_critical": null})");
}

TEST(RenderTest, SummaryJsonAddsDistances) {
  json s = BuildSummaryJson(Snapshot(), 1'003'000);
  EXPECT_DOUBLE_EQ(s["mtm"].get<double>(), -4512.25);
  EXPECT_DOUBLE_EQ(s["distance_to_loss_threshold"].get<double>(), 487.75);
  EXPECT_DOUBLE_EQ(s["distance_to_target"].get<double>(), 7512.25);
  EXPECT_DOUBLE_EQ(s["snapshot_age_s"].get<double>(), 3.0);
  EXPECT_EQ(s["positions"][0]["tradingsymbol"], "NIFTY26DEC24000CE");
  EXPECT_FALSE(s["target_locked"].get<bool>());
}

TEST(RenderTest, SummaryJsonOfEmptySnapshotHasRequiredKeys) {
  json s = BuildSummaryJson(json::object(), 0);
  EXPECT_TRUE(s.contains("mtm"));
  EXPECT_TRUE(s.contains("daily_max_mtm"));
  EXPECT_TRUE(s["positions"].is_array());
}

TEST(RenderTest, SummaryText) {
  std::string text = RenderSummaryText(BuildSummaryJson(Snapshot(), 1'003'000));
  EXPECT_NE(text.find("2026-11-26"), std::string::npos) << text;
  EXPECT_NE(text.find("\u20b9-4,512.25"), std::string::npos) << text;
  EXPECT_NE(text.find("\u20b9487.75 away"), std::string::npos) << text;
  EXPECT_NE(text.find("NIFTY26DEC24000CE"), std::string::npos);
  EXPECT_NE(text.find("outcome=flat"), std::string::npos);
  EXPECT_NE(text.find("151220"), std::string::npos);
}

TEST(RenderTest, SummaryTextShowsBothBasesAndTheSalesFromHoldingsApart) {
  json snap = Snapshot();
  snap["mtm_basis"] = "day";
  snap["mtm_day"] = -4512.25;
  snap["mtm_since_entry"] = 1250.5;
  snap["positions"][0]["m2m"] = -4512.25;
  snap["positions"][0]["scope"] = "guarded";
  snap["positions"].push_back({{"exchange", "NSE"},
                               {"tradingsymbol", "INFY"},
                               {"product", "CNC"},
                               {"quantity", -40},
                               {"last_price", 1500},
                               {"scope", "sold_from_holdings"}});
  const std::string text = RenderSummaryText(BuildSummaryJson(snap, 1'003'000));
  EXPECT_NE(text.find("MTM, day (m2m)"), std::string::npos) << text;
  EXPECT_NE(text.find("\u20b9-4,512.25  <- triggers"), std::string::npos) << text;
  EXPECT_NE(text.find("MTM, since entry (pnl)  \u20b91,250.50"), std::string::npos) << text;
  EXPECT_NE(text.find("DAY M2M"), std::string::npos) << text;
  EXPECT_NE(text.find("Positions (1)"), std::string::npos) << text;
  EXPECT_NE(text.find("Sold from holdings (1, not in MTM, never squared off)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("INFY"), std::string::npos) << text;
}

TEST(RenderTest, StatusJsonShape) {
  StatusInputs in;
  in.now_ms = 100'000;
  in.runner_pid = 10;
  in.runner_running = true;
  in.runner_state = json::parse(R"({"started_at_ms": 40000, "children": {
      "ltp_subscriber": {"pid": 11, "started_at_ms": 50000, "restarts": 2},
      "mtm_monitor": {"pid": 12, "started_at_ms": 60000, "restarts": 7, "crash_loop": true}},
      "last_critical": {"at_ms": 90000, "message": "mtm_monitor crash loop"}})");
  in.child_running = {{"ltp_subscriber", true}, {"mtm_monitor", false}};
  Heartbeat sub{"ltp_subscriber", 11, 50000, 99'000,
                json{{"ws_connected", true}, {"last_tick_ms", 98'000}, {"token_state", "ok"}}};
  Heartbeat mon{"mtm_monitor", 12, 60000, 95'000,
                json{{"state", "monitoring"}, {"mtm", -12.5}, {"last_cycle_ms", 95'000}}};
  in.heartbeats = {{"ltp_subscriber", sub}, {"mtm_monitor", mon}};
  json s = BuildStatusJson(in);
  EXPECT_EQ(s["runner"]["pid"], 10);
  EXPECT_DOUBLE_EQ(s["runner"]["uptime_s"].get<double>(), 60);
  const json& ltp = s["processes"]["ltp_subscriber"];
  EXPECT_EQ(ltp["pid"], 11);
  EXPECT_TRUE(ltp["running"].get<bool>());
  EXPECT_EQ(ltp["restarts"], 2);
  EXPECT_DOUBLE_EQ(ltp["heartbeat_age_s"].get<double>(), 1);
  EXPECT_TRUE(ltp["ws_connected"].get<bool>());
  EXPECT_DOUBLE_EQ(ltp["last_tick_age_s"].get<double>(), 2);
  EXPECT_EQ(ltp["token_state"], "ok");
  const json& m = s["processes"]["mtm_monitor"];
  EXPECT_FALSE(m["running"].get<bool>());
  EXPECT_EQ(m["restarts"], 7);
  EXPECT_TRUE(m["crash_loop"].get<bool>());
  EXPECT_EQ(m["state"], "monitoring");
  EXPECT_EQ(s["last_critical"]["message"], "mtm_monitor crash loop");
  std::string text = RenderStatusText(s);
  EXPECT_NE(text.find("CRASH LOOP"), std::string::npos) << text;
  EXPECT_NE(text.find("mtm_monitor crash loop"), std::string::npos) << text;
}

TEST(RenderTest, StatusWithNothingRunning) {
  StatusInputs in;
  in.now_ms = 5;
  json s = BuildStatusJson(in);
  EXPECT_FALSE(s["runner"]["running"].get<bool>());
  EXPECT_EQ(s["processes"]["mtm_monitor"]["pid"], 0);
  EXPECT_FALSE(s["processes"]["mtm_monitor"]["running"].get<bool>());
  EXPECT_TRUE(s["last_critical"].is_null());
  EXPECT_NE(RenderStatusText(s).find("not running"), std::string::npos);
}

}  // namespace
}  // namespace zm::runner
