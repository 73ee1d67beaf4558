#include "ltp_subscriber/subscriptions.h"

#include <nlohmann/json.hpp>

namespace zm::ltp {

std::set<uint32_t> OpenPositionTokens(const kite::Positions& positions) {
  std::set<uint32_t> tokens;
  for (const kite::Position& p : positions.net) {
    if (p.quantity != 0 && p.instrument_token != 0) tokens.insert(p.instrument_token);
  }
  return tokens;
}

SubscriptionPlan PlanSubscriptions(const std::set<uint32_t>& current,
                                   const std::set<uint32_t>& wanted, size_t limit) {
  SubscriptionPlan plan;
  for (uint32_t token : wanted) {
    if (plan.target.size() == limit) break;
    plan.target.insert(token);
  }
  if (wanted.size() > limit) {
    plan.limit_error =
        InvalidArgument(std::to_string(wanted.size()) +
                        " instruments have open positions but a Kite ticker "
                        "connection carries at most " +
                        std::to_string(limit) + ": " + std::to_string(wanted.size() - limit) +
                        " of them get NO live price");
  }
  for (uint32_t token : plan.target) {
    if (!current.count(token)) plan.subscribe.push_back(token);
  }
  for (uint32_t token : current) {
    if (!plan.target.count(token)) plan.unsubscribe.push_back(token);
  }
  return plan;
}

std::string SubscribeMessage(const std::vector<uint32_t>& tokens) {
  return nlohmann::json{{"a", "subscribe"}, {"v", tokens}}.dump();
}

std::string UnsubscribeMessage(const std::vector<uint32_t>& tokens) {
  return nlohmann::json{{"a", "unsubscribe"}, {"v", tokens}}.dump();
}

std::string ModeMessage(const std::string& mode, const std::vector<uint32_t>& tokens) {
  return nlohmann::json{{"a", "mode"}, {"v", nlohmann::json::array({mode, tokens})}}.dump();
}

std::vector<std::string> PlanMessages(const SubscriptionPlan& plan, const std::string& mode) {
  std::vector<std::string> messages;
  if (!plan.unsubscribe.empty()) messages.push_back(UnsubscribeMessage(plan.unsubscribe));
  if (!plan.subscribe.empty()) {
    messages.push_back(SubscribeMessage(plan.subscribe));
    messages.push_back(ModeMessage(mode, plan.subscribe));
  }
  return messages;
}

}  // namespace zm::ltp
