// Logging: one rotating file per process in data_dir (ltp_subscriber.log, mtm_monitor.log,
// system_runner.log, as the design document names them), plus the console when in the
// foreground. Timestamps are ISO-8601 in IST with the +05:30 offset whatever the machine's zone.
// The console sink never blocks (common/console.h: a console nobody reads drops and counts
// lines instead of freezing the process); InitLogging() also ignores SIGPIPE for that reason.
//
// Defense in depth for secrets: values registered with RegisterSecret() (common/secret.h) are
// replaced by "***" in every line before it reaches any sink, so even an error message that
// embedded a URL with a token cannot leak it. Call InitLogging() once from main(), before any
// thread starts. Log files are close-on-exec: children started by a process never inherit them.
#pragma once

#include <spdlog/spdlog.h>

#include <filesystem>
#include <string>

#include "common/secret.h"
#include "common/status.h"

namespace zm {

struct LogOptions {
  std::string process_name;          // "mtm_monitor" -> file mtm_monitor.log
  std::filesystem::path file;        // empty = no file (tests, CLI verbs)
  bool console = true;               // also to stderr
  std::string level = "info";        // trace|debug|info|warn|error|critical
  std::string console_level;         // console threshold; empty = same as `level`
  size_t max_file_bytes = 10 << 20;  // rotate at 10 MiB
  size_t max_files = 5;              // keep 5 rotated files
};

// Installs the default spdlog logger. Errors (unwritable file): kIoError, console still works.
Status InitLogging(const LogOptions& options);

}  // namespace zm
