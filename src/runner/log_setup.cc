// InitRunnerLogging (verbs.h): the common file logger plus a warn-level stderr sink, so that
// the foreground terminal shows only the monitor's cycle lines and the runner's alerts.
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <iostream>
#include <mutex>

#include "common/logging.h"
#include "runner/verbs.h"

namespace zm::runner {
namespace {

class RedactedStderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    const std::string text = RedactSecrets(std::string(msg.payload.data(), msg.payload.size()));
    std::cerr << "zerodha_runner [" << spdlog::level::to_string_view(msg.level).data() << "] "
              << text << std::endl;
  }
  void flush_() override { std::cerr.flush(); }
};

}  // namespace

void InitRunnerLogging(const Config& config) {
  LogOptions options;
  options.process_name = "system_runner";
  options.file = config.data_dir / "system_runner.log";
  options.console = false;
  options.level = config.log_level;
  Status s = InitLogging(options);
  if (!s.ok()) std::cerr << "zerodha_runner: " << s.message() << "\n";
  auto console = std::make_shared<RedactedStderrSink>();
  console->set_level(spdlog::level::warn);
  spdlog::default_logger()->sinks().push_back(console);
  if (spdlog::default_logger()->level() > spdlog::level::warn) {
    spdlog::default_logger()->set_level(spdlog::level::warn);
  }
  RegisterSecret(config.zerodha.api_secret.reveal());
}

}  // namespace zm::runner
