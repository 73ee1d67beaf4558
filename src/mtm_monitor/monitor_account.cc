// Monitor: what a real account adds to the cycle (monitor.h): holdings reads, the stored order
// updates that trigger them (and an instruments refresh for a symbol the cache lacks), the scope
// of a square-off, and the broker's "market closed" refusals.
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>

#include "common/ist.h"
#include "common/market_hours.h"
#include "mtm_monitor/monitor.h"
#include "mtm_monitor/monitor_internal.h"
#include "mtm_monitor/trigger_policy.h"

namespace zm::monitor {

namespace asio = boost::asio;

namespace {
constexpr long long kHoldingsEveryMs = 5 * 60'000;  // with no order update meanwhile
constexpr long long kHoldingsMinGapMs = 2'000;      // after an order update, at most this often
constexpr long long kMarketClosedRetryMs = 30 * 60'000;
constexpr const char* kMarketClosedNote = "(market closed)";
}  // namespace

void Monitor::NoteOrderUpdates(asio::any_io_executor ex) {
  OpenTradingDb();
  if (!trading_db_) return;
  auto rows = trading_db_->ReadOrderUpdatesAfter(std::max<long long>(updates_cursor_, 0));
  if (!rows.ok()) return;  // the positions read reports problems with the file
  const bool positioned = updates_cursor_ >= 0;
  std::vector<std::string> unknown;
  for (const OrderUpdateRow& row : *rows) {
    updates_cursor_ = std::max(updates_cursor_, row.id);
    if (!positioned) continue;  // updates from before this process started are not news
    const std::string key = row.order.exchange + ":" + row.order.tradingsymbol;
    if (!row.order.tradingsymbol.empty() && instruments_asked_.insert(key).second) {
      unknown.push_back(key);
    }
  }
  if (updates_cursor_ < 0) updates_cursor_ = 0;
  if (positioned && !rows->empty()) {
    // An order changed the book (perhaps a sale from holdings): read the holdings soon.
    const long long soon = holdings_at_ms_ + kHoldingsMinGapMs;
    next_holdings_ms_ = std::min(next_holdings_ms_, soon);
  }
  if (!unknown.empty()) {
    std::string date = state_.trading_date;
    asio::co_spawn(ex, RefreshInstruments(std::move(date), std::move(unknown)),
                   LogIfThrown("instruments"));
  }
}

void Monitor::MaybeReadHoldings(asio::any_io_executor ex, long long now_ms) {
  if (holdings_in_flight_ || now_ms < next_holdings_ms_) return;
  holdings_in_flight_ = true;
  next_holdings_ms_ = now_ms + kHoldingsEveryMs;
  asio::co_spawn(ex, ReadHoldings(), LogIfThrown("holdings"));
}

asio::awaitable<void> Monitor::ReadHoldings() {
  auto read = co_await api_.GetHoldings();
  holdings_in_flight_ = false;
  NoteRestOutcome(read.status());
  holdings_at_ms_ = ToEpochMs(clock_.Now());
  if (!read.ok()) {
    // Keep the last known holdings; without any, negative CNC equity rows stay out of MTM and
    // out of every square-off (book_scope.h).
    spdlog::warn("holdings read failed: {}", read.status().ToString());
    next_holdings_ms_ = std::min(next_holdings_ms_, holdings_at_ms_ + 30'000);
    co_return;
  }
  if (!holdings_) spdlog::info("holdings: {} row(s)", read->size());
  holdings_ = std::move(read).value();
}

MtmScope Monitor::Scope() const {
  MtmScope scope;
  scope.basis = config_.trading.mtm_basis;
  if (holdings_) scope.holdings = kite::CoverOf(*holdings_);
  scope.products = config_.risk_management.products;
  return scope;
}

SquareOffScope Monitor::ScopeFor(std::set<std::string> exchanges, SysTime now) const {
  SquareOffScope scope;
  scope.net = last_net_;
  scope.holdings = holdings_;
  for (const kite::Position& p : last_net_) {
    const bool chosen = exchanges.empty() ? Tradable(p.exchange, now, config_.market_hours, state_)
                                          : exchanges.count(p.exchange) > 0;
    if (!chosen) scope.excluded_keys.insert(kite::ScopeKey(p));
  }
  return scope;
}

bool Monitor::NoteMarketClosed(const SquareOffOutcome& outcome, long long now_ms) {
  if (outcome.remaining.empty()) return false;
  bool only_closed = true;
  std::set<std::string> closed;
  for (const std::string& line : outcome.remaining) {
    const bool market_closed = line.find(kMarketClosedNote) != std::string::npos;
    only_closed = only_closed && market_closed;
    if (market_closed) closed.insert(line.substr(0, line.find(':')));
  }
  for (const std::string& exchange : closed) {
    state_.closed_until_ms[exchange] = now_ms + kMarketClosedRetryMs;
    if (!closed_alerted_.insert(exchange).second) continue;
    Critical(exchange + " refused the square-off's orders as market closed (a holiday, or a " +
                 "session the table does not know): nothing more is sent there before " +
                 FormatIstIso(FromEpochMs(now_ms + kMarketClosedRetryMs)) +
                 "; close those positions in Kite if the market is open",
             now_ms);
  }
  return only_closed;
}

}  // namespace zm::monitor
