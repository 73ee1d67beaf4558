#include "common/net/ws_client.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "common/net/connect.h"
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
  Status refused =
      RunClient(*client, "ws://127.0.0.1:" + std::to_string(port) + "/?access_token=SECRET_TOKEN");
  EXPECT_EQ(refused.code(), StatusCode::kConnectFailed);
  EXPECT_EQ(refused.ToString().find("SECRET_TOKEN"), std::string::npos);
  for (const char* url :
       {"ws://10.1.2.3/?access_token=SECRET_TOKEN", "http://127.0.0.1:1/", "garbage"}) {
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
  WsOptions options;
  options.phase_timeout = 1000ms;
  options.max_queued_bytes = 8 << 20;  // room for all 50 (the bound has its own test)
  auto client = WsClient::Create(ioc_.get_executor(), *tls_, options);
  WsHandlers handlers;
  handlers.on_open = [&] {
    for (int i = 0; i < 50; ++i) client->SendBinary(std::string(64 * 1024, 'x'));
    client->Close();
  };
  Status status = RunClient(*client, server.url(), handlers);
  EXPECT_TRUE(status.ok()) << status.ToString();
}

TEST_F(WsClientTest, CloseReasonFromThePeerIsSanitised) {
  TestWsServer server(TestWsServer::Mode::kHostileClose);
  auto client = MakeClient();
  Status status = RunClient(*client, server.url());
  EXPECT_EQ(status.code(), StatusCode::kConnectionLost);
  EXPECT_NE(status.message().find("bye\\n\\x1b[2Jforged\\r"), std::string::npos)
      << status.message();
  EXPECT_EQ(status.message().find_first_of("\n\r\x1b"), std::string::npos);
}

TEST_F(WsClientTest, MessageOverTheCapEndsTheSession) {
  TestWsServer server(TestWsServer::Mode::kHugeMessage);
  auto client = MakeClient();  // default cap: 1 MiB
  size_t biggest = 0;
  WsHandlers handlers;
  handlers.on_binary = [&](std::string_view m) { biggest = std::max(biggest, m.size()); };
  Status status = RunClient(*client, server.url(), handlers);
  EXPECT_EQ(status.code(), StatusCode::kConnectionLost) << status.ToString();
  EXPECT_NE(status.message().find("over 1048576 bytes"), std::string::npos) << status.message();
  EXPECT_EQ(biggest, 0u);
  // A larger cap admits it.
  WsOptions options;
  options.max_message_bytes = 4 << 20;
  auto roomy = WsClient::Create(ioc_.get_executor(), *tls_, options);
  handlers.on_binary = [&](std::string_view m) {
    biggest = m.size();
    roomy->Close();
  };
  EXPECT_TRUE(RunClient(*roomy, server.url(), handlers).ok());
  EXPECT_EQ(biggest, 2u << 20);
}

TEST_F(WsClientTest, WriteToAPeerThatStopsReadingTimesOut) {
  TestWsServer server(TestWsServer::Mode::kNoRead);
  WsOptions options;
  options.idle_timeout = 5000ms;
  options.write_timeout = 300ms;
  options.max_queued_bytes = 64 << 20;
  auto client = WsClient::Create(ioc_.get_executor(), *tls_, options);
  WsHandlers handlers;
  // Far more than the loopback socket buffers hold: the write cannot finish.
  handlers.on_open = [&] { client->SendBinary(std::string(32 << 20, 'x')); };
  const auto start = std::chrono::steady_clock::now();
  Status status = RunClient(*client, server.url(), handlers);
  EXPECT_EQ(status.code(), StatusCode::kTimeout) << status.ToString();
  EXPECT_NE(status.message().find("write not done after 300 ms"), std::string::npos)
      << status.message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4000ms) << "not the idle rule";
}

TEST_F(WsClientTest, SendQueueOverItsBoundEndsTheSession) {
  TestWsServer server(TestWsServer::Mode::kNoRead);
  auto client = MakeClient();  // default bound: 1 MiB
  WsHandlers handlers;
  handlers.on_open = [&] {
    for (int i = 0; i < 8; ++i) client->SendBinary(std::string(256 << 10, 'x'));
  };
  Status status = RunClient(*client, server.url(), handlers);
  EXPECT_EQ(status.code(), StatusCode::kConnectionLost) << status.ToString();
  EXPECT_NE(status.message().find("send queue over 1048576 bytes"), std::string::npos)
      << status.message();
}

// The loopback rule is enforced where the connection is made, whatever a caller checked.
TEST_F(WsClientTest, PlainTextConnectRefusesNonLoopbackBeforeAnyTraffic) {
  for (const char* host : {"10.255.255.1", "127.0.0.999", "example.invalid", "::2"}) {
    boost::beast::tcp_stream tcp(ioc_);
    auto status = RunFor(ioc_, ConnectTcp(tcp, host, "80", 1000ms, /*loopback_only=*/true));
    ASSERT_TRUE(status.has_value());
    EXPECT_EQ(status->code(), StatusCode::kConnectFailed) << host;
    EXPECT_NE(status->message().find("not a loopback address"), std::string::npos)
        << status->message();
  }
  TestWsServer server(TestWsServer::Mode::kSilent);
  boost::beast::tcp_stream tcp(ioc_);
  auto ok = RunFor(ioc_, ConnectTcp(tcp, "localhost", std::to_string(server.port()), 1000ms,
                                    /*loopback_only=*/true));
  ASSERT_TRUE(ok.has_value());
  EXPECT_TRUE(ok->ok()) << ok->ToString();
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
