// RunMachine, part 2: the order book, WebSocket order updates, answers to order requests, the
// trader's open orders, orders of ours that no slice owns, and GTT triggers.
#include <fmt/format.h>

#include <algorithm>

#include "mtm_monitor/squareoff/run_machine.h"
#include "mtm_monitor/squareoff/tags.h"

namespace zm::monitor {

namespace {

bool SaysAlreadyFinal(const Status& status) {
  const std::string& m = status.message();
  return m.find("already") != std::string::npos || m.find("processed") != std::string::npos;
}

}  // namespace

RunActions RunMachine::OnBook(const Result<std::vector<kite::Order>>& read, Instant now) {
  RunActions out;
  book_in_flight_ = false;
  book_due_ = now.mono + policy_.poll_interval;
  if (read.ok()) {
    book_read_once_ = true;
    for (const kite::Order& order : *read) {
      for (RunAction& a : SeeOrder(order, now)) out.push_back(std::move(a));
    }
  } else {
    Log(out, 1, "order book read failed: " + read.status().ToString());
  }
  for (size_t i = 0; i < slices_.size(); ++i) {
    if (slices_[i].final()) continue;
    for (RunAction& a : Dispatch(i, slices_[i].OnBookRead(read.ok(), now), now))
      out.push_back(std::move(a));
  }
  return WithAfterEvent(std::move(out), now);
}

RunActions RunMachine::OnOrderUpdate(const kite::Order& order, Instant now) {
  RunActions out = SeeOrder(order, now);
  return WithAfterEvent(std::move(out), now);
}

RunActions RunMachine::SeeOrder(const kite::Order& order, Instant now) {
  for (size_t i = 0; i < slices_.size(); ++i) {
    if (!slices_[i].final() && slices_[i].OwnsOrder(order)) {
      return Dispatch(i, slices_[i].OnOrderSeen(order, now), now);
    }
  }
  const std::optional<std::string> tag = EngineTagOf(order);
  bool ours = tag.has_value();
  for (const SliceMachine& s : slices_) ours = ours || s.OwnsAnyAttempt(order);
  for (const JournaledOrder& r : foreign_rows_) ours = ours || OrderMatchesRow(order, r);
  if (ours) return SeeOrphan(order, tag.value_or(""), now);
  return SeeTraderOrder(order, now);
}

RunActions RunMachine::SeeOrphan(const kite::Order& order, const std::string& tag, Instant now) {
  RunActions out;
  bool live = !kite::IsTerminalStatus(order.status);
  bool known = false;
  for (size_t i = 0; i < slices_.size() && !known; ++i) {
    if (!slices_[i].OwnsAnyAttempt(order)) continue;
    known = true;
    for (RunAction& a : Dispatch(i, slices_[i].OnLateOrder(order, now, &live), now))
      out.push_back(std::move(a));
  }
  for (JournaledOrder& r : foreign_rows_) {
    if (known || !OrderMatchesRow(order, r)) continue;
    known = true;
    if (ApplyLateOrder(order, now.wall_ms, r)) {
      RunAction a;
      a.kind = RunAction::Kind::kJournal;
      a.row = r;
      out.push_back(std::move(a));
    }
  }
  if (!known) {
    // Tagged by this system but not in the journal (e.g. zerodha_mtm.db was replaced): journal
    // it now so that its fills count.
    JournaledOrder r;
    r.tag = tag;
    if (auto parts = ParseTag(tag)) {
      r.squareoff_id = parts->squareoff_id;
      r.slice = parts->slice;
      r.attempt = parts->attempt;
    }
    r.exchange = order.exchange;
    r.tradingsymbol = order.tradingsymbol;
    r.product = order.product;
    r.transaction_type = order.transaction_type;
    r.quantity = order.quantity;
    r.order_type = order.order_type;
    r.instrument_token = order.instrument_token;
    r.created_at_ms = now.wall_ms;
    r.error = "not journaled: found in the order book";
    ApplyLateOrder(order, now.wall_ms, r);
    foreign_rows_.push_back(r);
    RunAction a;
    a.kind = RunAction::Kind::kJournal;
    a.row = r;
    out.push_back(std::move(a));
    Log(out, 1,
        fmt::format("order {} tagged {} is not in the journal: journaled now", order.order_id,
                    tag));
  }
  if (live && orphan_cancelled_.insert(order.order_id).second) {
    Log(out, 1,
        fmt::format("order {} ({}) of ours showed up after its slice ended: cancelling it",
                    order.order_id, tag));
    RunAction a;
    a.kind = RunAction::Kind::kCancel;
    a.order_id = order.order_id;
    a.variety = order.variety.empty() ? "regular" : order.variety;
    a.own = true;
    out.push_back(std::move(a));
  }
  return out;
}

RunActions RunMachine::SeeTraderOrder(const kite::Order& order, Instant now) {
  RunActions out;
  TraderOrder& t = trader_orders_[order.order_id];
  t.order = order;
  if (kite::IsTerminalStatus(order.status)) {
    if (t.state != TraderOrder::State::kDone && t.state != TraderOrder::State::kOpen) {
      Log(out, 0, fmt::format("trader's order {} is {}", order.order_id, order.status));
    }
    t.state = TraderOrder::State::kDone;
    return out;
  }
  if (t.state == TraderOrder::State::kDone) t.state = TraderOrder::State::kOpen;  // re-opened?
  if (!policy_.cancel_open_orders || policy_.dry_run) return out;
  const std::string instrument = InstrumentKey(order.exchange, order.tradingsymbol);
  if (cancelled_before_.count(order.order_id) && t.state == TraderOrder::State::kOpen &&
      t.attempts == 0) {
    if (not_again_noted_.insert(order.order_id).second) {
      Log(out, 1,
          fmt::format("trader's order {} on {} was cancelled once today already: left "
                      "alone",
                      order.order_id, instrument));
    }
    return out;
  }
  // An exit not planned yet on that instrument waits for this cancellation.
  for (const auto& [name, k] : keys_) {
    if (InstrumentKey(k.exchange, k.tradingsymbol) != instrument) continue;
    if (k.phase == KeyState::Phase::kWaitRead && k.rounds == 0) {
      Hold& hold = holds_[instrument];
      if (!hold.cancel) hold.until = std::max(hold.until, now.mono + policy_.cancel_hold);
      hold.cancel = true;
    }
  }
  return out;
}

RunActions RunMachine::CancelTraderOrders(Instant now, bool only_held) {
  RunActions out;
  if (!policy_.cancel_open_orders || policy_.dry_run) return out;
  for (auto& [id, t] : trader_orders_) {
    const bool first =
        t.state == TraderOrder::State::kOpen && t.attempts == 0 && !cancelled_before_.count(id);
    const bool retry = t.state == TraderOrder::State::kFailed &&
                       t.attempts < policy_.max_cancel_attempts && now.mono >= t.retry_at;
    if (!first && !retry) continue;
    const std::string instrument = InstrumentKey(t.order.exchange, t.order.tradingsymbol);
    if (only_held && !holds_.count(instrument)) continue;
    ++t.attempts;
    t.state = TraderOrder::State::kCancelSent;
    t.sent_at = now.mono;
    cancelled_before_.insert(id);
    RunAction cancel;
    cancel.kind = RunAction::Kind::kCancel;
    cancel.order_id = id;
    cancel.variety = t.order.variety.empty() ? "regular" : t.order.variety;
    cancel.own = false;
    out.push_back(std::move(cancel));
    RunAction save;
    save.kind = RunAction::Kind::kSaveCancelled;
    save.order_id = id;
    out.push_back(std::move(save));
    Log(out, 1,
        fmt::format("cancelling the trader's open order {} {} {} {} ({})", id,
                    t.order.transaction_type, t.order.quantity, instrument, t.order.status));
  }
  return out;
}

RunActions RunMachine::OnCancelAnswer(const std::string& order_id, bool own, const Status& status,
                                      Instant now) {
  RunActions out;
  if (own) {
    for (size_t i = 0; i < slices_.size(); ++i) {
      if (slices_[i].final()) continue;
      const JournaledOrder* row = slices_[i].current();
      if (row == nullptr) continue;
      const bool mine =
          row->order_id == order_id ||
          std::find(row->child_ids.begin(), row->child_ids.end(), order_id) != row->child_ids.end();
      if (!mine) continue;
      for (RunAction& a : Dispatch(i, slices_[i].OnCancelAnswer(order_id, status, now), now))
        out.push_back(std::move(a));
    }
    if (!status.ok()) Log(out, 1, fmt::format("cancel {}: {}", order_id, status.ToString()));
  } else if (auto it = trader_orders_.find(order_id); it != trader_orders_.end()) {
    TraderOrder& t = it->second;
    if (status.ok() || status.outcome_unknown()) {
      // Wait for the book or the WebSocket to show it CANCELLED.
    } else if (SaysAlreadyFinal(status)) {
      t.state = TraderOrder::State::kDone;
    } else {
      t.state = TraderOrder::State::kFailed;
      t.retry_at = now.mono + std::chrono::seconds(1);
      Log(out, t.attempts < policy_.max_cancel_attempts ? 1 : 2,
          fmt::format("cancel of the trader's order {} failed ({} of {}): {}", order_id, t.attempts,
                      policy_.max_cancel_attempts, status.ToString()));
    }
  }
  return WithAfterEvent(std::move(out), now);
}

RunActions RunMachine::OnPlaceAnswer(const std::string& tag, const PlaceAnswer& answer,
                                     Instant now) {
  const std::optional<size_t> i = SliceWithTag(tag);
  if (!i) return AfterEvent(now);
  return WithAfterEvent(Dispatch(*i, slices_[*i].OnPlaceAnswer(answer, now), now), now);
}

RunActions RunMachine::OnModifyAnswer(const std::string& tag, const ModifyAnswer& answer,
                                      Instant now) {
  const std::optional<size_t> i = SliceWithTag(tag);
  if (!i) return AfterEvent(now);
  return WithAfterEvent(Dispatch(*i, slices_[*i].OnModifyAnswer(answer, now), now), now);
}

std::optional<size_t> RunMachine::SliceWithTag(const std::string& tag) const {
  for (size_t i = 0; i < slices_.size(); ++i) {
    const JournaledOrder* row = slices_[i].current();
    if (row != nullptr && row->tag == tag) return i;
  }
  return std::nullopt;
}

void RunMachine::ReleaseHolds(Instant now) {
  for (auto it = holds_.begin(); it != holds_.end();) {
    const std::string& instrument = it->first;
    Hold& hold = it->second;
    if (hold.cancel) {
      bool pending = false;
      for (const auto& [id, t] : trader_orders_) {
        if (InstrumentKey(t.order.exchange, t.order.tradingsymbol) != instrument) continue;
        pending =
            pending || t.state == TraderOrder::State::kCancelSent ||
            (t.state == TraderOrder::State::kOpen && !cancelled_before_.count(id)) ||
            (t.state == TraderOrder::State::kFailed && t.attempts < policy_.max_cancel_attempts);
      }
      hold.cancel = pending;
    }
    if (hold.unknown) {
      bool unknown = false;
      for (const SliceMachine& s : slices_) {
        unknown = unknown || (s.state() == SliceState::kUnknown &&
                              InstrumentKey(s.setup().plan.exchange,
                                            s.setup().plan.tradingsymbol) == instrument);
      }
      hold.unknown = unknown;
    }
    if ((hold.cancel || hold.unknown) && now.mono < hold.until) {
      ++it;
      continue;
    }
    // Released: positions may have changed meanwhile (a stop that filled before its cancel).
    for (auto& [name, k] : keys_) {
      if (InstrumentKey(k.exchange, k.tradingsymbol) != instrument) continue;
      if (k.phase == KeyState::Phase::kWaitRead) k.need_read_after = now.mono;
    }
    positions_due_ = std::min(positions_due_, now.mono);
    it = holds_.erase(it);
  }
}

bool RunMachine::CancelsSettled() const {
  for (const auto& [id, t] : trader_orders_) {
    if (t.state == TraderOrder::State::kOpen && !cancelled_before_.count(id) &&
        policy_.cancel_open_orders && !policy_.dry_run)
      return false;
    if (t.state == TraderOrder::State::kCancelSent && !t.wait_over) return false;
    if (t.state == TraderOrder::State::kFailed && t.attempts < policy_.max_cancel_attempts)
      return false;
  }
  return true;
}

bool RunMachine::WantBook() const {
  if (!book_read_once_) return true;
  for (const SliceMachine& s : slices_) {
    if (s.in_flight()) return true;
  }
  if (!holds_.empty()) return true;
  for (const auto& [id, t] : trader_orders_) {
    if (t.state == TraderOrder::State::kCancelSent && !t.wait_over) return true;
  }
  return false;
}

RunActions RunMachine::OnGtts(const Result<std::vector<kite::Gtt>>& read, Instant now) {
  RunActions out;
  gtts_listed_ = true;
  if (read.ok()) {
    gtts_ = *read;
  } else {
    Log(out, 2,
        "GTT triggers could not be listed (they may re-open a position): " +
            read.status().ToString());
  }
  for (RunAction& a : DeleteGtts(now)) out.push_back(std::move(a));
  return WithAfterEvent(std::move(out), now);
}

RunActions RunMachine::DeleteGtts(Instant now) {
  (void)now;
  RunActions out;
  for (const kite::Gtt& g : gtts_) {
    if (g.status != "active" || gtt_deleted_.count(g.id)) continue;
    const std::string instrument = InstrumentKey(g.exchange, g.tradingsymbol);
    bool closing = false;
    for (const auto& [name, k] : keys_) {
      closing = closing || InstrumentKey(k.exchange, k.tradingsymbol) == instrument;
    }
    if (!closing) continue;
    gtt_deleted_.insert(g.id);
    RunAction a;
    a.kind = RunAction::Kind::kDeleteGtt;
    a.gtt_id = g.id;
    out.push_back(std::move(a));
    Log(out, 1,
        fmt::format("deleting GTT trigger {} on {} (it could re-open the position)", g.id,
                    instrument));
  }
  return out;
}

RunActions RunMachine::OnGttDeleted(long long id, const Status& status, Instant now) {
  RunActions out;
  if (!status.ok()) {
    Log(out, 2, fmt::format("GTT trigger {} could not be deleted: {}", id, status.ToString()));
  }
  return WithAfterEvent(std::move(out), now);
}

}  // namespace zm::monitor
