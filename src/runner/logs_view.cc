#include "runner/logs_view.h"

#include <algorithm>
#include <map>

namespace zm::runner {
namespace {

// "2026-12-01T09:15:02.125+05:30": the length of FormatIstIso's text.
constexpr size_t kTimeLength = 29;

bool StartsWithTime(std::string_view line) {
  if (line.size() < kTimeLength) return false;
  auto digits = [&](size_t from, size_t n) {
    for (size_t i = from; i < from + n; ++i) {
      if (line[i] < '0' || line[i] > '9') return false;
    }
    return true;
  };
  return digits(0, 4) && line[4] == '-' && digits(5, 2) && line[7] == '-' && digits(8, 2) &&
         line[10] == 'T' && digits(11, 2) && line[13] == ':';
}

}  // namespace

std::optional<std::string> LogFileOfProcess(std::string_view name) {
  static const std::map<std::string, std::string, std::less<>> kFiles = {
      {"subscriber", "ltp_subscriber.log"}, {"ltp_subscriber", "ltp_subscriber.log"},
      {"monitor", "mtm_monitor.log"},       {"mtm_monitor", "mtm_monitor.log"},
      {"runner", "system_runner.log"},      {"system_runner", "system_runner.log"}};
  auto it = kFiles.find(name);
  if (it == kFiles.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> AllLogFiles() {
  return {"ltp_subscriber.log", "mtm_monitor.log", "system_runner.log"};
}

std::vector<LogEntry> ParseLogText(std::string_view text, std::string* rest) {
  std::vector<LogEntry> out;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      if (rest) *rest = std::string(text.substr(start));
      break;
    }
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    start = end + 1;
    if (StartsWithTime(line) || out.empty()) {
      out.push_back({StartsWithTime(line) ? std::string(line.substr(0, kTimeLength)) : "",
                     std::string(line)});
    } else {
      out.back().text += "\n" + std::string(line);
    }
  }
  if (rest && start >= text.size()) rest->clear();
  return out;
}

std::vector<LogEntry> MergeLogs(const std::vector<std::vector<LogEntry>>& files,
                                const std::string& since) {
  std::vector<LogEntry> out;
  for (const auto& file : files) {
    for (const LogEntry& e : file) {
      if (since.empty() || e.at.compare(0, since.size(), since) >= 0) out.push_back(e);
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const LogEntry& a, const LogEntry& b) { return a.at < b.at; });
  return out;
}

std::string FormatLogEntry(const LogEntry& entry, bool colour) {
  if (!colour) return entry.text;
  static const std::pair<const char*, const char*> kLevels[] = {{"] [critical] ", "\033[1;31m"},
                                                                {"] [error] ", "\033[31m"},
                                                                {"] [warning] ", "\033[33m"},
                                                                {"] [debug] ", "\033[2m"},
                                                                {"] [trace] ", "\033[2m"}};
  for (const auto& [marker, code] : kLevels) {
    if (entry.text.find(marker) != std::string::npos) {
      return std::string(code) + entry.text + "\033[0m";
    }
  }
  return entry.text;
}

}  // namespace zm::runner
