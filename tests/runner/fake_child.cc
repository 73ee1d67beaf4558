// Stand-in for zerodha_ltp_subscriber / zerodha_mtm_monitor in the runner's supervision tests.
// Its component name comes from argv[0] ("...ltp_subscriber" or "...mtm_monitor") or --name.
// It writes its heartbeat (like the real child) into <data_dir>/zerodha_trading.db or
// zerodha_mtm.db every 100 ms, and obeys <data_dir>/fake_<name>.mode, re-read every 100 ms:
//   run (default) | hang (no more heartbeats) | exit N (exit with code N now)
//   | ignore_term (keeps running after SIGTERM) | hang_ignore_term
//   | squaring_off (heartbeats say state "squaring_off", as a monitor in a square-off)
// The monitor's heartbeat says open_positions 2 (the runner's dead-man rule reads it).
// It prints one line on stdout and one on stderr at start.
// It exits when its parent changes (never outlives a test) unless FAKE_CHILD_ORPHAN=1 is in the
// environment: then it also clears PR_SET_PDEATHSIG and plays an orphan left by a dead runner.
// Args: --config PATH (data_dir from the config) or --data-dir DIR, [--name NAME].
#include <SQLiteCpp/Database.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>

#include "common/clock.h"
#include "common/config.h"
#include "common/heartbeat.h"

namespace {

std::string ReadMode(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string mode;
  std::getline(in, mode);
  return mode.empty() ? "run" : mode;
}

}  // namespace

int main(int argc, char** argv) {
  std::string name, config, data_dir;
  for (int i = 1; i + 1 < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--name")
      name = argv[++i];
    else if (a == "--config")
      config = argv[++i];
    else if (a == "--data-dir")
      data_dir = argv[++i];
  }
  const std::string argv0 = argv[0];
  if (name.empty())
    name = argv0.find("ltp_subscriber") != std::string::npos ? "ltp_subscriber" : "mtm_monitor";
  if (data_dir.empty() && !config.empty()) {
    auto loaded = zm::LoadConfig(config);
    if (!loaded.ok()) {
      std::cerr << "fake_child: " << loaded.status().message() << "\n";
      return 2;
    }
    data_dir = loaded->config.data_dir.string();
  }
  const std::filesystem::path dir = data_dir.empty() ? "." : data_dir;
  const auto db_path = dir / (name == "ltp_subscriber" ? "zerodha_trading.db" : "zerodha_mtm.db");
  const auto mode_file = dir / ("fake_" + name + ".mode");
  const char* orphan_env = std::getenv("FAKE_CHILD_ORPHAN");
  const bool orphan = orphan_env && std::string(orphan_env) == "1";
  if (orphan) prctl(PR_SET_PDEATHSIG, 0);
  std::printf("fake_child %s pid %d started\n", name.c_str(), getpid());
  std::fflush(stdout);
  std::fprintf(stderr, "fake_child %s says hello on stderr\n", name.c_str());
  const long long started = zm::ToEpochMs(std::chrono::system_clock::now());
  bool ignoring = false;
  const pid_t parent = getppid();
  for (;;) {
    if (!orphan && getppid() != parent) return 0;  // the runner is gone: never outlive a test
    const std::string mode = ReadMode(mode_file);
    if (mode.rfind("exit", 0) == 0) return mode.size() > 5 ? std::stoi(mode.substr(5)) : 0;
    if (!ignoring && mode.find("ignore_term") != std::string::npos) {
      signal(SIGTERM, SIG_IGN);
      ignoring = true;
    }
    if (mode.rfind("hang", 0) != 0) {
      try {
        SQLite::Database db(db_path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 1000);
        (void)zm::EnsureHeartbeatTable(db);
        zm::Heartbeat hb{
            name, getpid(), started, zm::ToEpochMs(std::chrono::system_clock::now()), {}};
        hb.details = name == "ltp_subscriber"
                         ? nlohmann::json{{"ws_connected", true}, {"token_state", "ok"}}
                         : nlohmann::json{{"state", mode == "squaring_off" ? mode : "monitoring"},
                                          {"mtm", 0},
                                          {"open_positions", 2}};
        (void)zm::WriteHeartbeat(db, hb);
      } catch (const std::exception& e) {
        std::cerr << "fake_child: " << e.what() << "\n";
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}
