// Config: the suite's configuration, loaded from one YAML file shared by every process.
//
// LoadConfig() reads and validates the whole file before anything starts; a bad file yields a
// one-line error naming the key path, what was found and what was expected (main() exits 2).
// Unknown keys are returned as warnings so a typo never passes silently. Relative paths are
// resolved against the folder of the config file, never the working directory. Every option
// below is documented with its default, unit and allowed range; README.md repeats the table.
// A Config is an immutable value after loading; share it by const reference.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/alert_config.h"
#include "common/secret.h"
#include "common/status.h"

namespace zm {

struct ZerodhaConfig {
  std::string api_key;  // required: 6-64 letters, digits or '_'
  Secret api_secret;    // optional (only `login` needs it): >= 8 printable characters, no space
  std::filesystem::path access_token_file;              // default access_token/access_token.txt
  std::string api_base_url = "https://api.kite.trade";  // http:// only to loopback
  std::string ws_url = "wss://ws.kite.trade";           // ws:// only to loopback
  double request_timeout = 7.0;                         // s, (0, 60]: each phase of one REST call
};

struct TrailingProfitConfig {
  bool enabled = false;
  double activate_at = 0;  // rupees > 0: MTM at which the trailing floor arms
  double lock_at = 0;      // rupees > 0, <= activate_at: the first floor
  double trail_by = 0;     // rupees > 0: floor = peak - trail_by once that is higher
};

// trading.mtm_basis: what "MTM" means for the triggers, the day's max, the trailing floor and
// the history (README "MTM basis").
enum class MtmBasis {
  kDay,         // today's mark-to-market, Kite's m2m: (sell_m2m - buy_m2m) + qty * ltp * mult
  kSinceEntry,  // P&L since entry, Kite's pnl: (sell_value - buy_value) + qty * ltp * mult
};
const char* MtmBasisName(MtmBasis basis);  // "day" | "since_entry"

struct TradingConfig {
  double mtm_loss_threshold = 0;       // rupees, required, < 0
  double daily_max_profit_target = 0;  // rupees, required, > 0
  double mtm_check_interval = 3.0;     // s, [0.25, 60]
  TrailingProfitConfig trailing_profit;
  MtmBasis mtm_basis = MtmBasis::kDay;
  // Minutes since 00:00 IST at which the trading day starts (trading_day.h), default 08:00.
  int day_starts_at = 8 * 60;
  // trading.square_off_time: minutes since 00:00 IST by key. A plain "HH:MM" is stored under
  // "default"; a map may name an exchange (NFO), an exchange house (NSE covers NSE, NFO and
  // CDS; BSE covers BSE, BFO and BCD) or "default". Empty = off. See SquareOffTimeFor().
  std::map<std::string, int> square_off_times;
};

// The square-off time that applies to positions on `exchange`: the exchange's own key, else its
// house's (NFO/CDS -> NSE, BFO/BCD -> BSE), else "default"; nullopt = none.
std::optional<int> SquareOffTimeFor(const TradingConfig& trading, const std::string& exchange);

struct RiskConfig {
  bool auto_square_off_enabled = true;      // false = alert only, never an order
  int max_order_retries = 3;                // [0, 10]
  double order_retry_delay = 2.0;           // s, (0, 60]: backoff base, delay * 2^n
  bool dry_run = false;                     // true = journal what would be sent, send nothing
  double market_protection = -1;            // -1 (automatic) or a percentage in (0, 100]
  bool cancel_open_orders = true;           // cancel open/trigger-pending orders before exiting
  double limit_price_margin_percent = 0.5;  // %, (0, 20]: marketable LIMIT beyond the touch
  int max_verify_rounds = 5;                // [1, 20]: plans per position before a critical alert
  bool delete_gtt = true;                   // delete GTT triggers on the instruments being closed
  // An order whose POST outcome is unknown counts as not placed only after this long absent
  // from successful order book reads (a failed read restarts the count).
  double unknown_order_absence_seconds = 10;  // s, [2, 120]
  // Kite's positions may lag its order book this long after a fill of ours (ledger).
  double positions_lag_max_seconds = 10;  // s, [1, 120]
  double limit_price_step_percent = 0.5;  // %, (0, 5]: a resting LIMIT exit moves this far
  double limit_price_max_percent = 10;    // %, [margin, 50]: never further from the touch
  // Square-off runs after a failed one, per day lock (2 s, 5 s, 15 s, 60 s, then every 5 min).
  int max_squareoff_reruns = 30;  // [0, 1000]
  // Dead-man rule: no valid MTM (live prices) for this long while positions are open is a
  // critical alert; with dead_man_action "square_off" the monitor also flattens.
  double dead_man_seconds = 30.0;         // s, [1, 3600]
  std::string dead_man_action = "alert";  // alert | square_off
  // Products the guard covers (its MTM and its exits); empty = every product. Positions of
  // other products (e.g. CNC investments in the same account) are shown apart, never closed.
  std::set<std::string> products;
};

struct InstrumentConfig {
  long long volume_freeze_quantity = 0;  // > 0
};

// freeze_limits.<EXCHANGE>.<UNDERLYING>: units per order. Absent = the built-in table below
// (NSE index F&O per NSE's circular of 2025-10-31, BSE index F&O), present = replaces it.
using FreezeTable = std::map<std::string, std::map<std::string, long long>>;
const FreezeTable& DefaultFreezeTable();

struct WebsocketConfig {
  double position_check_interval = 5.0;  // s, (0, 300]
  std::string mode = "full";             // ltp | quote | full
};

struct SystemMonitoringConfig {
  double health_check_interval = 3.0;     // s, (0, 60]
  double heartbeat_stale_seconds = 15.0;  // s, (health_check_interval, 600]: a child is hung
  int heartbeat_stale_readings = 3;       // [1, 20]: consecutive stale readings before a restart
  // s, [heartbeat_stale_seconds, 3600]: the bound while the monitor's heartbeat says a square-off
  // is running (default 60, or heartbeat_stale_seconds when that is larger).
  double squareoff_stale_seconds = 60.0;
  double min_free_mb = 200;  // MiB, [0, 10000000]: below it `check` fails, the monitor alerts
};

// A trading session in minutes of the IST day, open <= t < close (market_hours.h).
struct SessionTime {
  int open = 0, close = 0;
  bool operator==(const SessionTime&) const = default;
};

// market_hours: no order is sent outside a session (market_hours.h has the built-in table).
struct MarketHoursConfig {
  bool enforce = true;                          // false: every exchange counts as open
  std::map<std::string, SessionTime> sessions;  // by exchange: replaces the built-in session
};

struct LtpConfig {
  double freshness_threshold_seconds = 10.0;  // s, (0, 3600]
};

struct Config {
  std::filesystem::path config_path;  // absolute
  std::filesystem::path config_dir;   // absolute; base of every relative path

  ZerodhaConfig zerodha;
  TradingConfig trading;
  RiskConfig risk_management;
  std::map<std::string, InstrumentConfig> instruments;  // key: underlying, e.g. NIFTY
  FreezeTable freeze_limits = DefaultFreezeTable();
  WebsocketConfig websocket;
  SystemMonitoringConfig system_monitoring;
  LtpConfig ltp_management;
  MarketHoursConfig market_hours;
  std::filesystem::path data_dir;  // paths.data_dir, default: the config file's folder
  std::string log_level = "info";  // logging.level: trace|debug|info|warn|error|critical
  AlertsConfig alerts;             // alerts: (common/alert_config.h)
  DashboardConfig dashboard;       // dashboard: (parsed and validated; not served yet)

  std::filesystem::path trading_db_path() const { return data_dir / "zerodha_trading.db"; }
  std::filesystem::path mtm_db_path() const { return data_dir / "zerodha_mtm.db"; }
};

struct LoadedConfig {
  Config config;
  std::vector<std::string> warnings;  // e.g. "unknown key 'trading.mtm_los_threshold' ignored"
  // Info lines: keys of the predecessor (Python) system, accepted as they are and mapped where a
  // meaning exists, e.g. "risk_management.api_call_timeout: 15 s used as zerodha.request_timeout".
  std::vector<std::string> notes;
};

// Reads, parses and validates `path`. Errors are kInvalidArgument (bad content) or kIoError
// (unreadable file) with a one-line message starting with the key path where one applies.
Result<LoadedConfig> LoadConfig(const std::filesystem::path& path);

// Same as LoadConfig but from YAML text; `path` only anchors relative paths and messages.
Result<LoadedConfig> ParseConfig(const std::string& yaml_text, const std::filesystem::path& path);

// OK when zerodha.api_secret is set; else a one-line error naming the key (login calls this).
Status RequireApiSecret(const Config& config);

// Reads the access token file, trimmed. Missing, unreadable or empty: an error naming the path.
Result<Secret> ReadAccessToken(const Config& config);

// Process exit codes shared by every binary.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRuntime = 1;
inline constexpr int kExitUsage = 2;  // bad config or command line

}  // namespace zm
