// VirtualBroker + VirtualRun: a deterministic, in-memory stand-in for the broker and the driver,
// on virtual time, so that RunMachine (pure) can be run through whole square-offs with faults in
// milliseconds of real time: positions that lag fills, POSTs that time out after (or without)
// creating their order, orders created late, failing book / positions reads, orders that rest,
// refusals with Kite's texts, the trader's open stop orders. Test-only.
#pragma once

#include <fmt/format.h>

#include <functional>
#include <map>
#include <queue>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "mtm_monitor/squareoff/run_machine.h"
#include "mtm_monitor/squareoff/tags.h"

namespace zm::monitor::testing {

struct VirtualInstrument {
  std::string exchange, tradingsymbol, underlying;
  long long lot_size = 1;
  long long freeze = 0;  // 0 = none
  bool market_blocked = false;
};

class VirtualBroker {
 public:
  // --- set-up
  void AddInstrument(VirtualInstrument i) { instruments_[i.exchange + ":" + i.tradingsymbol] = i; }
  void SetPosition(const std::string& key, long long quantity) { truth_[key] = quantity; }
  // A trader's open order (e.g. a stop-loss) on an instrument; it fills (re-opening or closing)
  // at `fill_at_ms` unless cancelled first.
  std::string AddTraderOrder(const std::string& key, const std::string& side, long long qty,
                             long long fill_at_ms);

  // --- faults
  long long positions_lag_ms = 0;
  int fail_book_reads = 0, fail_positions_reads = 0;
  int timeouts_after_create = 0;    // next N POSTs: order created, the answer is a timeout
  int timeouts_without_create = 0;  // next N POSTs: nothing created, a timeout
  long long late_create_ms = -1;    // with timeouts_without_create: created this much later
  int book_delay_ms = 0;            // a new order shows in the book only after this
  bool rest_market = false;         // MARKET orders rest OPEN (protection not reached)
  int fill_delay_ms = 40;

  // --- the API, at virtual time now_ms
  Result<std::vector<kite::Order>> Book(long long now_ms);
  Result<kite::Positions> Positions(long long now_ms);
  PlaceAnswer Place(const JournaledOrder& row, long long now_ms);
  Status Cancel(const std::string& order_id, long long now_ms);
  Status Modify(const std::string& order_id, double price, long long now_ms);
  void Advance(long long now_ms);  // fills and late creations due by now

  // --- what happened
  std::map<std::string, long long> truth() const { return truth_; }
  int tag_sent_twice() const;   // tags that reached the book more than once
  long long overshoot() const;  // units closed beyond flat, over all keys
  std::vector<std::string> placed_tags;
  int cancels_of_trader_orders = 0;

 private:
  struct Order {
    kite::Order o;
    std::string key;
    long long created_ms = 0, fill_at_ms = 0;
    bool trader = false;
  };
  void Create(const JournaledOrder& row, long long now_ms, long long id_time);
  void ApplyFill(Order& order, long long now_ms);

  std::map<std::string, VirtualInstrument> instruments_;
  std::map<std::string, long long> truth_;
  std::vector<std::pair<long long, std::pair<std::string, long long>>>
      fill_log_;  // time, key, delta
  std::vector<Order> orders_;
  std::vector<std::pair<long long, JournaledOrder>> late_;
  std::map<std::string, long long> start_;  // first quantity seen per key (for overshoot)
  long long next_id_ = 1;
};

// Runs a RunMachine against a VirtualBroker on virtual time, answering every action after
// `latency_ms`. Returns when the machine finished or `limit_ms` passed.
class VirtualRun {
 public:
  VirtualRun(VirtualBroker& broker, RunMachine& machine) : broker_(broker), machine_(machine) {}
  long long latency_ms = 20;
  bool Run(long long limit_ms = 300'000);
  long long now_ms() const { return now_; }
  std::map<std::string, JournaledOrder> journal;  // by tag, as the driver would persist it
  std::vector<LedgerEntry> ledger;
  std::set<std::string> cancelled_trader_orders;
  std::vector<std::string> log;
  std::optional<long long> first_place_ms;

 private:
  Instant At(long long ms) const {
    return {MonoTime(std::chrono::milliseconds(ms)), 1'800'000'000'000 + ms};
  }
  void Execute(RunActions actions);
  void Later(long long delay, std::function<RunActions()> event);

  VirtualBroker& broker_;
  RunMachine& machine_;
  long long now_ = 0;
  long long seq_ = 0;
  std::map<std::pair<long long, long long>, std::function<RunActions()>> events_;
};

}  // namespace zm::monitor::testing
