// Broker: the simulated account: order book with Kite's states and history rows, fills, trades
// and positions (net and day) computed exactly as Kite does. Orders go
// OPEN PENDING -> (accept latency) -> OPEN / TRIGGER PENDING / REJECTED -> (fill latency, when
// marketable) -> COMPLETE, or CANCELLED by DELETE. Prices come from the Market.
// Pure logic: every call gets the time (epoch ms). Not thread-safe: one owner (the sim's thread).
#pragma once

#include <cstdint>
#include <map>
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
  std::string order_id;
  bool ok() const { return http_status == 200; }
};

// How fills behave now (faults): rest = no fills; partial_fraction in (0,1) = first fill is that
// fraction (in whole lots, at least one), the rest waits until the fraction is 0 again.
struct FillPolicy {
  bool rest = false;
  double partial_fraction = 0;
};

class Broker {
 public:
  Broker(const Scenario& scenario, Market* market, int64_t now_ms);

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

  std::vector<kite::Order> Orders() const;
  const std::vector<kite::Order>* History(const std::string& order_id) const;
  std::vector<kite::Trade> Trades() const { return trades_; }
  kite::Positions Positions() const;

 private:
  struct SimOrder {
    kite::Order order;
    std::vector<kite::Order> history;
    int64_t open_at_ms = 0;
    int64_t fill_at_ms = 0;
    std::string rms_rejection;
    int modifications = 0;
  };
  struct Book {  // one position row: (exchange, symbol, product)
    uint32_t token = 0;
    double multiplier = 1;
    long long buy_qty = 0, sell_qty = 0;
    double buy_value = 0, sell_value = 0;
  };
  using BookKey = std::tuple<std::string, std::string, std::string>;

  SimOrder& NewOrder(const OrderInput& in, const SimInstrument& inst, const std::string& variety,
                     int64_t now_ms);
  void SetStatus(SimOrder& o, const std::string& status, const std::string& message,
                 int64_t now_ms);
  bool TryFill(SimOrder& o, int64_t now_ms, const FillPolicy& policy);
  void Fill(SimOrder& o, long long quantity, double price, int64_t now_ms);
  void ApplyFill(const std::string& exchange, const std::string& symbol, const std::string& product,
                 bool buy, long long quantity, double price);
  kite::Position MakePosition(const BookKey& key, const Book& book) const;
  BrokerAnswer Error(int http, const char* type, std::string message) const;
  // The live order a modify/cancel addresses; nullptr with Kite's answer in *error otherwise.
  SimOrder* LiveOrder(const std::string& variety, const std::string& order_id,
                      const std::string& action, BrokerAnswer* error);

  Scenario scenario_;
  Market* market_;
  std::vector<std::string> order_ids_;  // placement order
  std::map<std::string, SimOrder> orders_;
  std::vector<kite::Trade> trades_;
  std::map<BookKey, Book> books_;
  uint64_t next_order_ = 1, next_trade_ = 1;
};

// "YYYY-MM-DD HH:MM:SS" in IST, as Kite formats order timestamps.
std::string KiteTimestamp(int64_t epoch_ms);

}  // namespace zm::sim
