// Small helpers of the square-off engine (internal): async sleep, retry delays, journal row
// construction, position descriptions and the no-overshoot quantity rule. The pure ones are
// unit-tested; SleepFor must run on the io_context thread.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "common/config.h"
#include "common/kite/models.h"
#include "mtm_monitor/journal_store.h"
#include "mtm_monitor/planner.h"

namespace zm::monitor {

boost::asio::awaitable<void> SleepFor(std::chrono::steady_clock::duration duration);

// order_retry_delay * 2^(n-1) for the n-th retry (n >= 1), capped at 60 s.
std::chrono::milliseconds RetryDelay(const Config& config, int n);

// "NFO:NIFTY26DEC24000CE NRML -75" per open position.
std::vector<std::string> DescribePositions(const std::vector<kite::Position>& positions);

// What may be closed of a position the broker shows at `read` when our fills say it should be
// at `expected`: the smaller of the two on the same side, 0 when they disagree on the side.
// Never more than either, so a lagging positions read can never make us close twice.
long long ConservativeQuantity(long long read, long long expected);

// A journal row (state journaled) for attempt `attempt` of slice `slice_number`.
JournaledOrder NewRow(const JournaledSquareOff& squareoff, const PlannedSlice& plan,
                      int slice_number, int attempt, long long quantity, bool limit,
                      const Config& config, long long now_ms);

// The request that sends a journal row.
kite::OrderRequest ToOrderRequest(const JournaledOrder& row);

}  // namespace zm::monitor
