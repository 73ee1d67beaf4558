// Test helpers: run one coroutine on a test io_context to completion, bounded in time.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <optional>
#include <thread>

namespace zm::net::testing {

// Runs `task` on `ioc` until it completes or `limit` passes; nullopt (and a test failure) when
// it did not complete in time.
template <typename T>
boost::asio::awaitable<void> StoreResult(boost::asio::awaitable<T> task, std::optional<T>* out) {
  out->emplace(co_await std::move(task));
}

template <typename T>
std::optional<T> RunFor(boost::asio::io_context& ioc, boost::asio::awaitable<T> task,
                        std::chrono::milliseconds limit = std::chrono::seconds(5)) {
  std::optional<T> out;
  boost::asio::co_spawn(ioc, StoreResult(std::move(task), &out), boost::asio::detached);
  ioc.restart();
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!out && std::chrono::steady_clock::now() < deadline) {
    ioc.run_for(std::chrono::milliseconds(20));
    if (ioc.stopped()) ioc.restart();
  }
  EXPECT_TRUE(out.has_value()) << "coroutine did not complete within " << limit.count() << " ms";
  return out;
}

// Polls `done` every 10 ms until it holds or `limit` passes (for state on the servers' threads).
template <typename Predicate>
bool WaitFor(Predicate done, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace zm::net::testing
