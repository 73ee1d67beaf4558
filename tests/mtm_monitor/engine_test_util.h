// Shared fixture of the engine's unit tests: an in-memory zerodha_mtm.db, a FakeKite, a config
// with short delays, fast tuning, and a bounded synchronous runner for the engine's coroutines.
#pragma once

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>

#include "common/clock.h"
#include "common/config.h"
#include "engine_fake_kite.h"
#include "mtm_monitor/journal_store.h"
#include "mtm_monitor/squareoff_engine.h"

namespace zm::monitor {

inline constexpr const char* kDate = "2026-11-26";

// Runs an awaitable on a fresh io_context, bounded to 30 s; nullopt when it did not finish.
template <typename T>
std::optional<T> RunBounded(boost::asio::awaitable<T> task) {
  boost::asio::io_context io;
  std::optional<T> out;
  boost::asio::co_spawn(
      io, [&]() -> boost::asio::awaitable<void> { out.emplace(co_await std::move(task)); },
      boost::asio::detached);
  io.run_for(std::chrono::seconds(30));
  return out;
}

class EngineFixture : public ::testing::Test {
 protected:
  EngineFixture()
      : db_(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE),
        clock_(FromEpochMs(1795672800000)) {  // 2026-11-26 10:10 IST
    config_.data_dir = ::testing::TempDir() + "/engine_no_trading_db";
    config_.risk_management.order_retry_delay = 0.01;
    config_.instruments["NIFTY"].volume_freeze_quantity = 1800;
    tuning_.poll_interval = std::chrono::milliseconds(5);
    tuning_.rest_timeout = std::chrono::milliseconds(40);
    tuning_.reprice_interval = std::chrono::milliseconds(20);
    tuning_.absent_confirm = std::chrono::milliseconds(30);
    tuning_.round_timeout = std::chrono::seconds(10);
    tuning_.positions_settle = std::chrono::milliseconds(200);
    tuning_.cancel_wait = std::chrono::milliseconds(200);
    tuning_.pacer.window = std::chrono::milliseconds(10);
    tuning_.pacer.backoff_base = std::chrono::milliseconds(5);
    NewEngine();
  }

  void NewEngine() {
    engine_ = std::make_unique<SquareOffEngine>(kite_, db_, config_, clock_);
    engine_->set_tuning(tuning_);
    EXPECT_TRUE(engine_->Init().ok());
  }

  Result<SquareOffOutcome> RunSquareOff(std::string reason = "loss") {
    SquareOffRequest request{std::move(reason), kDate, clock_.Now(), -5000};
    auto out = RunBounded(engine_->Run(request));
    if (!out) return InternalError("engine did not finish within 30 s");
    return std::move(*out);
  }

  Result<std::optional<SquareOffOutcome>> Resume() {
    auto out = RunBounded(engine_->ResumeUnfinished(kDate));
    if (!out) return InternalError("engine did not finish within 30 s");
    return std::move(*out);
  }

  SQLite::Database db_;
  FakeClock clock_;
  Config config_;
  EngineTuning tuning_;
  testing::FakeKite kite_;
  std::unique_ptr<SquareOffEngine> engine_;
};

}  // namespace zm::monitor
