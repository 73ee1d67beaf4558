// logs [-f] [--process NAME] [--since HH:MM]: the logs in data_dir merged in time order
// (runner/logs_view.h). -f polls the files every 250 ms (a shrunk file was rotated: read it
// again from the start) until Ctrl+C.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "common/cli.h"
#include "common/ist.h"
#include "runner/logs_view.h"
#include "runner/verbs.h"

namespace zm::runner {
namespace {

std::atomic<bool> g_stop{false};

struct Followed {
  fs::path path;
  std::uintmax_t offset = 0;
  std::string rest;  // an unfinished last line
};

// The entries appended to `f` since the last read.
std::vector<LogEntry> ReadNew(Followed& f) {
  std::error_code ec;
  const auto size = fs::file_size(f.path, ec);
  if (ec) return {};
  if (size < f.offset) {  // rotated
    f.offset = 0;
    f.rest.clear();
  }
  if (size == f.offset) return {};
  std::ifstream in(f.path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(f.offset));
  std::string chunk(static_cast<size_t>(size - f.offset), '\0');
  in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
  chunk.resize(static_cast<size_t>(in.gcount()));
  f.offset += chunk.size();
  const std::string text = f.rest + chunk;
  return ParseLogText(text, &f.rest);
}

}  // namespace

int RunLogs(const Config& config, const RunnerArgs& args) {
  std::vector<std::string> names = AllLogFiles();
  if (args.log_process) {
    auto file = LogFileOfProcess(*args.log_process);
    if (!file) {
      std::cerr << "zerodha_runner: --process: expected subscriber, monitor or runner, found '"
                << *args.log_process << "'\n";
      return kExitUsage;
    }
    names = {*file};
  }
  std::string since;
  if (args.log_since_minute) {
    char hhmm[16];
    std::snprintf(hhmm, sizeof(hhmm), "%02d:%02d", *args.log_since_minute / 60 % 24,
                  *args.log_since_minute % 60);
    since = IstDate(std::chrono::system_clock::now()) + "T" + hhmm;
  }
  const bool colour = ::isatty(STDOUT_FILENO) == 1;
  std::vector<Followed> files;
  for (const auto& name : names) files.push_back(Followed{config.data_dir / name, 0, ""});
  std::vector<std::vector<LogEntry>> batch;
  for (auto& f : files) batch.push_back(ReadNew(f));
  for (const auto& e : MergeLogs(batch, since)) std::cout << FormatLogEntry(e, colour) << "\n";
  std::cout << std::flush;
  if (!args.follow) return kExitOk;
  ::signal(SIGINT, [](int) { g_stop = true; });
  ::signal(SIGTERM, [](int) { g_stop = true; });
  while (!g_stop) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    batch.clear();
    for (auto& f : files) batch.push_back(ReadNew(f));
    for (const auto& e : MergeLogs(batch)) std::cout << FormatLogEntry(e, colour) << "\n";
    std::cout << std::flush;
  }
  return kExitOk;
}

}  // namespace zm::runner
