// DisableCoreDumps: called first thing in every binary's main().
//
// Why: the processes hold the access token (and `login` the api_secret) in memory; a core
// file written on a crash would put them on disk, readable by whoever can read the folder.
// Sets RLIMIT_CORE to 0 (inherited by children) and PR_SET_DUMPABLE to 0 (also refuses
// ptrace attach and /proc/<pid>/mem|environ reads by other non-root processes of the same user;
// reset by execve, hence every binary calls it itself). Failures are printed to stderr as a
// warning and do not stop the program. Not thread-safe: call before any thread starts.
#pragma once

#include "common/status.h"

namespace zm {

// Both settings applied, or an error naming the one that failed.
Status DisableCoreDumps();

// DisableCoreDumps(); a failure is one warning line on stderr prefixed with `program`.
void DisableCoreDumpsOrWarn(const char* program);

}  // namespace zm
