// Real-Kite shapes over REST: the instruments dump (index rows, empty names, wrong dump lot
// sizes), autoslice answers and tags, protected MARKET orders in the book, tags only in tags[].
#include <gtest/gtest.h>

#include <sstream>

#include "common/kite/instruments.h"
#include "common/kite/models.h"
#include "common/kite/text_frame.h"
#include "support/sim_harness.h"

namespace zm::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// test_basic plus: a BANKNIFTY option listed with an empty name and a stale lot size in the dump
// (the broker enforces 35 and BANKNIFTY's freeze limit through `underlying`), and a NIFTY option
// that the dump leaves out.
std::string ShapesScenario() {
  std::string yaml = ReadScenario("test_basic.yaml");
  yaml.insert(yaml.find("positions: []"),
              "  - {exchange: NFO, tradingsymbol: BANKNIFTY26DEC52500CE, name: \"\", underlying: "
              "BANKNIFTY,\n"
              "     exchange_token: 50102, instrument_type: CE, segment: NFO-OPT,\n"
              "     expiry: \"2026-12-30\", strike: 52500, lot_size: 35, dump_lot_size: 15,\n"
              "     tick_size: 0.05, price: 280.00}\n"
              "  - {exchange: NFO, tradingsymbol: NIFTY26DEC24100CE, name: NIFTY, exchange_token: "
              "50003,\n"
              "     instrument_type: CE, segment: NFO-OPT, expiry: \"2026-12-29\", strike: 24100,\n"
              "     lot_size: 75, tick_size: 0.05, price: 100.00, in_dump: false}\n");
  return yaml;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

bool Contains(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

class SimShapesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto h = SimHarness::Start(ShapesScenario());
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    sim_ = std::move(*h);
  }
  Result<TestHttpResponse> Post(const std::string& form) {
    return KiteCall(sim_->port(), "POST", "/orders/regular", form);
  }
  json Orders() { return KiteCall(sim_->port(), "GET", "/orders")->Json()["data"]; }
  std::unique_ptr<SimHarness> sim_;
};

TEST_F(SimShapesTest, DumpHasTheRealIndexRowsEmptyNamesAndDumpLotSizes) {
  auto res = KiteCall(sim_->port(), "GET", "/instruments");
  ASSERT_TRUE(res.ok());
  const std::vector<std::string> dump = Lines(res->body);
  // Every index row of the real-format fixture appears byte for byte.
  int index_rows = 0;
  for (const std::string& row : Lines(ReadTestFixture("instruments_real_rows.csv"))) {
    if (row.find(",INDICES,") == std::string::npos) continue;
    ++index_rows;
    EXPECT_TRUE(Contains(dump, row)) << row;
  }
  EXPECT_EQ(index_rows, 4);
  EXPECT_EQ(dump.front(), Lines(ReadTestFixture("instruments_real_rows.csv")).front());  // header
  EXPECT_TRUE(Contains(dump,
                       "12826114,50102,BANKNIFTY26DEC52500CE,,280.0,2026-12-30,52500.0,0.05,15,CE,"
                       "NFO-OPT,NFO"));
  for (const std::string& row : dump) EXPECT_EQ(row.find("NIFTY26DEC24100CE"), std::string::npos);
  auto parsed = kite::ParseInstrumentsCsv(res->body);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->size(), 8u + 4u);
  // Per exchange: BSE has only the SENSEX index row (the SENSEX option is on BFO).
  auto bse = kite::ParseInstrumentsCsv(KiteCall(sim_->port(), "GET", "/instruments/BSE")->body);
  ASSERT_TRUE(bse.ok());
  EXPECT_EQ(bse->size(), 1u);
  EXPECT_EQ(bse->at(0).segment, "INDICES");
  EXPECT_EQ(bse->at(0).lot_size, 0);
}

TEST_F(SimShapesTest, TheBrokerEnforcesTheTrueLotAndTheUnderlyingsFreezeLimit) {
  const std::string base =
      "exchange=NFO&tradingsymbol=BANKNIFTY26DEC52500CE&transaction_type=SELL&order_type=MARKET"
      "&product=NRML&market_protection=-1&quantity=";
  auto lot = Post(base + "15");  // the dump's lot size
  EXPECT_EQ(lot->status, 400);
  EXPECT_EQ(lot->Json()["message"],
            "Quantity should be a multiple of lot size. Lot size for this instrument is 35.");
  auto freeze = Post(base + "1050");
  EXPECT_EQ(freeze->status, 400);
  EXPECT_EQ(freeze->Json()["error_type"], "InputException");
  EXPECT_EQ(freeze->Json()["message"],
            "The order quantity 1050 (30 lots) is higher than the maximum quantity of 900 (25 "
            "lots) allowed by the exchanges. Reduce the quantity or use autoslice.");
  EXPECT_EQ(Post(base + "875")->status, 200);
  // Left out of the dump, still tradable.
  EXPECT_EQ(Post("exchange=NFO&tradingsymbol=NIFTY26DEC24100CE&transaction_type=BUY"
                 "&order_type=LIMIT&product=NRML&price=100&quantity=75")
                ->status,
            200);
}

TEST_F(SimShapesTest, AutosliceAnswersLikeKiteAndTagsEveryChild) {
  auto res = Post(
      "exchange=NFO&tradingsymbol=BANKNIFTY26DEC52000CE&transaction_type=SELL&order_type=MARKET"
      "&product=NRML&market_protection=-1&quantity=2100&autoslice=true&tag=sq7");
  ASSERT_EQ(res->status, 200) << res->body;
  const json data = res->Json()["data"];
  // Same members as Kite's answer (kite-mocks autoslice_response.json).
  const json mock = json::parse(ReadTestFixture("autoslice_response.json"))["data"];
  for (const auto& [key, value] : mock.items()) EXPECT_TRUE(data.contains(key)) << key;
  ASSERT_EQ(data["children"].size(), 2u);
  const std::string first = data["order_id"];
  ASSERT_TRUE(WaitUntil(
      [&] {
        const json orders = Orders();
        return orders.size() == 3 && orders[2]["status"] == "COMPLETE";
      },
      5s));
  const json orders = Orders();
  EXPECT_EQ(orders[0]["order_id"], first);
  EXPECT_EQ(orders[1]["order_id"], data["children"][0]["order_id"]);
  for (const json& o : orders) {
    EXPECT_EQ(o["tag"], "sq7");
    EXPECT_EQ(o["order_type"], "LIMIT");
    EXPECT_EQ(o["tags"],
              json::array({"sq7", "autoslice", "autoslice:" + first, "mktp", "mktp:2.00"}));
  }
  const auto log = sim_->OrderLog();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]["order_id"], first);
  EXPECT_EQ(log[0]["children"].size(), 2u);
}

TEST_F(SimShapesTest, ProtectedMarketOrderShowsAsKitesBookDoes) {
  ASSERT_EQ(Post("exchange=NFO&tradingsymbol=NIFTY26DEC24000CE&transaction_type=BUY"
                 "&order_type=MARKET&product=NRML&market_protection=-1&quantity=75")
                ->status,
            200);
  // kite-mocks orders.json: the TATASTEEL order sent as MARKET with protection.
  json mock;
  const json fixture = json::parse(ReadTestFixture("orders.json"));
  for (const json& o : fixture["data"]) {
    if (o.contains("tags") && o["tags"].size() == 2 && o["tags"][0] == "mktp") mock = o;
  }
  ASSERT_TRUE(mock.is_object());
  const json ours = Orders().at(0);
  EXPECT_EQ(ours["order_type"], mock["order_type"]);  // LIMIT
  EXPECT_EQ(ours["tags"], mock["tags"]);              // ["mktp","mktp:2.00"]
  EXPECT_EQ(ours["tag"], mock["tag"]);                // null
  EXPECT_EQ(ours["market_protection"], mock["market_protection"]);
  EXPECT_DOUBLE_EQ(ours["price"].get<double>(), 122.4);  // 120 + 2 %
}

TEST_F(SimShapesTest, TagsOnlyInArrayFault) {
  TestWsClient ws;
  ASSERT_TRUE(ws.Connect(sim_->port(), "/?api_key=sim_key&access_token=sim_token").ok());
  ASSERT_TRUE(WaitUntil([&] { return (*sim_->Stats())["ws_connections"] == 1; }, 3s));
  ASSERT_TRUE(sim_->Fault({{"kind", "tags_only_in_array"}, {"on", true}}).ok());
  auto res = Post(
      "exchange=NFO&tradingsymbol=NIFTY26DEC24000CE&transaction_type=SELL&order_type=LIMIT"
      "&product=NRML&price=119&quantity=75&tag=ex42");
  ASSERT_EQ(res->status, 200);
  const std::string id = res->Json()["data"]["order_id"];
  const json listed = Orders().at(0);
  EXPECT_TRUE(listed["tag"].is_null());
  EXPECT_EQ(listed["tags"], json::array({"ex42"}));
  const json history = KiteCall(sim_->port(), "GET", "/orders/" + id)->Json()["data"];
  for (const json& row : history) EXPECT_TRUE(row["tag"].is_null());
  auto parsed = kite::ParseOrders(Orders());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->at(0).tag, "");
  EXPECT_EQ(parsed->at(0).tags, std::vector<std::string>{"ex42"});
  auto frame = ws.ReadUntil([](const auto& m) { return !m.binary; }, 3s);
  ASSERT_TRUE(frame.ok());
  auto update = kite::ParseTextFrame(frame->data);
  ASSERT_TRUE(update.ok());
  EXPECT_EQ(update->order.tag, "");
  EXPECT_EQ(update->order.tags, std::vector<std::string>{"ex42"});
  ASSERT_TRUE(sim_->Fault({{"kind", "tags_only_in_array"}, {"on", false}}).ok());
  EXPECT_EQ(Orders().at(0)["tag"], "ex42");
}

}  // namespace
}  // namespace zm::testing
