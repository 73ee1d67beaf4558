#include "common/net/ws_client.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "common/net/http_client.h"
#include "test_certs.h"
#include "test_servers.h"
#include "test_util.h"

namespace zm::net {
namespace {

using namespace std::chrono_literals;
using testing::RunFor;
using testing::TestWsServer;

class WsClientTest : public ::testing::Test {
 protected:
  std::unique_ptr<WsClient> MakeClient(std::chrono::milliseconds idle = 2000ms) {
    WsOptions options;
    options.phase_timeout = 1000ms;
    options.idle_timeout = idle;
    return WsClient::Create(ioc_.get_executor(), *tls_, options);
  }
  Status RunClient(WsClient& client, const std::string& url, WsHandlers handlers = {}) {
    auto out = RunFor(ioc_, client.Run(url, std::move(handlers)));
    return out ? *out : InternalError("Run did not return");
  }

  boost::asio::io_context ioc_;
  std::shared_ptr<boost::asio::ssl::context> tls_ = MakeClientTlsContext().value();
};

TEST_F(WsClientTest, TextAndBinaryBothWaysThenCleanClose) {
  TestWsServer server(TestWsServer::Mode::kEcho);
  auto client = MakeClient();
  std::vector<std::string> got;
  bool opened = false;
  WsHandlers handlers;
  handlers.on_open = [&] {
    opened = true;
    EXPECT_TRUE(client->connected());
    client->SendText(R"({"a":"subscribe","v":[408065]})");
    client->SendBinary(std::string("\x00\x01\xff", 3));
    client->SendText(R"({"a":"mode","v":["full",[408065]]})");
  };
  handlers.on_text = [&](std::string_view m) {
    got.push_back("T:" + std::string(m));
    if (got.size() == 5) client->Close();
  };
  handlers.on_binary = [&](std::string_view m) {
    got.push_back("B:" + std::string(m));
    if (got.size() == 5) client->Close();
  };
  Status status = RunClient(*client, server.url(), handlers);
  EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_TRUE(opened);
  EXPECT_FALSE(client->connected());
  const std::vector<std::string> expected = {
      "T:hello", "B:\x01", R"(T:{"a":"subscribe","v":[408065]})", std::string("B:\x00\x01\xff", 5),
      R"(T:{"a":"mode","v":["full",[408065]]})"};
  EXPECT_EQ(got, expected);
  const std::vector<std::string> sent = {expected[2], expected[3], expected[4]};
  EXPECT_EQ(server.received(), sent);  // in order, one write in flight at a time
  testing::WaitFor([&] { return server.saw_close(); }, 2000ms);
  EXPECT_TRUE(server.saw_close());
}

TEST_F(WsClientTest, SilentServerTripsTheIdleRule) {
  TestWsServer server(TestWsServer::Mode::kSilent);
  auto client = MakeClient(300ms);
  int messages = 0;
  WsHandlers handlers;
  handlers.on_text = [&](std::string_view) { ++messages; };
  const auto start = std::chrono::steady_clock::now();
  Status status = RunClient(*client, server.url(), handlers);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(status.code(), StatusCode::kTimeout) << status.ToString();
  EXPECT_EQ(messages, 1);
  EXPECT_GE(took, 300ms);
}

TEST_F(WsClientTest, Upgrade403IsTokenAndHidesTheUrl) {
  TestWsServer server(TestWsServer::Mode::kReject403);
  auto client = MakeClient();
  Status status = RunClient(*client, server.url());
  EXPECT_EQ(status.code(), StatusCode::kToken) << status.ToString();
  EXPECT_EQ(status.http_status(), 403);
  EXPECT_EQ(status.ToString().find("SECRET_TOKEN"), std::string::npos);
}

TEST_F(WsClientTest, PeerCloseIsConnectionLostWithReason) {
  TestWsServer server(TestWsServer::Mode::kCloseAfterHello);
  auto client = MakeClient();
  Status status = RunClient(*client, server.url());
  EXPECT_EQ(status.code(), StatusCode::kConnectionLost);
  EXPECT_NE(status.message().find("1008"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("bye"), std::string::npos) << status.message();
}

TEST_F(WsClientTest, RefusedIsConnectFailedAndBadUrlsAreRejected) {
  unsigned short port;
  {
    boost::asio::ip::tcp::acceptor probe(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0});
    port = probe.local_endpoint().port();
  }
  auto client = MakeClient();
  Status refused = RunClient(*client, "ws://127.0.0.1:" + std::to_string(port) + "/?access_token=SECRET_TOKEN");
  EXPECT_EQ(refused.code(), StatusCode::kConnectFailed);
  EXPECT_EQ(refused.ToString().find("SECRET_TOKEN"), std::string::npos);
  for (const char* url : {"ws://10.1.2.3/?access_token=SECRET_TOKEN", "http://127.0.0.1:1/",
                          "garbage"}) {
    Status status = RunClient(*client, url);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << url;
    EXPECT_EQ(status.ToString().find("SECRET_TOKEN"), std::string::npos);
  }
}

TEST_F(WsClientTest, SendWhenNotConnectedIsDropped) {
  auto client = MakeClient();
  client->SendText("x");
  client->Close();
  EXPECT_FALSE(client->connected());
}

TEST_F(WsClientTest, CloseWhileWritesAreQueuedIsBoundedAndClean) {
  TestWsServer server(TestWsServer::Mode::kSilent);
  auto client = MakeClient();
  WsHandlers handlers;
  handlers.on_open = [&] {
    for (int i = 0; i < 50; ++i) client->SendBinary(std::string(64 * 1024, 'x'));
    client->Close();
  };
  Status status = RunClient(*client, server.url(), handlers);
  EXPECT_TRUE(status.ok()) << status.ToString();
}

TEST_F(WsClientTest, WssVerifiesTheCertificate) {
  auto pki = testing::MakeTestPki();
  TestWsServer server(TestWsServer::Mode::kEcho,
                      testing::MakeServerTls(pki.server_cert_pem, pki.server_key_pem));
  {
    auto client = MakeClient();
    Status untrusted = RunClient(*client, server.url());
    EXPECT_EQ(untrusted.code(), StatusCode::kConnectFailed) << untrusted.ToString();
  }
  tls_ = MakeClientTlsContext(pki.ca_cert_pem).value();
  auto client = MakeClient();
  std::vector<std::string> got;
  WsHandlers handlers;
  handlers.on_open = [&] { client->SendText("ping"); };
  handlers.on_text = [&](std::string_view m) {
    got.emplace_back(m);
    if (got.size() == 2) client->Close();
  };
  Status status = RunClient(*client, server.url(), handlers);
  EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(got, (std::vector<std::string>{"hello", "ping"}));
}

}  // namespace
}  // namespace zm::net
