#include "common/net/http_client.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <thread>

#include "common/net/gzip.h"
#include "test_certs.h"
#include "test_servers.h"
#include "test_util.h"

namespace zm::net {
namespace {

using namespace std::chrono_literals;
using testing::RecordedRequest;
using testing::RunFor;
using testing::ServerReply;
using testing::TestHttpServer;

HttpRequest Req(std::string method, std::string target, std::string body = "") {
  HttpRequest request;
  request.method = std::move(method);
  request.target = std::move(target);
  request.body = std::move(body);
  return request;
}

ServerReply Echo(const RecordedRequest& r) {
  return {200, r.method + " " + r.target + " " + r.body};
}

class HttpClientTest : public ::testing::Test {
 protected:
  std::unique_ptr<HttpClient> MakeClient(const std::string& url,
                                         std::chrono::milliseconds timeout = 2000ms) {
    HttpClientOptions options;
    options.phase_timeout = timeout;
    auto client = HttpClient::Create(ioc_.get_executor(), *tls_, url, options);
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    return client.ok() ? std::move(client).value() : nullptr;
  }
  Result<HttpResponse> Call(HttpClient& client, HttpRequest request) {
    auto out = RunFor(ioc_, client.Request(std::move(request)));
    if (!out) return InternalError("did not complete");
    return std::move(*out);
  }

  boost::asio::io_context ioc_;
  std::shared_ptr<boost::asio::ssl::context> tls_ = MakeClientTlsContext().value();
};

TEST_F(HttpClientTest, GetAndPostRoundTripWithHeaders) {
  TestHttpServer server(Echo);
  auto client = MakeClient(server.base_url());
  HttpRequest get = Req("GET", "/quote/ltp?i=NSE%3AINFY");
  get.headers = {{"X-Kite-Version", "3"}};
  auto got = Call(*client, get);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(got->body, "GET /quote/ltp?i=NSE%3AINFY ");
  EXPECT_EQ(got->content_type, "application/json");

  HttpRequest post = Req("POST", "/orders/regular", "a=1&b=2");
  auto posted = Call(*client, post);
  ASSERT_TRUE(posted.ok()) << posted.status().ToString();
  EXPECT_EQ(posted->body, "POST /orders/regular a=1&b=2");

  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].headers["x-kite-version"], "3");
  EXPECT_EQ(requests[0].headers["host"], "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(requests[0].headers["accept-encoding"], "gzip");
  EXPECT_EQ(requests[1].headers["content-type"], "application/x-www-form-urlencoded");
  EXPECT_EQ(requests[1].headers["content-length"], "7");
}

TEST_F(HttpClientTest, ErrorStatusIsReturnedAsResponse) {
  TestHttpServer server([](const RecordedRequest&) { return ServerReply{503, "busy"}; });
  auto client = MakeClient(server.base_url());
  auto got = Call(*client, Req("DELETE", "/orders/regular/1"));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status, 503);
  EXPECT_EQ(got->body, "busy");
}

TEST_F(HttpClientTest, GzipBodyIsInflated) {
  std::string csv(200000, 'x');
  TestHttpServer server([&](const RecordedRequest&) {
    ServerReply reply{200, csv, "text/csv"};
    reply.gzip = true;
    return reply;
  });
  auto client = MakeClient(server.base_url());
  auto got = Call(*client, Req("GET", "/instruments"));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->body, csv);
}

TEST_F(HttpClientTest, KeepAliveReusesOneConnection) {
  TestHttpServer server(Echo);
  auto client = MakeClient(server.base_url());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Call(*client, Req("GET", "/user/profile")).ok());
  EXPECT_EQ(server.accepts(), 1);
}

TEST_F(HttpClientTest, ConnectionCloseIsNotReused) {
  TestHttpServer server([](const RecordedRequest&) {
    ServerReply reply{200, "{}"};
    reply.close = true;
    return reply;
  });
  auto client = MakeClient(server.base_url());
  ASSERT_TRUE(Call(*client, Req("GET", "/a")).ok());
  ASSERT_TRUE(Call(*client, Req("POST", "/orders/regular", "x=1")).ok());
  EXPECT_EQ(server.accepts(), 2);
}

TEST_F(HttpClientTest, PeerIdleCloseIsDetectedBeforeSending) {
  TestHttpServer server(Echo);
  auto client = MakeClient(server.base_url());
  ASSERT_TRUE(Call(*client, Req("GET", "/a")).ok());
  server.CloseAllConnections();
  // Let the FIN arrive (bounded poll).
  std::this_thread::sleep_for(50ms);
  auto posted = Call(*client, Req("POST", "/orders/regular", "x=1"));
  ASSERT_TRUE(posted.ok()) << posted.status().ToString();
  EXPECT_EQ(server.accepts(), 2);
  EXPECT_EQ(server.requests().size(), 2u);  // the POST was sent exactly once
}

TEST_F(HttpClientTest, PostIsNeverResentWhenTheAnswerIsLost) {
  TestHttpServer server(Echo);
  auto client = MakeClient(server.base_url());
  ASSERT_TRUE(Call(*client, Req("GET", "/a")).ok());
  server.set_mode(TestHttpServer::Mode::kCloseWithoutAnswer);
  auto posted = Call(*client, Req("POST", "/orders/regular", "x=1"));
  ASSERT_FALSE(posted.ok());
  EXPECT_EQ(posted.status().code(), StatusCode::kConnectionLost);
  EXPECT_TRUE(posted.status().outcome_unknown());
  EXPECT_EQ(server.requests().size(), 2u);  // one GET, one POST: no resend
}

TEST_F(HttpClientTest, ServerThatNeverAnswersTimesOut) {
  TestHttpServer server(Echo);
  server.set_mode(TestHttpServer::Mode::kNeverAnswer);
  auto client = MakeClient(server.base_url(), 300ms);
  const auto start = std::chrono::steady_clock::now();
  auto got = Call(*client, Req("POST", "/orders/regular", "x=1"));
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kTimeout);
  EXPECT_GE(took, 250ms);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST_F(HttpClientTest, ConnectionRefusedIsConnectFailed) {
  unsigned short port;
  {
    boost::asio::ip::tcp::acceptor probe(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0});
    port = probe.local_endpoint().port();
  }  // closed: nothing listens there now
  auto client = MakeClient("http://127.0.0.1:" + std::to_string(port));
  auto got = Call(*client, Req("POST", "/orders/regular", "x=1"));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kConnectFailed);
  EXPECT_FALSE(got.status().outcome_unknown());
}

TEST_F(HttpClientTest, CreateRejectsPlainHttpToNonLoopbackAndBadUrls) {
  for (const char* url : {"http://api.kite.trade", "http://10.0.0.1:80", "ws://127.0.0.1:1",
                          "ftp://127.0.0.1", "https://api.kite.trade/path", "nonsense"}) {
    auto client = HttpClient::Create(ioc_.get_executor(), *tls_, url);
    EXPECT_FALSE(client.ok()) << url;
    if (!client.ok()) {
      EXPECT_EQ(client.status().code(), StatusCode::kInvalidArgument) << url;
    }
  }
  EXPECT_TRUE(HttpClient::Create(ioc_.get_executor(), *tls_, "https://api.kite.trade").ok());
  EXPECT_TRUE(HttpClient::Create(ioc_.get_executor(), *tls_, "http://localhost:8080").ok());
}

TEST(GzipTest, RoundTripAndCorruption) {
  const std::string text = "instrument_token,exchange_token\n408065,1594\n";
  auto inflated = GunzipBody(GzipBody(text));
  ASSERT_TRUE(inflated.ok());
  EXPECT_EQ(*inflated, text);
  std::string truncated = GzipBody(text);
  truncated.resize(truncated.size() / 2);
  EXPECT_EQ(GunzipBody(truncated).status().code(), StatusCode::kParseError);
  EXPECT_EQ(GunzipBody("not gzip at all").status().code(), StatusCode::kParseError);
  EXPECT_EQ(GunzipBody(GzipBody(std::string(5000, 'a')), 100).status().code(),
            StatusCode::kParseError);
}

// --- TLS ------------------------------------------------------------------------------------

class HttpsTest : public HttpClientTest {
 protected:
  testing::TestPki pki_ = testing::MakeTestPki();
  TestHttpServer server_{Echo, testing::MakeServerTls(pki_.server_cert_pem, pki_.server_key_pem)};
};

TEST_F(HttpsTest, UntrustedCaIsRejected) {
  auto client = MakeClient(server_.base_url());
  auto got = Call(*client, Req("GET", "/user/profile"));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kConnectFailed);
  EXPECT_NE(got.status().message().find("certificate verify failed"), std::string::npos)
      << got.status().message();
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(HttpsTest, TrustedCaIsAcceptedByIpAndName) {
  tls_ = MakeClientTlsContext(pki_.ca_cert_pem).value();
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    auto client = MakeClient("https://" + host + ":" + std::to_string(server_.port()));
    auto got = Call(*client, Req("GET", "/user/profile"));
    ASSERT_TRUE(got.ok()) << host << ": " << got.status().ToString();
    EXPECT_EQ(got->body, "GET /user/profile ");
    ASSERT_TRUE(Call(*client, Req("GET", "/again")).ok());
  }
  EXPECT_EQ(server_.accepts(), 2);  // keep-alive over TLS too
}

TEST_F(HttpClientTest, TlsHostNameMismatchIsRejected) {
  auto pki = testing::MakeTestPki("DNS:api.example.org");  // trusted CA, someone else's name
  TestHttpServer server(Echo, testing::MakeServerTls(pki.server_cert_pem, pki.server_key_pem));
  tls_ = MakeClientTlsContext(pki.ca_cert_pem).value();
  auto client = MakeClient(server.base_url());
  auto got = Call(*client, Req("GET", "/user/profile"));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kConnectFailed);
  EXPECT_TRUE(server.requests().empty());
}

TEST(TlsContextTest, BadExtraCaIsInvalidArgument) {
  auto ctx = MakeClientTlsContext("-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n");
  ASSERT_FALSE(ctx.ok());
  EXPECT_EQ(ctx.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace zm::net
