// FakeKite: an in-memory broker implementing kite::KiteApi for the engine's unit tests.
// Records every order request; scriptable answers per PlaceOrder call (timeouts after creating,
// 5xx, 429, input refusals), instruments whose MARKET orders are RMS-rejected, resting orders,
// partial fills, failing reads. Positions move when orders fill. Single-threaded.
#pragma once

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/kite/kite_api.h"

namespace zm::monitor::testing {

enum class PlaceScript {
  kOk,
  kTimeoutAfterCreate,   // the order is created, the caller sees a timeout
  kTimeoutNoCreate,      // nothing created, the caller sees a timeout
  kHttp503,              // nothing created, 503
  kRateLimited,          // nothing created, 429
  kInputError,           // nothing created, 400 InputException
};

class FakeKite final : public kite::KiteApi {
 public:
  std::map<std::string, kite::Position> positions;  // by "EX:SYM:PRODUCT"
  std::vector<kite::Order> book;
  std::deque<PlaceScript> place_script;  // consumed per PlaceOrder; empty = kOk
  std::vector<kite::OrderRequest> placed;  // every PlaceOrder call, in order
  std::vector<std::string> cancelled, modified;
  std::vector<std::string> market_blocked;  // tradingsymbols whose MARKET is RMS-rejected
  bool rest_orders = false;                 // new orders stay OPEN unfilled
  double partial_fraction = 0;              // fills this fraction, rest stays OPEN
  bool fill_on_modify = false;              // a modified resting order fills
  int orders_failures = 0, positions_failures = 0;  // next N reads fail (kTimeout)
  double ltp = 100;
  int partial_orders = 1 << 30;  // only the first N created orders fill partially
  std::vector<std::string> events;  // "place:TAG", "cancel:ID", "modify:ID" in call order
  // Positions reads number [stale_from, stale_from + stale_count) (1-based) answer this stale
  // snapshot: the broker's positions lagging its order book.
  std::map<std::string, kite::Position> stale_snapshot;
  int stale_from = 0, stale_count = 0, positions_reads = 0;
  // Called with every order as created (before it is added to the book).
  std::function<void(kite::Order&)> on_create;

  void AddPosition(std::string exchange, std::string symbol, std::string product, long long qty) {
    kite::Position p;
    p.exchange = std::move(exchange);
    p.tradingsymbol = std::move(symbol);
    p.product = std::move(product);
    p.quantity = qty;
    positions[p.exchange + ":" + p.tradingsymbol + ":" + p.product] = p;
  }
  void AddOpenOrder(std::string status, std::string symbol) {
    kite::Order o;
    o.order_id = "manual" + std::to_string(book.size());
    o.status = std::move(status);
    o.tradingsymbol = std::move(symbol);
    o.exchange = "NFO";
    o.variety = "regular";
    book.push_back(o);
  }
  long long NetQuantity() const {
    long long open = 0;
    for (auto& [k, p] : positions) open += std::llabs(p.quantity);
    return open;
  }
  int PlacedWithTag(const std::string& tag) const {
    return static_cast<int>(std::count_if(placed.begin(), placed.end(),
                                          [&](auto& r) { return r.tag == tag; }));
  }
  kite::Order* FindOrder(const std::string& id) {
    for (auto& o : book)
      if (o.order_id == id) return &o;
    return nullptr;
  }

  kite::Async<kite::Profile> GetProfile() override { co_return kite::Profile{}; }
  kite::Async<kite::Positions> GetPositions() override {
    if (positions_failures > 0) {
      --positions_failures;
      co_return Status(StatusCode::kTimeout, "fake positions timeout");
    }
    ++positions_reads;
    const bool stale = positions_reads >= stale_from && positions_reads < stale_from + stale_count;
    kite::Positions out;
    for (auto& [k, p] : stale ? stale_snapshot : positions) out.net.push_back(p);
    co_return out;
  }
  kite::Async<std::vector<kite::Order>> GetOrders() override {
    if (orders_failures > 0) {
      --orders_failures;
      co_return Status(StatusCode::kTimeout, "fake orders timeout");
    }
    co_return book;
  }
  kite::Async<std::vector<kite::Order>> GetOrderHistory(std::string) override {
    co_return std::vector<kite::Order>{};
  }
  kite::Async<std::vector<kite::Trade>> GetTrades() override { co_return std::vector<kite::Trade>{}; }
  kite::Async<kite::LtpQuotes> GetLtp(std::vector<std::string> keys) override {
    kite::LtpQuotes out;
    for (auto& k : keys) out[k].last_price = ltp;
    co_return out;
  }
  kite::Async<std::string> PlaceOrder(kite::OrderRequest request) override {
    placed.push_back(request);
    events.push_back("place:" + request.tag);
    PlaceScript script = PlaceScript::kOk;
    if (!place_script.empty()) {
      script = place_script.front();
      place_script.pop_front();
    }
    switch (script) {
      case PlaceScript::kTimeoutNoCreate:
        co_return Status(StatusCode::kTimeout, "fake read timeout");
      case PlaceScript::kHttp503: {
        Status s(StatusCode::kBroker, "Service unavailable");
        co_return s.WithHttp(503, "NetworkException");
      }
      case PlaceScript::kRateLimited: {
        Status s(StatusCode::kRateLimited, "Too many requests");
        co_return s.WithHttp(429, "NetworkException");
      }
      case PlaceScript::kInputError: {
        Status s(StatusCode::kBroker, "Invalid quantity");
        co_return s.WithHttp(400, "InputException");
      }
      default:
        break;
    }
    std::string id = Create(request);
    if (script == PlaceScript::kTimeoutAfterCreate) {
      co_return Status(StatusCode::kTimeout, "fake read timeout");
    }
    co_return id;
  }
  kite::Async<std::string> ModifyOrder(std::string, std::string id, kite::OrderModify m) override {
    modified.push_back(id);
    events.push_back("modify:" + id);
    kite::Order* o = FindOrder(id);
    if (!o || kite::IsTerminalStatus(o->status)) co_return Status(StatusCode::kBroker, "not open");
    o->price = m.price;
    if (fill_on_modify) Fill(*o, o->pending_quantity);
    co_return id;
  }
  kite::Async<std::string> CancelOrder(std::string, std::string id) override {
    cancelled.push_back(id);
    events.push_back("cancel:" + id);
    kite::Order* o = FindOrder(id);
    if (!o || kite::IsTerminalStatus(o->status)) co_return Status(StatusCode::kBroker, "not open");
    o->status = "CANCELLED";
    o->cancelled_quantity = o->pending_quantity;
    o->pending_quantity = 0;
    co_return id;
  }
  kite::Async<std::string> GetInstrumentsCsv() override {
    co_return Status(StatusCode::kConnectFailed, "no instruments in the fake");
  }
  kite::Async<kite::FullQuotes> GetQuote(std::vector<std::string>) override {
    co_return kite::FullQuotes{};
  }
  kite::Async<std::vector<kite::Gtt>> GetGtts() override { co_return std::vector<kite::Gtt>{}; }
  kite::Async<std::vector<kite::Holding>> GetHoldings() override {
    co_return std::vector<kite::Holding>{};
  }
  kite::Async<long long> DeleteGtt(long long id) override { co_return id; }
  kite::Async<kite::SessionToken> CreateSession(std::string, std::string) override {
    co_return kite::SessionToken{};
  }

 private:
  std::string Create(const kite::OrderRequest& r) {
    kite::Order o;
    o.order_id = "fake" + std::to_string(book.size() + 1);
    o.tag = r.tag;
    o.exchange = r.exchange;
    o.tradingsymbol = r.tradingsymbol;
    o.product = r.product;
    o.transaction_type = r.transaction_type;
    o.order_type = r.order_type;
    o.quantity = r.quantity;
    o.pending_quantity = r.quantity;
    o.price = r.price;
    o.market_protection = r.market_protection;
    o.variety = "regular";
    o.status = "OPEN";
    bool blocked = std::find(market_blocked.begin(), market_blocked.end(), r.tradingsymbol) !=
                   market_blocked.end();
    if (blocked && r.order_type == "MARKET") {
      o.status = "REJECTED";
      o.status_message = "RMS:Rule: Market orders are blocked for stock option contracts.";
      o.pending_quantity = 0;
    } else if (partial_fraction > 0 && partial_orders-- > 0) {
      Fill(o, static_cast<long long>(r.quantity * partial_fraction));
    } else if (!rest_orders) {
      Fill(o, r.quantity);
    }
    if (on_create) on_create(o);
    book.push_back(o);
    return o.order_id;
  }
  void Fill(kite::Order& o, long long qty) {
    qty = std::min(qty, o.pending_quantity);
    o.filled_quantity += qty;
    o.pending_quantity -= qty;
    o.average_price = ltp;
    if (o.pending_quantity == 0) o.status = "COMPLETE";
    auto& p = positions[o.exchange + ":" + o.tradingsymbol + ":" + o.product];
    p.exchange = o.exchange;
    p.tradingsymbol = o.tradingsymbol;
    p.product = o.product;
    p.quantity += o.transaction_type == "BUY" ? qty : -qty;
  }
};

}  // namespace zm::monitor::testing
