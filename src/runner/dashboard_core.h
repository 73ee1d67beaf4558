// The dashboard's pure parts (issue #14): the access token check, request routing, the
// server-sent-events framing and the JSON snapshot the page draws. No sockets, no database, no
// clock: the Beast server (dashboard_server.h) and the data reader (dashboard_data.h) use them.
// Plain functions on values; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zm::runner {

// Lower-case hex of `bytes` (the token is 16 random bytes: 32 hex digits).
std::string HexToken(const unsigned char* bytes, size_t size);

// "http://127.0.0.1:PORT/?token=TOKEN"
std::string DashboardUrl(uint16_t port, const std::string& token);
// The one line printed once listening: {"url": "http://127.0.0.1:PORT/?token=..."}
std::string DashboardUrlLine(const std::string& url);

// The value of query parameter `name` in a request target ("/events?token=abc&x=1"); nullopt
// when absent. No percent-decoding (the token is hex).
std::optional<std::string_view> QueryParam(std::string_view target, std::string_view name);
// True when `target` carries `?token=` equal to `expected` (compared in constant time, so the
// answer's timing says nothing about how much of a guess was right). An empty expected token
// never matches.
bool TokenMatches(std::string_view target, std::string_view expected);

enum class DashboardRoute {
  kPage,       // GET /              the embedded page
  kEvents,     // GET /events        the server-sent events stream
  kSnapshot,   // GET /snapshot.json one snapshot
  kForbidden,  // no or wrong token (403), whatever the path
  kNotFound,   // 404
  kBadMethod,  // 405: anything but GET/HEAD
};
// The token is checked first: without it every request is 403.
DashboardRoute RouteRequest(std::string_view method, std::string_view target,
                            std::string_view token);

// One server-sent event: "event: NAME\ndata: LINE\n...\n\n" (every line of `data` gets its own
// "data:" field, so a newline inside the data cannot end the event early).
std::string SseEvent(std::string_view event, std::string_view data);
// A comment line that keeps idle proxies and the browser's connection alive.
std::string SseComment(std::string_view text);
// Sent once at the start of a stream: the browser's reconnection delay.
std::string SseRetry(int milliseconds);

// What one snapshot is built from (read by DashboardData; all optional but now_ms).
struct DashboardInputs {
  int64_t now_ms = 0;
  nlohmann::json monitor_snapshot;                  // common/monitor_snapshot.h document, or null
  std::string snapshot_problem;                     // why there is none (shown on the page)
  nlohmann::json status;                            // BuildStatusJson() of `status --json`
  std::vector<std::pair<long long, double>> curve;  // (at_ms, mtm), oldest first
  nlohmann::json events;                            // DayEvents(): newest first
  nlohmann::json reports;                           // DayReports(): ReportJson each
};

// The document the page renders (pushed as the `snapshot` event):
//   now_ms, available, problem, trading_date, updated_at_ms, snapshot_age_s, state, mtm,
//   mtm_basis, daily_max_mtm, loss_threshold, profit_target, trailing_floor (null when off),
//   curve [[at_ms, mtm], ...], positions [{instrument, product, quantity, last_price,
//   price_source, price_age_s, pnl, scope}], processes {name: status fields}, runner {...},
//   alerts {...}, last_critical, events [{at_ms, kind, message}], squareoffs [ReportJson]
nlohmann::json BuildDashboardSnapshot(const DashboardInputs& inputs);

}  // namespace zm::runner
