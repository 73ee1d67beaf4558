// The ticker WebSocket of KiteSim: upgrade checks, subscriptions, ticks, heartbeats and order
// text frames. Each peer has one write in flight with a queue behind it.
#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket.hpp>

#include "common/kite/models.h"
#include "kite_sim/sim_server.h"

namespace zm::sim {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

namespace {

std::optional<kite::TickMode> ModeOf(const std::string& name) {
  if (name == "ltp") return kite::TickMode::kLtp;
  if (name == "quote") return kite::TickMode::kQuote;
  if (name == "full") return kite::TickMode::kFull;
  return std::nullopt;
}

// api_key and access_token from "/?api_key=..&access_token=..".
std::pair<std::string, std::string> Credentials(const std::string& target) {
  const size_t q = target.find('?');
  std::pair<std::string, std::string> out;
  if (q == std::string::npos) return out;
  for (const auto& [key, value] : kite::ParseForm(target.substr(q + 1))) {
    if (key == "api_key") out.first = value;
    if (key == "access_token") out.second = value;
  }
  return out;
}

}  // namespace

asio::awaitable<void> KiteSim::WsSession(beast::tcp_stream stream, HttpRequest request) {
  const auto [api_key, token] = Credentials(std::string(request.target()));
  int refuse = 0;
  if (faults_.ws_refused(MonotonicMs())) {
    refuse = 503;
  } else if (faults_.token_expired() || api_key != scenario_.api_key ||
             token != scenario_.access_token) {
    refuse = 403;
  }
  if (refuse) {
    ++ws_upgrades_refused_;
    HttpResponse res;
    res.result(static_cast<http::status>(refuse));
    res.set(http::field::content_type, "application/json");
    res.body() = refuse == 403
                     ? kite::ErrorEnvelope("TokenException", "Invalid api_key or access_token.")
                     : kite::ErrorEnvelope("NetworkException", "Service unavailable");
    res.keep_alive(false);
    res.prepare_payload();
    stream.expires_after(std::chrono::seconds(5));
    co_await http::async_write(stream, res, kTuple);
    boost::system::error_code ec;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    co_return;
  }
  auto peer = std::make_shared<WsPeer>(std::move(stream));
  beast::get_lowest_layer(peer->ws).expires_never();
  peer->ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  auto [ec] = co_await peer->ws.async_accept(request, kTuple);
  if (ec || stopping_) co_return;
  ++ws_upgrades_;
  peer->last_sent_ms = NowMs();
  peers_.push_back(peer);
  beast::flat_buffer buffer;
  while (!peer->closed) {
    auto [rec, n] = co_await peer->ws.async_read(buffer, kTuple);
    if (rec) break;
    if (peer->ws.got_text()) OnWsText(peer, beast::buffers_to_string(buffer.data()));
    buffer.consume(buffer.size());
  }
  peer->closed = true;
  std::erase(peers_, peer);
}

void KiteSim::OnWsText(const std::shared_ptr<WsPeer>& peer, const std::string& text) {
  const nlohmann::json msg = nlohmann::json::parse(text, nullptr, false);
  if (!msg.is_object() || !msg.contains("a") || !msg.contains("v")) return;
  const std::string action = msg.value("a", "");
  const nlohmann::json& v = msg["v"];
  std::set<uint32_t> fresh;
  try {
    if (action == "subscribe" || action == "unsubscribe") {
      for (const auto& token : v) {
        const uint32_t t = token.get<uint32_t>();
        if (action == "unsubscribe") {
          peer->subscribed.erase(t);
        } else if (peer->subscribed.emplace(t, kite::TickMode::kQuote).second) {
          fresh.insert(t);
        }
      }
    } else if (action == "mode" && v.is_array() && v.size() == 2) {
      const auto mode = ModeOf(v[0].get<std::string>());
      if (!mode) return;
      for (const auto& token : v[1]) {
        auto it = peer->subscribed.find(token.get<uint32_t>());
        if (it == peer->subscribed.end()) continue;
        it->second = *mode;
        fresh.insert(it->first);
      }
    }
  } catch (const nlohmann::json::exception& e) {
    spdlog::debug("kite_sim: bad ticker request: {}", e.what());
  }
  // Kite sends a snapshot of newly subscribed (or re-moded) instruments at once.
  if (!fresh.empty() && !faults_.ticks_stopped()) SendTicks(peer, fresh);
}

void KiteSim::SendTicks(const std::shared_ptr<WsPeer>& peer, const std::set<uint32_t>& tokens) {
  std::vector<kite::Tick> ticks;
  const int64_t epoch_s = NowMs() / 1000;
  for (uint32_t token : tokens) {
    auto it = peer->subscribed.find(token);
    if (it == peer->subscribed.end() || !market_.FindByToken(token)) continue;
    ticks.push_back(market_.MakeTick(token, it->second, epoch_s));
  }
  if (!ticks.empty()) Send(peer, kite::EncodeFrame(ticks), true);
}

void KiteSim::BroadcastTicks() {
  const std::set<uint32_t> changed = market_.TakeChanged();
  if (changed.empty() || faults_.ticks_stopped()) return;
  for (const auto& peer : peers_) SendTicks(peer, changed);
}

void KiteSim::SendHeartbeats() {
  const int64_t now = NowMs();
  for (const auto& peer : peers_) {
    if (now - peer->last_sent_ms >= scenario_.heartbeat_interval_ms) {
      Send(peer, kite::HeartbeatFrame(), true);
    }
  }
}

void KiteSim::BroadcastText(const std::string& text) {
  for (const auto& peer : peers_) Send(peer, text, false);
}

void KiteSim::Send(const std::shared_ptr<WsPeer>& peer, std::string message, bool binary) {
  if (peer->closed) return;
  peer->last_sent_ms = NowMs();
  peer->outbox.emplace_back(std::move(message), binary);
  if (peer->writing) return;
  peer->writing = true;
  asio::co_spawn(ioc_, WriteLoop(peer), asio::detached);
}

asio::awaitable<void> KiteSim::WriteLoop(std::shared_ptr<WsPeer> peer) {
  while (!peer->outbox.empty() && !peer->closed) {
    const auto& [message, binary] = peer->outbox.front();
    peer->ws.binary(binary);
    auto [ec, n] = co_await peer->ws.async_write(asio::buffer(message), kTuple);
    if (ec) {
      peer->closed = true;
      break;
    }
    peer->outbox.pop_front();
  }
  peer->writing = false;
}

void KiteSim::DropAllWs() {
  for (const auto& peer : peers_) {
    peer->closed = true;
    boost::system::error_code ec;
    beast::get_lowest_layer(peer->ws).socket().close(ec);
  }
}

}  // namespace zm::sim
