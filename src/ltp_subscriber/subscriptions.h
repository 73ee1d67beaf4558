// Subscription planning for the Kite ticker: which instruments to watch (every open position),
// what to send to move the connection from what it has to what it needs, and the JSON text
// frames that say so. Pure functions: no I/O, no clock, thread-safe.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "common/kite/models.h"
#include "common/status.h"

namespace zm::ltp {

// Kite's per-connection limit.
inline constexpr size_t kMaxInstrumentsPerConnection = 3000;

// Tokens of every net position with a non-zero quantity (a closed position's P&L no longer
// depends on the price). Token 0 (unknown) is skipped.
std::set<uint32_t> OpenPositionTokens(const kite::Positions& positions);

struct SubscriptionPlan {
  std::vector<uint32_t> subscribe;    // new: send subscribe, then mode
  std::vector<uint32_t> unsubscribe;  // closed: send unsubscribe
  std::set<uint32_t> target;          // what the connection has once the plan is sent
  // Not OK when `wanted` exceeds the limit: the plan then keeps the lowest `limit` tokens (a
  // partial watch is safer than none) and this says, loudly, how many were left out.
  Status limit_error;
};

SubscriptionPlan PlanSubscriptions(const std::set<uint32_t>& current,
                                   const std::set<uint32_t>& wanted,
                                   size_t limit = kMaxInstrumentsPerConnection);

// {"a":"subscribe","v":[...]}, {"a":"unsubscribe","v":[...]}, {"a":"mode","v":["full",[...]]}.
std::string SubscribeMessage(const std::vector<uint32_t>& tokens);
std::string UnsubscribeMessage(const std::vector<uint32_t>& tokens);
std::string ModeMessage(const std::string& mode, const std::vector<uint32_t>& tokens);

// The frames to send for a plan, in order: unsubscribe (if any), subscribe + mode (if any).
std::vector<std::string> PlanMessages(const SubscriptionPlan& plan, const std::string& mode);

}  // namespace zm::ltp
