#include "mtm_monitor/squareoff_util.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdlib>

#include "mtm_monitor/tags.h"

namespace zm::monitor {

boost::asio::awaitable<void> SleepFor(std::chrono::steady_clock::duration duration) {
  if (duration <= std::chrono::steady_clock::duration::zero()) co_return;
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, duration);
  co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
}

std::chrono::milliseconds RetryDelay(const Config& config, int n) {
  double seconds = config.risk_management.order_retry_delay;
  for (int i = 1; i < n && seconds < 60; ++i) seconds *= 2;
  seconds = std::min(seconds, 60.0);
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

std::vector<std::string> DescribePositions(const std::vector<kite::Position>& positions) {
  std::vector<std::string> out;
  for (const auto& p : positions) {
    out.push_back(fmt::format("{}:{} {} {}", p.exchange, p.tradingsymbol, p.product, p.quantity));
  }
  return out;
}

long long ConservativeQuantity(long long read, long long expected) {
  if (read == expected) return read;
  if ((read > 0 && expected > 0) || (read < 0 && expected < 0)) {
    long long magnitude = std::min(std::llabs(read), std::llabs(expected));
    return read > 0 ? magnitude : -magnitude;
  }
  return 0;
}

JournaledOrder NewRow(const JournaledSquareOff& squareoff, const PlannedSlice& plan,
                      int slice_number, int attempt, long long quantity, bool limit,
                      const Config& config, long long now_ms) {
  JournaledOrder row;
  row.tag = MakeTag(squareoff.id, slice_number, attempt);
  row.squareoff_id = squareoff.id;
  row.round = squareoff.rounds;
  row.slice = slice_number;
  row.attempt = attempt;
  row.exchange = plan.exchange;
  row.tradingsymbol = plan.tradingsymbol;
  row.product = plan.product;
  row.transaction_type = plan.transaction_type;
  row.quantity = quantity;
  row.order_type = limit ? "LIMIT" : "MARKET";
  row.market_protection = limit ? 0 : config.risk_management.market_protection;
  row.created_at_ms = row.updated_at_ms = now_ms;
  row.instrument_token = plan.instrument_token;
  row.tick_size = plan.tick_size;
  return row;
}

kite::OrderRequest ToOrderRequest(const JournaledOrder& row) {
  kite::OrderRequest request;
  request.exchange = row.exchange;
  request.tradingsymbol = row.tradingsymbol;
  request.transaction_type = row.transaction_type;
  request.order_type = row.order_type;
  request.product = row.product;
  request.quantity = row.quantity;
  request.price = row.order_type == "LIMIT" ? row.price : 0;
  request.market_protection = row.order_type == "MARKET" ? row.market_protection : 0;
  request.tag = row.tag;
  return request;
}

}  // namespace zm::monitor
