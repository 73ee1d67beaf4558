// The suite's own clients (zm_net RestKiteApi + WsClient) against the simulator: proves the two
// ends of the protocol agree (the same code that talks to Kite talks to kite_sim).
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "common/kite/instruments.h"
#include "common/kite/tick.h"
#include "common/net/http_client.h"
#include "common/net/kite_rest_api.h"
#include "common/net/ws_client.h"
#include "support/sim_harness.h"

namespace zm::testing {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;

struct RestOutcome {
  Status profile, place, orders, positions, ltp, instruments, bad_token;
  Status quote, gtts, delete_gtt, holdings;
  std::string order_id;
  size_t instrument_count = 0;
  double ltp_value = 0;
  kite::FullQuote quote_value;
  std::vector<kite::Gtt> gtt_list;
  long long deleted_id = 0;
};

asio::awaitable<void> RunRest(asio::ssl::context& tls, std::string url, RestOutcome* out) {
  auto executor = co_await asio::this_coro::executor;
  auto http = net::HttpClient::Create(executor, tls, url);
  if (!http.ok()) {
    out->profile = http.status();
    co_return;
  }
  kite::RestKiteApi api(std::move(*http), "sim_key", Secret("sim_token"));
  out->profile = (co_await api.GetProfile()).status();
  kite::OrderRequest order;
  order.exchange = "NFO";
  order.tradingsymbol = "NIFTY26DEC24000CE";
  order.transaction_type = "SELL";
  order.order_type = "MARKET";
  order.product = "NRML";
  order.quantity = 75;
  order.market_protection = -1;
  order.tag = "compat1";
  auto placed = co_await api.PlaceOrder(order);
  out->place = placed.status();
  if (placed.ok()) out->order_id = *placed;
  out->orders = (co_await api.GetOrders()).status();
  out->positions = (co_await api.GetPositions()).status();
  out->holdings = (co_await api.GetHoldings()).status();
  std::vector<std::string> keys = {"NSE:INFY"};  // GCC 12: no braced temporaries in co_await
  auto ltp = co_await api.GetLtp(std::move(keys));
  out->ltp = ltp.status();
  if (ltp.ok() && ltp->count("NSE:INFY")) out->ltp_value = ltp->at("NSE:INFY").last_price;
  std::vector<std::string> quote_keys = {"NSE:INFY"};
  auto quote = co_await api.GetQuote(std::move(quote_keys));
  out->quote = quote.status();
  if (quote.ok() && quote->count("NSE:INFY")) out->quote_value = quote->at("NSE:INFY");
  auto gtts = co_await api.GetGtts();
  out->gtts = gtts.status();
  if (gtts.ok()) out->gtt_list = *gtts;
  if (gtts.ok() && !gtts->empty()) {
    auto deleted = co_await api.DeleteGtt(gtts->front().id);
    out->delete_gtt = deleted.status();
    if (deleted.ok()) out->deleted_id = *deleted;
  }
  auto csv = co_await api.GetInstrumentsCsv();
  out->instruments = csv.status();
  if (csv.ok()) {
    auto parsed = kite::ParseInstrumentsCsv(*csv);
    if (parsed.ok()) out->instrument_count = parsed->size();
  }
  api.SetAccessToken(Secret("expired"));
  out->bad_token = (co_await api.GetProfile()).status();
}

// A named coroutine (not a capturing lambda: its closure would die before the frame runs).
asio::awaitable<void> RunWs(net::WsClient* ws, std::string url, net::WsHandlers handlers,
                            Status* out) {
  *out = co_await ws->Run(std::move(url), std::move(handlers));
}

TEST(ClientCompatTest, RestKiteApiTalksToTheSimulator) {
  auto sim = SimHarness::StartFile("test_basic.yaml");
  ASSERT_TRUE(sim.ok()) << sim.status().ToString();
  auto tls = net::MakeClientTlsContext();
  ASSERT_TRUE(tls.ok());
  auto gtt = (*sim)->Control(
      "POST", "/_sim/gtt",
      {{"type", "single"},
       {"condition", {{"exchange", "NSE"}, {"tradingsymbol", "INFY"}, {"trigger_values", {1400}}}},
       {"orders", nlohmann::json::array({{{"exchange", "NSE"},
                                          {"tradingsymbol", "INFY"},
                                          {"transaction_type", "BUY"},
                                          {"quantity", 1},
                                          {"order_type", "LIMIT"},
                                          {"product", "CNC"},
                                          {"price", 1400}}})}});
  ASSERT_TRUE(gtt.ok()) << gtt.status().ToString();
  asio::io_context ioc(1);
  RestOutcome out;
  asio::co_spawn(ioc, RunRest(**tls, (*sim)->rest_url(), &out), asio::detached);
  ioc.run_for(20s);
  EXPECT_TRUE(out.profile.ok()) << out.profile.ToString();
  EXPECT_TRUE(out.place.ok()) << out.place.ToString();
  EXPECT_FALSE(out.order_id.empty());
  EXPECT_TRUE(out.orders.ok()) << out.orders.ToString();
  EXPECT_TRUE(out.positions.ok()) << out.positions.ToString();
  EXPECT_TRUE(out.holdings.ok()) << out.holdings.ToString();
  EXPECT_TRUE(out.ltp.ok()) << out.ltp.ToString();
  EXPECT_DOUBLE_EQ(out.ltp_value, 1500);
  EXPECT_TRUE(out.instruments.ok()) << out.instruments.ToString();
  EXPECT_EQ(out.instrument_count, 11u);  // 7 scenario instruments + 4 index rows
  EXPECT_TRUE(out.quote.ok()) << out.quote.ToString();
  EXPECT_DOUBLE_EQ(out.quote_value.last_price, 1500);
  EXPECT_DOUBLE_EQ(out.quote_value.sell[0].price, 1500.05);
  EXPECT_GT(out.quote_value.buy[4].quantity, 0);
  EXPECT_TRUE(out.gtts.ok()) << out.gtts.ToString();
  ASSERT_EQ(out.gtt_list.size(), 1u);
  EXPECT_EQ(out.gtt_list[0].status, "active");
  EXPECT_EQ(out.gtt_list[0].trigger_values, std::vector<double>{1400});
  EXPECT_TRUE(out.delete_gtt.ok()) << out.delete_gtt.ToString();
  EXPECT_EQ(out.deleted_id, out.gtt_list[0].id);
  EXPECT_TRUE((*(*sim)->State())["gtts"].empty());
  EXPECT_EQ(out.bad_token.code(), StatusCode::kToken) << out.bad_token.ToString();
  const auto log = (*sim)->OrderLog();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]["params"]["tag"], "compat1");
  EXPECT_EQ(log[0]["params"]["market_protection"], "-1");
}

TEST(ClientCompatTest, WsClientReceivesTicksAndTextFrames) {
  auto sim = SimHarness::StartFile("test_basic.yaml");
  ASSERT_TRUE(sim.ok()) << sim.status().ToString();
  auto tls = net::MakeClientTlsContext();
  ASSERT_TRUE(tls.ok());
  asio::io_context ioc(1);
  auto ws = net::WsClient::Create(ioc.get_executor(), **tls);
  std::vector<kite::Tick> ticks;
  Status run_status = Status(StatusCode::kInternal, "not finished");
  net::WsHandlers handlers;
  const uint32_t token = 50001u * 256 + 2;
  handlers.on_open = [&] {
    ws->SendText(R"({"a":"subscribe","v":[)" + std::to_string(token) + "]}");
    ws->SendText(R"({"a":"mode","v":["full",[)" + std::to_string(token) + "]]}");
  };
  handlers.on_binary = [&](std::string_view data) {
    for (const kite::Tick& t : kite::DecodeFrame(data).ticks) ticks.push_back(t);
    if (!ticks.empty() && ticks.back().mode == kite::TickMode::kFull) ws->Close();
  };
  const std::string url = (*sim)->ws_url() + "?api_key=sim_key&access_token=sim_token";
  asio::co_spawn(ioc, RunWs(ws.get(), url, handlers, &run_status), asio::detached);
  ioc.run_for(15s);
  EXPECT_TRUE(run_status.ok()) << run_status.ToString();
  ASSERT_FALSE(ticks.empty());
  EXPECT_EQ(ticks.back().instrument_token, token);
  EXPECT_DOUBLE_EQ(ticks.back().last_price, 120);

  auto refused = net::WsClient::Create(ioc.get_executor(), **tls);
  Status refused_status;
  asio::co_spawn(ioc,
                 RunWs(refused.get(), (*sim)->ws_url() + "?api_key=sim_key&access_token=x", {},
                       &refused_status),
                 asio::detached);
  ioc.restart();
  ioc.run_for(15s);
  EXPECT_EQ(refused_status.code(), StatusCode::kToken) << refused_status.ToString();
}

}  // namespace
}  // namespace zm::testing
