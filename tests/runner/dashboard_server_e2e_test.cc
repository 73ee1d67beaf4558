// The dashboard's Beast server on a real loopback socket (in-process, its own io thread): the
// token gate (403), the page, /snapshot.json, the event stream's framing and pushes, and a
// stuck client dropped without holding the others up.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <future>
#include <thread>

#include "runner/dashboard_server.h"
#include "support/sim_harness.h"

namespace zm::runner {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
constexpr const char* kToken = "00112233445566778899aabbccddeeff";

class DashboardServerE2eTest : public ::testing::Test {
 protected:
  void Start(DashboardOptions options) {
    options.token = kToken;
    if (!options.snapshot) {
      options.snapshot = [this] { return "{\"n\":" + std::to_string(++snapshots_) + "}"; };
    }
    auto started = DashboardServer::Start(io_.get_executor(), std::move(options));
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    server_ = std::move(*started);
    thread_ = std::thread([this] { io_.run(); });
  }
  // Runs `f` on the server's thread (the server is not thread-safe) and returns its value.
  template <typename F>
  auto OnIo(F f) {
    std::packaged_task<decltype(f())()> task(f);
    auto result = task.get_future();
    boost::asio::post(io_, [&task] { task(); });
    EXPECT_EQ(result.wait_for(seconds(5)), std::future_status::ready);
    return result.get();
  }
  uint16_t port() const { return server_->port(); }
  void TearDown() override {
    if (server_) OnIo([this] { server_->Stop(); });
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }

  boost::asio::io_context io_;
  std::unique_ptr<DashboardServer> server_;
  std::thread thread_;
  std::atomic<int> snapshots_{0};
};

// A raw loopback connection with a receive timeout (every read bounded).
class RawClient {
 public:
  RawClient(uint16_t port, int rcvbuf = 0) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (rcvbuf > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
    timeval tv{0, 200000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~RawClient() { ::close(fd_); }
  bool Send(const std::string& text) {
    return connected_ &&
           ::send(fd_, text.data(), text.size(), MSG_NOSIGNAL) == ssize_t(text.size());
  }
  // Reads until `received` holds `count` occurrences of `needle` or the connection ends.
  bool ReadUntil(const std::string& needle, int count, milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (Count(needle) >= count) return true;
      char buf[4096];
      const ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n == 0) return Count(needle) >= count;
      if (n > 0) received.append(buf, static_cast<size_t>(n));
    }
    return Count(needle) >= count;
  }
  int Count(const std::string& needle) const {
    int n = 0;
    for (size_t at = received.find(needle); at != std::string::npos;
         at = received.find(needle, at + 1)) {
      ++n;
    }
    return n;
  }
  std::string received;

 private:
  int fd_ = -1;
  bool connected_ = false;
};

std::string Get(const std::string& target) {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}

TEST_F(DashboardServerE2eTest, EveryRequestWithoutTheTokenIs403) {
  Start({});
  for (const char* target : {"/", "/events", "/snapshot.json", "/?token=wrong", "/favicon.ico"}) {
    auto r = testing::HttpCall(port(), "GET", target);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->status, 403) << target;
    EXPECT_EQ(r->body.find("mtm-chart"), std::string::npos);
  }
  EXPECT_EQ(snapshots_.load(), 0);  // nothing was read for a refused request
}

TEST_F(DashboardServerE2eTest, ServesThePageAndTheSnapshotWithTheToken) {
  Start({});
  const std::string q = std::string("?token=") + kToken;
  auto page = testing::HttpCall(port(), "GET", "/" + q);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->content_type, "text/html; charset=utf-8");
  EXPECT_NE(page->body.find("id=\"mtm-chart\""), std::string::npos);
  EXPECT_NE(page->body.find("id=\"positions-table\""), std::string::npos);
  // Nothing fetched from elsewhere: no script/style/font URLs (the SVG namespace is only a name).
  EXPECT_EQ(page->body.find("src="), std::string::npos);
  EXPECT_EQ(page->body.find("https:"), std::string::npos);
  auto snap = testing::HttpCall(port(), "GET", "/snapshot.json" + q);
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ(snap->status, 200);
  EXPECT_TRUE(snap->Json().contains("n")) << snap->body;
  auto missing = testing::HttpCall(port(), "GET", "/nothing" + q);
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->status, 404);
  auto post = testing::HttpCall(port(), "POST", "/" + q, "x");
  ASSERT_TRUE(post.ok());
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(server_->url(), "http://127.0.0.1:" + std::to_string(port()) + "/" + q);
}

TEST_F(DashboardServerE2eTest, EventStreamPushesFramedSnapshots) {
  DashboardOptions options;
  options.push_interval = milliseconds(50);
  Start(std::move(options));
  RawClient client(port());
  ASSERT_TRUE(client.Send(Get(std::string("/events?token=") + kToken)));
  ASSERT_TRUE(client.ReadUntil("event: snapshot\ndata: {\"n\":", 3, seconds(10)))
      << client.received;
  EXPECT_EQ(client.received.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << client.received;
  EXPECT_NE(client.received.find("Content-Type: text/event-stream\r\n"), std::string::npos);
  EXPECT_NE(client.received.find("\r\n\r\nretry: 2000\n\nevent: snapshot\n"), std::string::npos);
  EXPECT_EQ(OnIo([this] { return server_->streams(); }), 1u);
}

TEST_F(DashboardServerE2eTest, ChangedDataGoesOutBeforeThePushInterval) {
  std::atomic<bool> changed{false};
  DashboardOptions options;
  options.push_interval = seconds(60);  // only `changed` can cause a push within the test
  options.poll_interval = milliseconds(20);
  options.changed = [&changed] { return changed.exchange(false); };
  Start(std::move(options));
  RawClient client(port());
  ASSERT_TRUE(client.Send(Get(std::string("/events?token=") + kToken)));
  ASSERT_TRUE(client.ReadUntil("event: snapshot", 1, seconds(5))) << client.received;
  changed = true;
  ASSERT_TRUE(client.ReadUntil("event: snapshot", 2, seconds(10))) << client.received;
  EXPECT_NE(client.received.find("data: {\"n\":2}"), std::string::npos) << client.received;
}

TEST_F(DashboardServerE2eTest, EventStreamWithoutTheTokenIs403) {
  Start({});
  RawClient client(port());
  ASSERT_TRUE(client.Send(Get("/events?token=0")));
  ASSERT_TRUE(client.ReadUntil("\r\n\r\n", 1, seconds(5)));
  EXPECT_EQ(client.received.rfind("HTTP/1.1 403", 0), 0u) << client.received;
  EXPECT_EQ(client.received.find("event:"), std::string::npos);
}

TEST_F(DashboardServerE2eTest, AStuckClientIsDroppedAndOthersKeepTheirUpdates) {
  DashboardOptions options;
  options.push_interval = milliseconds(20);
  options.write_timeout = milliseconds(1000);
  // Large snapshots (256 KiB) fill a client that never reads within a few pushes.
  options.snapshot = [this] {
    return "{\"n\":" + std::to_string(++snapshots_) + ",\"pad\":\"" + std::string(256 * 1024, 'x') +
           "\"}";
  };
  Start(std::move(options));
  RawClient stuck(port(), /*rcvbuf=*/4096);
  ASSERT_TRUE(stuck.Send(Get(std::string("/events?token=") + kToken)));
  ASSERT_TRUE(testing::WaitUntil([&] { return OnIo([this] { return server_->streams(); }) == 1; },
                                 seconds(5)));
  // Never read by `stuck`: the server drops it (queue full or write timeout), bounded.
  ASSERT_TRUE(testing::WaitUntil(
      [&] { return OnIo([this] { return server_->dropped_streams(); }) >= 1; }, seconds(20)));
  EXPECT_EQ(OnIo([this] { return server_->streams(); }), 0u);
  // The server still answers at once.
  auto page =
      testing::HttpCall(port(), "GET", std::string("/?token=") + kToken, "", {}, seconds(2));
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->status, 200);
}

}  // namespace
}  // namespace zm::runner
