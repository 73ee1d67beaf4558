// SquareOffRun, part 3: the WebSocket order updates the subscriber stores in
// zerodha_trading.db (order_updates). A terminal update for one of our live orders ends its
// wait at once instead of at the next order book poll: a fully filled COMPLETE is applied as is
// (nothing is ever sent after it); a CANCELLED / REJECTED only brings the next book read forward,
// since what follows it (a re-send) is decided from the order book alone. The polling stays the
// fallback, and only the order book proves an order absent.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "mtm_monitor/squareoff_run.h"
#include "mtm_monitor/squareoff_util.h"

namespace zm::monitor {

using boost::asio::awaitable;

awaitable<void> SquareOffRun::WaitForUpdates(Steady::time_point until) {
  if (deps_.trading_db == nullptr) {
    if (until > Steady::now()) co_await SleepFor(until - Steady::now());
    co_return;
  }
  for (;;) {
    const auto now = Steady::now();
    if (now >= until) co_return;
    co_await SleepFor(std::min<Steady::duration>(deps_.tuning.update_check, until - now));
    if (co_await ApplyStoredUpdates()) co_return;
  }
}

awaitable<bool> SquareOffRun::ApplyStoredUpdates() {
  auto updates = deps_.trading_db->ReadOrderUpdatesAfter(update_cursor_);
  if (!updates.ok()) {
    spdlog::debug("square-off {}: stored order updates: {}", so_.id, updates.status().ToString());
    co_return false;
  }
  for (auto& update : *updates) {
    update_cursor_ = std::max(update_cursor_, update.id);
    // Non-terminal states are left to the book; an update without an id cannot be journaled.
    if (!kite::IsTerminalStatus(update.order.status) || update.order.order_id.empty()) continue;
    if (!update.order.tag.empty()) terminal_by_tag_[update.order.tag] = update.order;
    terminal_by_id_[update.order.order_id] = update.order;
  }
  bool ended = false;
  for (auto& slice : slices_) {
    if (slice.row < 0) continue;
    const JournaledOrder& row = rows_[slice.row];
    const kite::Order* order = nullptr;
    if (auto it = terminal_by_tag_.find(row.tag); it != terminal_by_tag_.end()) {
      order = &it->second;
    } else if (!row.order_id.empty()) {
      if (auto id = terminal_by_id_.find(row.order_id); id != terminal_by_id_.end())
        order = &id->second;
    }
    if (order == nullptr) continue;
    if (order->status != "COMPLETE" || order->filled_quantity != order->quantity) {
      // CANCELLED / REJECTED may lead to a re-send: that decision is taken from the order book
      // only, read once at once for this order.
      if (early_poll_for_.insert(order->order_id).second) {
        poll_now_ = true;
        ended = true;
      }
      continue;
    }
    spdlog::info("square-off {}: {} COMPLETE on the WebSocket (filled {})", so_.id, row.tag,
                 order->filled_quantity);
    co_await HandleBookOrder(slice, *order);
    ended = true;
  }
  co_return ended;
}

}  // namespace zm::monitor
