// WalWatch: wakes the monitor when another process writes zerodha_trading.db, without polling.
//
// Every commit of the subscriber (prices, positions, order updates, its heartbeat) appends to
// the database's write-ahead log, "<db>-wal". An inotify watch on that file (IN_MODIFY) turns
// those writes into one readable file descriptor: Wait() returns when at least one write
// happened since the last call (several writes in between count once). The caller then asks
// SQLite whether a commit is visible (PRAGMA data_version) - the watch says "look", never
// "something changed".
// Why not a timer: polling data_version every 50 ms cost the idle suite 20 wake-ups a second
// (about a third of the monitor's idle CPU); the watch wakes only when there was a write.
// The WAL file can be absent (the subscriber has not opened the database yet) or replaced; then
// armed() is false and the caller polls until Arm() succeeds again.
// Ownership: owns the inotify descriptor. Threading: the io_context's thread only.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <filesystem>

namespace zm::monitor {

class WalWatch {
 public:
  explicit WalWatch(boost::asio::any_io_executor executor);
  ~WalWatch();
  WalWatch(const WalWatch&) = delete;
  WalWatch& operator=(const WalWatch&) = delete;

  // Watches `db_path` + "-wal"; false when the file cannot be watched now (retry later).
  bool Arm(const std::filesystem::path& db_path);
  bool armed() const { return watch_ >= 0; }
  // Completes after one or more writes to the watched file (true), or when the watch ended
  // (the file was deleted or replaced: armed() is then false) or Cancel() was called (false).
  boost::asio::awaitable<bool> Wait();
  void Cancel();

 private:
  boost::asio::posix::stream_descriptor inotify_;
  int watch_ = -1;
};

}  // namespace zm::monitor
