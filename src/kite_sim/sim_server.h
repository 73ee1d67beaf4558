// KiteSim: the Kite Connect simulator server. One TCP port on 127.0.0.1 serves the REST API,
// the ticker WebSocket (upgrade on "/") and the /_sim/ control API (docs/ARCHITECTURE.md).
//
// Ownership: KiteSim owns the Market (prices), the Broker (orders, positions), the Faults and
// every connection. Background loops: a market tick loop (scenario tick interval: prices move,
// ticks and heartbeats go out) and an order engine loop (10 ms: orders change state, order text
// frames go out). Threading: everything runs on the one io_context given to the constructor,
// which must be run by a single thread; call Listen()/Start() before running it and Shutdown()
// from that thread (post it), after which run() returns once every connection has closed.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "common/kite/tick.h"
#include "kite_sim/broker.h"
#include "kite_sim/faults.h"
#include "kite_sim/gtt.h"
#include "kite_sim/market.h"
#include "kite_sim/rate_limits.h"
#include "kite_sim/scenario.h"
#include "kite_sim/sim_clock.h"

namespace zm::sim {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// One ticker connection: its subscriptions and its outgoing queue (one write in flight).
struct WsPeer {
  explicit WsPeer(boost::beast::tcp_stream&& stream) : ws(std::move(stream)) {}
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws;
  std::map<uint32_t, kite::TickMode> subscribed;
  std::deque<std::pair<std::string, bool>> outbox;  // message, binary
  bool writing = false;
  bool closed = false;
  int64_t last_sent_ms = 0;
};

class KiteSim {
 public:
  KiteSim(boost::asio::io_context& ioc, Scenario scenario, uint64_t seed);
  ~KiteSim();
  KiteSim(const KiteSim&) = delete;
  KiteSim& operator=(const KiteSim&) = delete;

  // Binds 127.0.0.1:port (0 = any free port) and returns the bound port.
  Result<uint16_t> Listen(uint16_t port);
  // Starts accepting and the background loops, and applies the scenario's start faults.
  void Start();
  // The simulator's now = the wall clock + offset_ms (kite_sim --clock-offset-ms) instead of the
  // default fixed trading time (sim_clock.h). Call before Start().
  void SetClockOffset(int64_t offset_ms) { clock_.SetWallOffset(offset_ms); }
  // Stops accepting, closes every connection and timer. Idempotent.
  void Shutdown();

 private:
  // The answer to one HTTP request, plus how long to hold it before writing. no_answer: after
  // the hold the connection is closed without any answer (a POST lost in the gateway).
  struct Reply {
    HttpResponse response;
    std::chrono::milliseconds hold{0};
    bool no_answer = false;
  };
  // An order POST that the OMS takes later (late_create fault).
  struct LateOrder {
    int64_t due_ms = 0;
    std::string variety;
    std::vector<std::pair<std::string, std::string>> params;
    size_t log_index = 0;  // its entry in order_log_
  };

  boost::asio::awaitable<void> AcceptLoop();
  boost::asio::awaitable<void> HttpSession(boost::asio::ip::tcp::socket socket);
  boost::asio::awaitable<void> MarketLoop();
  boost::asio::awaitable<void> OrderLoop();

  // --- rest_api.cc
  Reply Handle(const HttpRequest& request);
  Reply HandleRest(const HttpRequest& request, const std::string& path,
                   const std::vector<std::pair<std::string, std::string>>& query);
  static Reply Answer(HttpResponse response);
  Reply HandleSession(const HttpRequest& request);
  bool Authorized(const HttpRequest& request) const;
  // Kite's order JSON as the REST/WS answers show it now (tags_only_in_array fault applied).
  nlohmann::json OrderJson(const kite::Order& order) const;
  std::string OrderFrame(const kite::Order& order) const;  // {"type":"order","data":...}

  // --- rest_orders.cc
  Reply HandleOrderRequest(const HttpRequest& request, const std::string& path);
  Reply PlaceOrder(const std::string& variety, const HttpRequest& request, int64_t now);
  void LogOrderRequest(const HttpRequest& request, const std::string& path, int64_t at_ms,
                       const Reply& reply);
  // Creates the late orders whose time has come and places the legs of GTTs that fired.
  void RunLateOrders(int64_t now_ms);
  void RunGtts(int64_t now_ms);
  OmsTiming CurrentOms() const;
  int PositionsLagMs() const;

  // --- rest_market.cc
  Reply HandleQuote(const std::string& path,
                    const std::vector<std::pair<std::string, std::string>>& query);
  Reply HandleInstruments(const HttpRequest& request, const std::vector<std::string>& segments);
  Reply HandleGtt(const HttpRequest& request, const std::vector<std::string>& segments);
  GttBook::Lookup GttLookup() const;
  nlohmann::json GttJson(const kite::Gtt& gtt) const;
  nlohmann::json FullQuoteJson(const SimInstrument& instrument) const;

  // --- control_api.cc
  Reply HandleControl(const HttpRequest& request, const std::string& path);
  nlohmann::json StateJson() const;
  nlohmann::json StatsJson() const;
  // POST /_sim/clock and /_sim/start_of_day bodies; the answer or an error text.
  Result<nlohmann::json> SetClock(const nlohmann::json& body);
  Result<nlohmann::json> StartOfDay(const nlohmann::json& body);
  nlohmann::json ClockJson() const;

  // --- ws_hub.cc
  boost::asio::awaitable<void> WsSession(boost::beast::tcp_stream stream, HttpRequest request);
  void OnWsText(const std::shared_ptr<WsPeer>& peer, const std::string& text);
  void Send(const std::shared_ptr<WsPeer>& peer, std::string message, bool binary);
  boost::asio::awaitable<void> WriteLoop(std::shared_ptr<WsPeer> peer);
  void BroadcastTicks();
  void SendTicks(const std::shared_ptr<WsPeer>& peer, const std::set<uint32_t>& tokens);
  void SendHeartbeats();
  void BroadcastText(const std::string& text);
  void DropAllWs();

  // Runs the order engine now and sends order text frames for every change.
  void RunOrderEngine();
  int64_t NowMs() const;        // the simulator's clock (epoch ms): what Kite's answers show
  int64_t MonotonicMs() const;  // steady ms: fault windows and rate-limit windows
  int64_t WallNowMs() const;    // the machine's wall clock (order log at_ms)
  double SecondsSinceStart() const;

  boost::asio::io_context& ioc_;
  Scenario scenario_;
  SimClock clock_;  // before broker_: the broker starts at the clock's now
  Market market_;
  Broker broker_;
  Faults faults_;
  GttBook gtts_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer market_timer_, order_timer_;
  std::chrono::steady_clock::time_point started_;
  std::vector<std::shared_ptr<WsPeer>> peers_;
  std::set<boost::beast::tcp_stream*> http_streams_;  // open HTTP connections (for Shutdown)
  std::set<boost::asio::steady_timer*> hold_timers_;  // answers being held (for Shutdown)
  RateLimits order_limits_;                           // 10/s, 400/min, 5000/day (scenario broker.*)
  RateLimits quote_limits_;                           // GET /quote*: quote_rate_limit per second
  RateLimits other_limits_;  // every other Kite REST request: other_rate_limit per second
  std::vector<LateOrder> late_orders_;
  nlohmann::json order_log_ = nlohmann::json::array();
  int ws_upgrades_ = 0, ws_upgrades_refused_ = 0;
  bool stopping_ = false;
};

}  // namespace zm::sim
