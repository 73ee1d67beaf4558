#include "kite_sim/sessions.h"

#include <map>

#include "common/ist.h"

namespace zm::sim {

std::optional<Session> SessionOf(const std::string& exchange) {
  static const std::map<std::string, Session> kSessions = {
      {"NSE", {9 * 60 + 15, 15 * 60 + 30}}, {"BSE", {9 * 60 + 15, 15 * 60 + 30}},
      {"NFO", {9 * 60 + 15, 15 * 60 + 30}}, {"BFO", {9 * 60 + 15, 15 * 60 + 30}},
      {"CDS", {9 * 60, 17 * 60}},           {"BCD", {9 * 60, 17 * 60}},
      {"MCX", {9 * 60, 23 * 60 + 30}}};
  auto it = kSessions.find(exchange);
  if (it == kSessions.end()) return std::nullopt;
  return it->second;
}

bool InSession(const std::string& exchange, int64_t epoch_ms) {
  const auto session = SessionOf(exchange);
  if (!session) return true;
  const IstCivil ist = ToIst(FromEpochMs(epoch_ms));
  if (ist.weekday == 0 || ist.weekday == 6) return false;
  const int minute = ist.hour * 60 + ist.minute;
  return minute >= session->open_minute && minute < session->close_minute;
}

}  // namespace zm::sim
