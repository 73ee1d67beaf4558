// tick_feeder: a minimal Kite ticker for the end-to-end ingest benchmark (scripts/bench.sh).
//
// Listens on 127.0.0.1 (port 0 = any; the port is printed as {"port":N} on stdout), accepts one
// WebSocket client at a time (the real zerodha_ltp_subscriber), answers nothing but takes note
// of its {"a":"subscribe"} / {"a":"mode"} messages, and once instruments are subscribed replays
// prebuilt full-mode frames for them (500 packets a frame, every instrument once per round,
// kRounds rounds with different prices so that every round is news to the subscriber's
// coalescer) as fast as the client reads them: each write waits for the previous one, so the
// rate is set by the reader and the socket buffers. Prints {"sent_packets":N} on SIGTERM.
//   tick_feeder [--port N]
// Single thread, one io_context; never throws out of a coroutine (errors end the session).
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "common/kite/tick.h"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr int kPacketsPerFrame = 500;
constexpr int kRounds = 8;

long long sent_packets = 0;

// Every subscribed instrument once per round, kPacketsPerFrame packets a frame.
std::vector<std::string> BuildFrames(const std::set<uint32_t>& tokens) {
  std::vector<std::string> frames;
  for (int round = 0; round < kRounds; ++round) {
    std::vector<zm::kite::Tick> ticks;
    for (uint32_t token : tokens) {
      zm::kite::Tick t;
      t.instrument_token = token;
      t.mode = zm::kite::TickMode::kFull;
      t.last_price = 100.0 + round * 0.05 + (token % 97);
      t.volume = 1000000 + round;
      t.open = t.high = t.low = t.close = 100.0;
      t.last_trade_time = t.exchange_timestamp = 1764132903;
      for (int d = 0; d < 5; ++d) {
        t.bids[d] = {static_cast<uint32_t>(75 * (d + 1)), t.last_price - 0.05 * (d + 1), 3};
        t.offers[d] = {static_cast<uint32_t>(75 * (d + 1)), t.last_price + 0.05 * (d + 1), 2};
      }
      ticks.push_back(t);
      if (static_cast<int>(ticks.size()) == kPacketsPerFrame) {
        frames.push_back(zm::kite::EncodeFrame(ticks));
        ticks.clear();
      }
    }
    if (!ticks.empty()) frames.push_back(zm::kite::EncodeFrame(ticks));
  }
  return frames;
}

size_t PacketsIn(const std::string& frame) {
  return frame.size() < 2
             ? 0
             : (static_cast<unsigned char>(frame[0]) << 8) | static_cast<unsigned char>(frame[1]);
}

struct Session {
  explicit Session(tcp::socket socket) : ws(std::move(socket)) {}
  websocket::stream<tcp::socket> ws;
  std::set<uint32_t> tokens;
  bool closed = false;
};

// Subscribe / mode messages add instruments; anything else is ignored.
void NoteMessage(Session& s, const std::string& text) {
  const auto msg = nlohmann::json::parse(text, nullptr, false);
  if (!msg.is_object() || !msg.contains("a") || !msg.contains("v")) return;
  const auto& v = msg["v"];
  const nlohmann::json* list = nullptr;
  if (msg["a"] == "subscribe" && v.is_array()) list = &v;
  if (msg["a"] == "mode" && v.is_array() && v.size() == 2 && v[1].is_array()) list = &v[1];
  if (list == nullptr) return;
  for (const auto& token : *list) {
    if (token.is_number_unsigned()) s.tokens.insert(token.get<uint32_t>());
  }
}

asio::awaitable<void> ReadLoop(std::shared_ptr<Session> s) {
  beast::flat_buffer buffer;
  while (!s->closed) {
    auto [ec, n] = co_await s->ws.async_read(buffer, kTuple);
    if (ec) break;
    NoteMessage(*s, beast::buffers_to_string(buffer.data()));
    buffer.consume(buffer.size());
  }
  s->closed = true;
}

asio::awaitable<void> Serve(tcp::socket socket) {
  auto s = std::make_shared<Session>(std::move(socket));
  s->ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  auto [ec] = co_await s->ws.async_accept(kTuple);
  if (ec) co_return;
  s->ws.binary(true);
  auto ex = co_await asio::this_coro::executor;
  asio::co_spawn(ex, ReadLoop(s), asio::detached);
  asio::steady_timer timer(ex);
  // Wait for the subscription to settle (the subscriber sends subscribe, then mode).
  size_t seen = 0;
  for (int quiet = 0; !s->closed && (s->tokens.empty() || quiet < 5);) {
    timer.expires_after(std::chrono::milliseconds(100));
    co_await timer.async_wait(kTuple);
    quiet = s->tokens.size() == seen ? quiet + 1 : 0;
    seen = s->tokens.size();
  }
  const std::vector<std::string> frames = BuildFrames(s->tokens);
  std::cerr << "tick_feeder: replaying " << frames.size() << " frames for " << s->tokens.size()
            << " instruments\n";
  for (size_t i = 0; !s->closed; i = (i + 1) % frames.size()) {
    auto [wec, n] = co_await s->ws.async_write(asio::buffer(frames[i]), kTuple);
    if (wec) break;
    sent_packets += static_cast<long long>(PacketsIn(frames[i]));
  }
  s->closed = true;
}

asio::awaitable<void> Listen(tcp::acceptor& acceptor) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(kTuple);
    if (ec) co_return;
    socket.set_option(tcp::no_delay(true));
    asio::co_spawn(acceptor.get_executor(), Serve(std::move(socket)), asio::detached);
  }
}

}  // namespace

int main(int argc, char** argv) {
  unsigned short port = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--port")
      port = static_cast<unsigned short>(std::atoi(argv[i + 1]));
  }
  asio::io_context io;
  tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), port});
  std::cout << "{\"port\":" << acceptor.local_endpoint().port() << "}" << std::endl;
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) {
    std::cout << "{\"sent_packets\":" << sent_packets << "}" << std::endl;
    io.stop();
  });
  asio::co_spawn(io, Listen(acceptor), asio::detached);
  io.run();
  return 0;
}
