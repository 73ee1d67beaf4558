// demo: a complete simulated session. Starts kite_sim (next to this binary) on a free loopback
// port with scenarios/demo.yaml, writes a demo config + token into a fresh folder, runs the
// suite in the foreground until the monitor's snapshot shows the square-off finished (or the
// timeout), stops everything and prints the summary. No account, network or input needed.
#include <SQLiteCpp/Database.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <iostream>
#include <thread>

#include "common/cli.h"
#include "common/ist.h"
#include "common/monitor_snapshot.h"
#include "common/process_clock.h"
#include "common/text_file.h"
#include "runner/files.h"
#include "runner/orphans.h"
#include "runner/spawn.h"
#include "runner/verbs.h"

namespace zm::runner {
namespace {

using std::chrono::milliseconds;

std::optional<fs::path> FindScenario(const RunnerArgs& args) {
  if (args.scenario) return fs::absolute(*args.scenario);
  const fs::path exe = SelfExeDir();
  for (const fs::path& candidate :
       {exe / "../../scenarios/demo.yaml", exe / "../scenarios/demo.yaml",
        fs::current_path() / "scenarios/demo.yaml"}) {
    std::error_code ec;
    if (fs::exists(candidate, ec)) return fs::weakly_canonical(candidate, ec);
  }
  return std::nullopt;
}

// The scenario's `demo:` section: the thresholds the demo's config uses (kite_sim ignores it).
struct DemoThresholds {
  std::string loss = "-5000", target = "10000";
};

Result<DemoThresholds> ReadDemoThresholds(const std::string& scenario_text) {
  DemoThresholds out;
  try {
    const YAML::Node demo = YAML::Load(scenario_text)["demo"];
    if (!demo) return out;
    // Read as numbers (a typo fails here, not in the suite), written back as the file wrote them.
    if (demo["mtm_loss_threshold"]) {
      demo["mtm_loss_threshold"].as<double>();
      out.loss = demo["mtm_loss_threshold"].as<std::string>();
    }
    if (demo["daily_max_profit_target"]) {
      demo["daily_max_profit_target"].as<double>();
      out.target = demo["daily_max_profit_target"].as<std::string>();
    }
  } catch (const YAML::Exception& e) {
    return ParseError(std::string("scenario demo: section: ") + e.what());
  }
  return out;
}

std::string RunFolderName() {
  const IstCivil t = ToIst(std::chrono::system_clock::now());
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d%02d%02d-%02d%02d%02d-%d", t.year, t.month, t.day, t.hour,
                t.minute, t.second, getpid());
  return buf;
}

// kite_sim with stdout/stderr to files in `dir` (a pipe we stop reading could block it), started
// with the runner's own spawn code: its own process group, and it dies with this process.
Result<pid_t> StartSimulator(const fs::path& dir, const fs::path& scenario) {
  const ChildSpec spec{
      "kite_sim", SelfExeDir() / "kite_sim", {"--port", "0", "--scenario", scenario.string()}, {}};
  if (::access(spec.binary.c_str(), X_OK) != 0) {
    return NotFound(spec.binary.string() + " not found");
  }
  const int out =
      ::open((dir / "kite_sim.out").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const int err =
      ::open((dir / "kite_sim.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  Result<pid_t> pid = (out < 0 || err < 0)
                          ? IoError("cannot create the simulator's output files in " + dir.string())
                          : SpawnChild(spec, ChildStdio{out, err});
  if (out >= 0) ::close(out);
  if (err >= 0) ::close(err);
  return pid;
}

Result<int> WaitForPort(const fs::path& out, pid_t sim, milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto text = ReadTextFile(out)) {
      const size_t nl = text->find('\n');
      if (nl != std::string::npos) {
        auto j = nlohmann::json::parse(text->substr(0, nl), nullptr, false);
        if (j.is_object() && j.contains("port") && j["port"].is_number_integer()) {
          // The suite runs on the simulator's time of day (a weekday 10:30 IST by default), so
          // that the demo trades inside market hours whenever it is run.
          if (j.contains("clock_offset_ms") && j["clock_offset_ms"].is_number_integer()) {
            ::setenv(kClockOffsetEnv, std::to_string(j["clock_offset_ms"].get<long long>()).c_str(),
                     1);
          }
          return j["port"].get<int>();
        }
        return ParseError("kite_sim printed an unexpected first line: " + text->substr(0, nl));
      }
    }
    int st = 0;
    if (::waitpid(sim, &st, WNOHANG) == sim)
      return IoError("kite_sim exited early, see kite_sim.log");
    std::this_thread::sleep_for(milliseconds(50));
  }
  return IoError("kite_sim did not print its port within 10 s");
}

// The runner's stop sequence (SIGTERM, SIGKILL after a grace), then the zombie is reaped.
void StopSimulator(pid_t sim) {
  const RecordedChild simulator{"kite_sim", sim, (SelfExeDir() / "kite_sim").string()};
  (void)StopChildren({simulator}, std::chrono::seconds(5));
  ::waitpid(sim, nullptr, 0);
}

Status WriteDemoConfig(const fs::path& dir, int port, const std::string& scenario_text) {
  auto thresholds = ReadDemoThresholds(scenario_text);
  if (!thresholds.ok()) return thresholds.status();
  const std::string& loss = thresholds->loss;
  const std::string& target = thresholds->target;
  const std::string base = "127.0.0.1:" + std::to_string(port);
  const std::string yaml =
      "# Written by `zerodha_runner demo` for the bundled simulator.\n"
      "zerodha:\n  api_key: sim_key\n  api_secret: sim_secret\n"
      "  access_token_file: access_token.txt\n"
      "  api_base_url: http://" +
      base + "\n  ws_url: ws://" + base +
      "/\n"
      "trading:\n  mtm_loss_threshold: " +
      loss + "\n  daily_max_profit_target: " + target +
      "\n  mtm_check_interval: 1\n"
      "risk_management:\n  auto_square_off_enabled: true\n"
      "instruments:\n  NIFTY:\n    volume_freeze_quantity: 1800\n"
      "  BANKNIFTY:\n    volume_freeze_quantity: 900\n"
      "  FINNIFTY:\n    volume_freeze_quantity: 1800\n"
      "  SENSEX:\n    volume_freeze_quantity: 1000\n"
      "websocket:\n  position_check_interval: 2\n"
      "system_monitoring:\n  health_check_interval: 1\n  heartbeat_stale_seconds: 15\n"
      "paths:\n  data_dir: .\n"
      "dashboard:\n  enabled: true\n  port: 0\n";
  ZM_RETURN_IF_ERROR(WriteFileAtomically(dir / "config.yaml", yaml));
  return WriteFileAtomically(dir / "access_token.txt", "sim_token\n", 0600);
}

// "flat" | "failed" | ... once the latest square-off finished; nullopt while none finished.
std::optional<std::string> FinishedOutcome(const fs::path& mtm_db) {
  std::error_code ec;
  if (!fs::exists(mtm_db, ec)) return std::nullopt;
  try {
    SQLite::Database db(mtm_db.string(), SQLite::OPEN_READONLY, 500);
    auto snapshot = ReadMonitorSnapshot(db);
    if (!snapshot.ok() || !snapshot->has_value()) return std::nullopt;
    const auto& square_offs = (**snapshot).value("square_offs", nlohmann::json::array());
    if (square_offs.empty()) return std::nullopt;
    const std::string outcome = square_offs.back().value("outcome", "running");
    if (outcome == "running") return std::nullopt;
    return outcome;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

int RunDemo(const RunnerArgs& args) {
  auto scenario = FindScenario(args);
  if (!scenario) {
    std::cerr << "zerodha_runner demo: scenarios/demo.yaml not found; pass --scenario FILE\n";
    return kExitUsage;
  }
  auto scenario_text = ReadTextFile(*scenario);
  if (!scenario_text) {
    std::cerr << "zerodha_runner demo: cannot read " << scenario->string() << "\n";
    return kExitUsage;
  }
  const fs::path dir =
      fs::absolute(args.demo_dir.value_or(fs::current_path() / "demo-run")) / RunFolderName();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    std::cerr << "zerodha_runner demo: cannot create " << dir.string() << ": " << ec.message()
              << "\n";
    return kExitRuntime;
  }
  std::cout << "demo: folder " << dir.string() << "\ndemo: starting kite_sim with "
            << scenario->string() << std::endl;
  auto sim = StartSimulator(dir, *scenario);
  if (!sim.ok()) {
    std::cerr << "zerodha_runner demo: " << sim.status().message() << "\n";
    return kExitRuntime;
  }
  int code = kExitRuntime;
  auto port = WaitForPort(dir / "kite_sim.out", *sim, milliseconds(10000));
  if (!port.ok()) {
    std::cerr << "zerodha_runner demo: " << port.status().message() << "\n";
  } else if (Status w = WriteDemoConfig(dir, *port, *scenario_text); !w.ok()) {
    std::cerr << "zerodha_runner demo: " << w.message() << "\n";
  } else if (auto config = LoadConfigOrReport(dir / "config.yaml")) {
    InitRunnerLogging(*config);
    std::cout << "demo: simulator on 127.0.0.1:" << *port << "; checks:" << std::endl;
    if (RunCheck(*config, false) == kExitOk) {
      std::cout << "demo: running the suite; watch MTM, the breach, the square-off\n"
                << "demo: live dashboard while it runs: open the {\"url\": ...} printed below"
                << std::endl;
      std::optional<std::string> outcome;
      SuiteHooks hooks;
      hooks.finished = [&] {
        outcome = FinishedOutcome(config->mtm_db_path());
        return outcome.has_value();
      };
      hooks.timeout = milliseconds(static_cast<long long>(args.demo_timeout_seconds * 1000));
      code = RunSupervisedSuite(*config, std::move(hooks));
      if (code == kExitOk && outcome != "flat") code = kExitRuntime;
      std::cout << "\ndemo: square-off outcome: " << outcome.value_or("none") << "\n\n";
      (void)RunSummary(*config, false);
      std::cout << "\n";
      (void)RunReport(*config, RunnerArgs{});  // what the square-off cost, slice by slice
    }
  }
  StopSimulator(*sim);
  std::cout << (code == kExitOk ? "demo: complete, verified flat\n" : "demo: FAILED\n");
  return code;
}

}  // namespace zm::runner
