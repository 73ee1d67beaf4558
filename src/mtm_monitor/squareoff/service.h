// SquareOffService: the square-off engine as the monitor sees it (an interface, so that the
// monitor's tests use a fake). engine.h is the real one.
// Threading: the process's io_context thread only. Run() and ResumeUnfinished() never overlap
// (the engine refuses a second one while busy).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/kite/models.h"
#include "common/status.h"

namespace zm::monitor {

// What a square-off may touch, from the monitor's view (common/kite/book_scope.h). The engine
// adds what a fresh holdings read says, so that sales from holdings are never bought back.
struct SquareOffScope {
  std::vector<kite::Position> net;                     // the monitor's last positions
  std::optional<std::vector<kite::Holding>> holdings;  // its last successful holdings read
  // "EX:SYM:PRODUCT" keys left out of this run: positions on exchanges outside their session
  // or, for a time square-off, whose square_off_time has not come.
  std::set<std::string> excluded_keys;
};

struct SquareOffRequest {
  std::string reason;  // "loss"|"target"|"trailing"|"time"|"locked"|"dead_man"
  std::string trading_date;
  SysTime now;
  double mtm_at_trigger = 0;
  SquareOffScope scope;
  // What the monitor's MTM used at the trigger, stored with the square-off for its report
  // (common/report/squareoff_report.h): {"positions": {"EX:SYM:PRODUCT": {price, multiplier,
  // quantity, source}}}. Opaque to the engine; null = none.
  nlohmann::json trigger = nullptr;
};

struct SquareOffOutcome {
  long long squareoff_id = 0;
  bool flat = false;
  bool dry_run = false;
  std::vector<std::string> remaining;  // "NFO:SYM PRODUCT qty" still open after the last round
  std::string summary;
};

class SquareOffService {
 public:
  virtual ~SquareOffService() = default;
  virtual boost::asio::awaitable<Result<SquareOffOutcome>> Run(SquareOffRequest request) = 0;
  // At start: finishes any square-off the journal shows unfinished for this trading date, within
  // `scope` (as Run()).
  virtual boost::asio::awaitable<Result<std::optional<SquareOffOutcome>>> ResumeUnfinished(
      std::string trading_date, SquareOffScope scope) = 0;
  // Fetches GET /instruments once per trading date (no-op when that date's is cached and has
  // every "EX:SYM" of `must_have`: an order naming a symbol the cache lacks fetches it again).
  virtual boost::asio::awaitable<Status> RefreshInstruments(
      std::string trading_date, std::vector<std::string> must_have = {}) = 0;
  // For the snapshot: the day's square-offs with their orders (monitor_snapshot.h schema).
  virtual Result<nlohmann::json> DaySquareOffsJson(const std::string& trading_date) = 0;
};

}  // namespace zm::monitor
