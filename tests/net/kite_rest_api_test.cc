// RestKiteApi against a loopback server answering Kite envelopes (the official mocks).
#include "common/net/kite_rest_api.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <fstream>
#include <sstream>

#include "common/kite/models.h"
#include "test_servers.h"
#include "test_util.h"

namespace zm::kite {
namespace {

using net::testing::RecordedRequest;
using net::testing::RunFor;
using net::testing::ServerReply;
using net::testing::TestHttpServer;

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(ZM_SOURCE_DIR) + "/tests/fixtures/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Answers like Kite: a fixture per endpoint, TokenException for a wrong token.
ServerReply KiteLike(const RecordedRequest& r) {
  if (r.target != "/session/token" && r.headers.count("authorization") &&
      r.headers.at("authorization") != "token key1:tok1") {
    return {403, ErrorEnvelope("TokenException", "Incorrect `api_key` or `access_token`.")};
  }
  const std::string path = r.target.substr(0, r.target.find('?'));
  if (path == "/user/profile") return {200, Fixture("profile.json")};
  if (path == "/portfolio/positions") return {200, Fixture("positions.json")};
  if (path == "/orders") return {200, Fixture("orders.json")};
  if (path == "/orders/151220000000000") return {200, Fixture("order_info.json")};
  if (path == "/trades") return {200, Fixture("trades.json")};
  if (path == "/quote/ltp") return {200, Fixture("ltp.json")};
  if (path == "/session/token") return {200, Fixture("generate_session.json")};
  if (path.rfind("/orders/regular", 0) == 0) return {200, Fixture("order_response.json")};
  if (path == "/instruments") {
    ServerReply reply{200, Fixture("instruments_nse.csv"), "text/csv"};
    reply.gzip = true;
    return reply;
  }
  return {404, ErrorEnvelope("GeneralException", "Route not found")};
}

class RestKiteApiTest : public ::testing::Test {
 protected:
  explicit RestKiteApiTest(TestHttpServer::Handler handler = KiteLike) : server_(handler) {}
  void SetUp() override {
    auto http = net::HttpClient::Create(ioc_.get_executor(), *tls_, server_.base_url());
    ASSERT_TRUE(http.ok());
    api_ = std::make_unique<RestKiteApi>(std::move(http).value(), "key1", Secret("tok1"));
  }
  template <typename T>
  Result<T> Run(Async<T> call) {
    auto out = RunFor(ioc_, std::move(call));
    if (!out) return InternalError("did not complete");
    return std::move(*out);
  }
  RecordedRequest Last() { return server_.requests().back(); }

  boost::asio::io_context ioc_;
  std::shared_ptr<boost::asio::ssl::context> tls_ = net::MakeClientTlsContext().value();
  TestHttpServer server_;
  std::unique_ptr<RestKiteApi> api_;
};

TEST_F(RestKiteApiTest, ReadCallsSendKiteHeadersAndParse) {
  auto profile = Run(api_->GetProfile());
  ASSERT_TRUE(profile.ok()) << profile.status().ToString();
  EXPECT_FALSE(profile->user_id.empty());
  EXPECT_EQ(Last().headers["x-kite-version"], "3");
  EXPECT_EQ(Last().headers["authorization"], "token key1:tok1");
  EXPECT_EQ(Last().method, "GET");

  auto positions = Run(api_->GetPositions());
  ASSERT_TRUE(positions.ok()) << positions.status().ToString();
  EXPECT_FALSE(positions->net.empty());
  auto orders = Run(api_->GetOrders());
  ASSERT_TRUE(orders.ok()) << orders.status().ToString();
  EXPECT_FALSE(orders->empty());
  auto history = Run(api_->GetOrderHistory("151220000000000"));
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  auto trades = Run(api_->GetTrades());
  ASSERT_TRUE(trades.ok()) << trades.status().ToString();
  EXPECT_EQ(server_.accepts(), 1);  // all over one kept-alive connection
}

TEST_F(RestKiteApiTest, LtpKeysAreRepeatedAndEncoded) {
  auto ltp = Run(api_->GetLtp({"NSE:INFY", "NFO:NIFTY26DEC24000CE", "BSE:M&M"}));
  ASSERT_TRUE(ltp.ok()) << ltp.status().ToString();
  EXPECT_DOUBLE_EQ(ltp->at("NSE:INFY").last_price, 1074.35);
  EXPECT_EQ(Last().target, "/quote/ltp?i=NSE%3AINFY&i=NFO%3ANIFTY26DEC24000CE&i=BSE%3AM%26M");
  const size_t before = server_.requests().size();
  auto empty = Run(api_->GetLtp({}));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  EXPECT_EQ(server_.requests().size(), before);  // no call for no keys
}

TEST_F(RestKiteApiTest, OrderCallsUseFormBodies) {
  OrderRequest order;
  order.exchange = "NFO";
  order.tradingsymbol = "NIFTY26DEC24000CE";
  order.transaction_type = "BUY";
  order.order_type = "MARKET";
  order.product = "NRML";
  order.quantity = 75;
  order.market_protection = -1;
  order.tag = "zmsq1";
  auto placed = Run(api_->PlaceOrder(order));
  ASSERT_TRUE(placed.ok()) << placed.status().ToString();
  EXPECT_EQ(*placed, "151220000000000");
  EXPECT_EQ(Last().method, "POST");
  EXPECT_EQ(Last().target, "/orders/regular");
  EXPECT_EQ(Last().body, order.ToForm());
  EXPECT_EQ(Last().headers["content-type"], "application/x-www-form-urlencoded");

  OrderModify modify;
  modify.price = 101.5;
  ASSERT_TRUE(Run(api_->ModifyOrder("regular", "151220000000000", modify)).ok());
  EXPECT_EQ(Last().method, "PUT");
  EXPECT_EQ(Last().target, "/orders/regular/151220000000000");
  EXPECT_EQ(Last().body, modify.ToForm());

  ASSERT_TRUE(Run(api_->CancelOrder("regular", "151220000000000")).ok());
  EXPECT_EQ(Last().method, "DELETE");
  EXPECT_EQ(Last().target, "/orders/regular/151220000000000");
  EXPECT_TRUE(Last().body.empty());
}

TEST_F(RestKiteApiTest, CreateSessionHasNoAuthorization) {
  auto session = Run(api_->CreateSession("req tok", "abc123"));
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  EXPECT_FALSE(session->access_token.empty());
  EXPECT_EQ(Last().headers.count("authorization"), 0u);
  EXPECT_EQ(Last().headers["x-kite-version"], "3");
  EXPECT_EQ(Last().body, "api_key=key1&request_token=req%20tok&checksum=abc123");
}

TEST_F(RestKiteApiTest, InstrumentsCsvIsInflated) {
  auto csv = Run(api_->GetInstrumentsCsv());
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  EXPECT_EQ(*csv, Fixture("instruments_nse.csv"));
}

TEST_F(RestKiteApiTest, TokenErrorIsKTokenAndNeverLeaksTheToken) {
  api_->SetAccessToken(Secret("expired-SECRET"));
  auto positions = Run(api_->GetPositions());
  ASSERT_FALSE(positions.ok());
  EXPECT_EQ(positions.status().code(), StatusCode::kToken);
  EXPECT_EQ(positions.status().http_status(), 403);
  EXPECT_EQ(positions.status().error_type(), "TokenException");
  EXPECT_EQ(positions.status().ToString().find("SECRET"), std::string::npos);
  auto csv = Run(api_->GetInstrumentsCsv());
  EXPECT_EQ(csv.status().code(), StatusCode::kToken);
}

TEST(RestKiteApiErrors, RateLimitAndBrokerErrors) {
  int status = 429;
  TestHttpServer server([&](const RecordedRequest&) {
    return ServerReply{
        status, ErrorEnvelope(status == 429 ? "NetworkException" : "OrderException", "nope")};
  });
  boost::asio::io_context ioc;
  auto tls = net::MakeClientTlsContext().value();
  RestKiteApi api(net::HttpClient::Create(ioc.get_executor(), *tls, server.base_url()).value(), "k",
                  Secret("t"));
  OrderRequest order;
  order.quantity = 1;
  auto limited = RunFor(ioc, api.PlaceOrder(order));
  ASSERT_TRUE(limited.has_value());
  EXPECT_EQ(limited->status().code(), StatusCode::kRateLimited);
  EXPECT_EQ(limited->status().http_status(), 429);
  status = 400;
  auto rejected = RunFor(ioc, api.PlaceOrder(order));
  ASSERT_TRUE(rejected.has_value());
  EXPECT_EQ(rejected->status().code(), StatusCode::kBroker);
  EXPECT_EQ(rejected->status().error_type(), "OrderException");
  EXPECT_NE(rejected->status().message().find("POST /orders/regular"), std::string::npos);
}

TEST(RestKiteApiErrors, TransportErrorsKeepTheirCode) {
  TestHttpServer server([](const RecordedRequest&) { return ServerReply{}; });
  server.set_mode(TestHttpServer::Mode::kNeverAnswer);
  boost::asio::io_context ioc;
  auto tls = net::MakeClientTlsContext().value();
  net::HttpClientOptions options;
  options.phase_timeout = std::chrono::milliseconds(300);
  RestKiteApi api(
      net::HttpClient::Create(ioc.get_executor(), *tls, server.base_url(), options).value(), "k",
      Secret("t"));
  auto placed = RunFor(ioc, api.PlaceOrder(OrderRequest{}));
  ASSERT_TRUE(placed.has_value());
  EXPECT_EQ(placed->status().code(), StatusCode::kTimeout);
  EXPECT_TRUE(placed->status().outcome_unknown());
}

}  // namespace
}  // namespace zm::kite
