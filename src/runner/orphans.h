// Children left behind by a runner that died without stopping them (kill -9, the OOM killer).
// Normally a child exits with its runner (PR_SET_PDEATHSIG, spawn.h); this is the safety net
// for `stop`, `status` and a new `start`: an orphaned monitor would go on squaring off, and a
// trader who believes the guard is stopped could see a new manual trade closed.
// A recorded pid counts only while /proc/<pid>/exe is the executable the runner recorded for it
// in runner_state.json (pids are recycled). Adapters over /proc and signals; single thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace zm::runner {

struct RecordedChild {
  std::string name;  // "ltp_subscriber" | "mtm_monitor"
  pid_t pid = 0;
  std::string exe;  // recorded executable path ("" in a state file older than this check)
};

// True when `pid` is alive (not a zombie) and runs `exe` (/proc/<pid>/exe, " (deleted)" ignored:
// a binary replaced by a rebuild is still that binary). With `exe` empty: the executable's file
// name must be "zerodha_" + `name`.
bool ProcessRunsChild(pid_t pid, const std::string& exe, const std::string& name);

// The children recorded in <data_dir>/runner_state.json that are still running.
std::vector<RecordedChild> FindRunningChildren(const std::filesystem::path& data_dir);

// SIGTERM to each, then SIGKILL to whatever is left after `grace` (the monitor may finish a
// running square-off step first: up to 30 s). True when all are gone.
bool StopChildren(const std::vector<RecordedChild>& children, std::chrono::milliseconds grace);

}  // namespace zm::runner
