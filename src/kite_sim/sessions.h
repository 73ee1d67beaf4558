// Market sessions per exchange, in IST, for regular orders: NSE/BSE/NFO/BFO 09:15-15:30,
// CDS/BCD 09:00-17:00, MCX 09:00-23:30 (Kite keeps MCX open to 23:55 while US daylight saving is
// off; the simulator uses 23:30 all year). Monday to Friday; exchange holidays are not modelled
// (Kite's API does not publish them either). Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace zm::sim {

struct Session {
  int open_minute = 0;   // minutes since 00:00 IST, inclusive
  int close_minute = 0;  // exclusive
};

// The session of an exchange; nullopt when the simulator knows none (then always open).
std::optional<Session> SessionOf(const std::string& exchange);

// Regular orders on `exchange` are accepted at epoch_ms.
bool InSession(const std::string& exchange, int64_t epoch_ms);

// Kite's answer outside a session: HTTP 400 InputException with this text (the wording the
// project's brief gives; Kite's exact text was not found in public sources).
inline constexpr const char* kMarketClosedMessage =
    "Markets are closed right now. Use GTT for placing long standing orders instead.";

}  // namespace zm::sim
