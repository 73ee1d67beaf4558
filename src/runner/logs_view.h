// `zerodha_runner logs`: the three log files merged in time order. Pure: text in, lines out.
// Every log line starts with the IST ISO-8601 time (common/logging.h: "2026-12-01T09:15:02.125
// +05:30 [process] [level] message"), so lines of the three files sort by that prefix; a line
// without one (a wrapped message) stays after the line it belongs to. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zm::runner {

// The log file names in data_dir, and the --process aliases: "subscriber" | "ltp_subscriber",
// "monitor" | "mtm_monitor", "runner" | "system_runner". nullopt for an unknown name.
std::optional<std::string> LogFileOfProcess(std::string_view name);
std::vector<std::string> AllLogFiles();

struct LogEntry {
  std::string at;    // the line's time prefix ("" = none)
  std::string text;  // the whole line, continuation lines appended with '\n'
};

// Splits one file's text into entries (complete lines only; `*rest` gets an unfinished last
// line, for -f).
std::vector<LogEntry> ParseLogText(std::string_view text, std::string* rest = nullptr);
// Merges the files' entries in time order (stable: same time keeps file order); with `since`
// ("YYYY-MM-DDTHH:MM", IST) only entries at or after it.
std::vector<LogEntry> MergeLogs(const std::vector<std::vector<LogEntry>>& files,
                                const std::string& since = "");
// The entry for a terminal: the level coloured (error/critical red, warning yellow, debug and
// trace dim) when `colour`.
std::string FormatLogEntry(const LogEntry& entry, bool colour);

}  // namespace zm::runner
