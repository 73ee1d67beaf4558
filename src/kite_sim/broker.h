// Broker: the simulated account: order book with Kite's states and history rows, fills, trades
// and positions (net and day) computed exactly as Kite does. Orders go
// OPEN PENDING -> (accept latency + OMS delay) -> OPEN / TRIGGER PENDING / REJECTED ->
// (fill latency) -> filled against the market's depth, partly or wholly, or CANCELLED by DELETE.
//
// Kite's book shapes: a MARKET order sent with market_protection rests as a LIMIT at the
// protection price (order_rules.h ProtectionPrice) with tags `mktp`, `mktp:<pct>`; autosliced
// orders are split at the freeze limit and every slice carries `autoslice`,
// `autoslice:<first slice id>`; `tags` also holds the request's tag.
//
// Two views: the truth (Orders, History, Positions: the control API, tests) and what Kite's
// REST answers show at a given time (BookOrders/BookHistory hide an order during the OMS
// book delay; PositionsAsOf shows only fills made up to a time, for lagging positions).
//
// The account also has positions carried from the previous day (valued at their entry price for
// pnl and at the previous close for m2m, broker_positions.cc) and equity holdings: a CNC SELL of
// a held share uses the holding (used_quantity) and shows as a negative CNC position row.
// StartOfDay() turns the day's net rows into tomorrow's carried rows and holdings. Regular orders
// are refused outside each exchange's session (sessions.h) unless the scenario turns it off.
// Pure logic: every call gets the time (epoch ms). Not thread-safe: one owner (the sim's thread).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "common/kite/models.h"
#include "kite_sim/market.h"
#include "kite_sim/order_rules.h"
#include "kite_sim/scenario.h"

namespace zm::sim {

// The answer to an order request, as the REST layer sends it.
struct BrokerAnswer {
  int http_status = 200;
  std::string error_type;  // "" when OK
  std::string message;
  std::string order_id;               // autoslice: the first slice
  std::vector<std::string> children;  // autoslice: the slices after the first, in order
  bool ok() const { return http_status == 200; }
};

// How fills behave now (faults): rest = no fills; partial_fraction in (0,1) = first fill is that
// fraction (in whole lots, at least one), the rest waits until the fraction is 0 again.
struct FillPolicy {
  bool rest = false;
  double partial_fraction = 0;
};

// A slow OMS: new orders stay OPEN PENDING open_pending_ms longer, and are missing from the
// book (BookOrders/BookHistory) for their first book_delay_ms.
struct OmsTiming {
  int open_pending_ms = 0;
  int book_delay_ms = 0;
};

class Broker {
 public:
  Broker(const Scenario& scenario, Market* market, int64_t now_ms);

  // Applies to orders placed from now on.
  void SetOmsTiming(OmsTiming timing) { oms_ = timing; }

  BrokerAnswer Place(const std::string& variety, const FormParams& params, int64_t now_ms);
  BrokerAnswer Modify(const std::string& variety, const std::string& order_id,
                      const FormParams& params, int64_t now_ms);
  BrokerAnswer Cancel(const std::string& variety, const std::string& order_id, int64_t now_ms);
  // A trade made in the Kite app: an untagged COMPLETE order plus its fill. Signed quantity.
  BrokerAnswer ExternalTrade(const std::string& exchange, const std::string& tradingsymbol,
                             const std::string& product, long long quantity, double price,
                             int64_t now_ms);

  // Moves orders whose time has come. Returns the orders whose state changed (latest row each).
  std::vector<kite::Order> Process(int64_t now_ms, const FillPolicy& policy);

  // The truth.
  std::vector<kite::Order> Orders() const;
  const std::vector<kite::Order>* History(const std::string& order_id) const;
  std::vector<kite::Trade> Trades() const { return trades_; }
  kite::Positions Positions() const;
  // What Kite's REST shows at now_ms / with positions reflecting fills made up to as_of_ms.
  std::vector<kite::Order> BookOrders(int64_t now_ms) const;
  const std::vector<kite::Order>* BookHistory(const std::string& order_id, int64_t now_ms) const;
  kite::Positions PositionsAsOf(int64_t as_of_ms) const;
  std::vector<kite::Holding> Holdings() const;

  // Kite's start-of-day run: every open net row becomes a carried row (entry = its average
  // price, previous close = closes["EX:SYM"] or the LTP), except CNC equity rows, which settle
  // into holdings (a buy as t1_quantity; the day's sales leave the holding); T1 holdings settle;
  // today's orders, trades and fills are cleared.
  void StartOfDay(const std::map<std::string, double>& closes, int64_t now_ms);

 private:
  struct SimOrder {
    kite::Order order;
    std::vector<kite::Order> history;
    int64_t open_at_ms = 0;
    int64_t fill_at_ms = 0;
    int64_t visible_at_ms = 0;  // absent from the book before this
    std::string rms_rejection;
    int modifications = 0;
    double protection = 0;  // the request's market_protection (the book shows 0)
    double stop_limit = 0;  // SL-M: the protection price fixed when the trigger hit
  };
  using BookKey = std::tuple<std::string, std::string, std::string>;  // exchange, symbol, product
  struct FillRecord {
    BookKey key;
    bool buy = false;
    long long quantity = 0;
    double price = 0;
    int64_t at_ms = 0;
  };
  struct Book {  // one position row: carried quantity + today's fills
    uint32_t token = 0;
    double multiplier = 1;
    long long carried_qty = 0;  // signed
    double entry_price = 0, close = 0;
    long long buy_qty = 0, sell_qty = 0;  // today's
    double buy_value = 0, sell_value = 0;
  };
  struct CarriedRow {
    BookKey key;
    long long quantity = 0;  // signed
    double entry_price = 0, close = 0;
  };
  struct HoldingRow {
    std::string exchange, tradingsymbol, isin;
    long long quantity = 0, t1_quantity = 0, used_quantity = 0;
    double average_price = 0;
  };

  std::string NextOrderId() const;
  SimOrder& NewOrder(const OrderInput& in, const SimInstrument& inst, const std::string& variety,
                     const std::string& autoslice_parent, int64_t now_ms);
  void SetStatus(SimOrder& o, const std::string& status, const std::string& message,
                 int64_t now_ms);
  bool TryFill(SimOrder& o, int64_t now_ms, const FillPolicy& policy);
  void Fill(SimOrder& o, long long quantity, double price, int64_t now_ms);
  void ApplyFill(const std::string& exchange, const std::string& symbol, const std::string& product,
                 bool buy, long long quantity, double price, int64_t at_ms);
  Book& BookFor(std::map<BookKey, Book>& books, const BookKey& key) const;
  kite::Position MakePosition(const BookKey& key, const Book& book, bool day_only) const;
  void AddToHolding(const std::string& exchange, const std::string& symbol, long long quantity,
                    double price);
  // Kite's answer when regular orders on `exchange` are refused at now_ms; nullopt when open.
  std::optional<BrokerAnswer> MarketClosed(const std::string& exchange, int64_t now_ms) const;
  long long FreezeLimit(const SimInstrument& inst) const;
  BrokerAnswer Error(int http, const char* type, std::string message) const;
  // The live order a modify/cancel addresses; nullptr with Kite's answer in *error otherwise.
  SimOrder* LiveOrder(const std::string& variety, const std::string& order_id,
                      const std::string& action, BrokerAnswer* error);

  Scenario scenario_;
  Market* market_;
  OmsTiming oms_;
  std::vector<std::string> order_ids_;  // placement order
  std::map<std::string, SimOrder> orders_;
  std::vector<kite::Trade> trades_;
  std::vector<FillRecord> fills_;  // today's fills, in time order (start positions first)
  std::vector<CarriedRow> carried_;
  std::vector<HoldingRow> holdings_;
  uint64_t next_order_ = 1, next_trade_ = 1;
};

// "YYYY-MM-DD HH:MM:SS" in IST, as Kite formats order timestamps.
std::string KiteTimestamp(int64_t epoch_ms);

}  // namespace zm::sim
