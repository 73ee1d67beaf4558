#include "common/logging.h"

#include <fcntl.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>

#include <csignal>
#include <mutex>
#include <vector>

#include "common/console.h"
#include "common/ist.h"

namespace zm {
namespace {

// %Q: the message time as ISO-8601 IST.
class IstTimeFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const std::string text = FormatIstIso(msg.time);
    dest.append(text.data(), text.data() + text.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<IstTimeFlag>();
  }
};

// Forwards to child sinks with registered secrets redacted from the payload.
class RedactingSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit RedactingSink(std::vector<spdlog::sink_ptr> children) : children_(std::move(children)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    const std::string redacted = RedactSecrets(std::string(msg.payload.data(), msg.payload.size()));
    spdlog::details::log_msg copy(msg.time, msg.source, msg.logger_name, msg.level, redacted);
    copy.thread_id = msg.thread_id;
    for (auto& child : children_) {
      if (child->should_log(copy.level)) child->log(copy);
    }
  }
  void flush_() override {
    for (auto& child : children_) child->flush();
  }
  void set_pattern_(const std::string&) override {}
  void set_formatter_(std::unique_ptr<spdlog::formatter>) override {}

 private:
  std::vector<spdlog::sink_ptr> children_;
};

// spdlog (the packaged, compiled library) opens log files with fopen() without O_CLOEXEC; a
// child started by the runner would inherit every log descriptor. This hook runs after every
// open, including each rotation.
spdlog::file_event_handlers CloseOnExecHandlers() {
  spdlog::file_event_handlers handlers;
  handlers.after_open = [](const spdlog::filename_t&, std::FILE* file) {
    if (file) ::fcntl(::fileno(file), F_SETFD, FD_CLOEXEC);
  };
  return handlers;
}

std::unique_ptr<spdlog::formatter> MakeFormatter(const std::string& process) {
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<IstTimeFlag>('Q').set_pattern("%Q [" + process + "] [%l] %v");
  return formatter;
}

}  // namespace

Status InitLogging(const LogOptions& options) {
  // A console whose reader is gone must not kill the process: the write fails with EPIPE and
  // the line is counted as dropped (console.h).
  std::signal(SIGPIPE, SIG_IGN);
  std::vector<spdlog::sink_ptr> children;
  Status status;
  if (options.console) {
    auto console = std::make_shared<ConsoleSink>(StderrConsole());
    if (!options.console_level.empty()) {
      console->set_level(spdlog::level::from_str(options.console_level));
    }
    children.push_back(console);
  }
  if (!options.file.empty()) {
    try {
      std::filesystem::create_directories(options.file.parent_path());
      children.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
          options.file.string(), options.max_file_bytes, options.max_files,
          /*rotate_on_open=*/false, CloseOnExecHandlers()));
    } catch (const std::exception& e) {
      status = IoError("cannot open log file " + options.file.string() + ": " + e.what());
    }
  }
  for (auto& child : children) child->set_formatter(MakeFormatter(options.process_name));
  auto sink = std::make_shared<RedactingSink>(std::move(children));
  auto logger = std::make_shared<spdlog::logger>(options.process_name, sink);
  logger->set_level(spdlog::level::from_str(options.level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
  return status;
}

}  // namespace zm
