#include "runner/orphans.h"

#include <signal.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "common/text_file.h"
#include "runner/files.h"

namespace zm::runner {

bool ProcessRunsChild(pid_t pid, const std::string& exe, const std::string& name) {
  if (pid <= 0 || !ProcessAlive(pid)) return false;
  std::error_code ec;
  std::string running = fs::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec).string();
  if (ec) return false;
  const std::string deleted = " (deleted)";
  if (running.size() > deleted.size() &&
      running.compare(running.size() - deleted.size(), deleted.size(), deleted) == 0) {
    running.resize(running.size() - deleted.size());
  }
  if (!exe.empty()) return running == exe;
  return fs::path(running).filename() == "zerodha_" + name;
}

std::vector<RecordedChild> FindRunningChildren(const fs::path& data_dir) {
  std::vector<RecordedChild> out;
  auto text = ReadTextFile(data_dir / "runner_state.json");
  if (!text) return out;
  const auto state = nlohmann::json::parse(*text, nullptr, false);
  if (!state.is_object() || !state.contains("children") || !state["children"].is_object()) {
    return out;
  }
  for (const auto& [name, child] : state["children"].items()) {
    if (!child.is_object()) continue;
    RecordedChild c{name, static_cast<pid_t>(child.value("pid", int64_t{0})),
                    child.value("exe", std::string())};
    if (ProcessRunsChild(c.pid, c.exe, c.name)) out.push_back(c);
  }
  return out;
}

bool StopChildren(const std::vector<RecordedChild>& children, std::chrono::milliseconds grace) {
  auto alive = [&] {
    std::vector<RecordedChild> left;
    for (const auto& c : children) {
      if (ProcessRunsChild(c.pid, c.exe, c.name)) left.push_back(c);
    }
    return left;
  };
  for (const auto& c : children) ::kill(c.pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (!alive().empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (const auto& c : alive()) ::kill(c.pid, SIGKILL);
  for (int i = 0; i < 50 && !alive().empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return alive().empty();
}

}  // namespace zm::runner
