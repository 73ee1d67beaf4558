// RunMachine, part 1: start, positions, planning, settling and the finish. The order book,
// order updates, the trader's orders and GTTs are in run_machine_orders.cc.
#include "mtm_monitor/squareoff/run_machine.h"

#include <fmt/format.h>

#include <algorithm>

#include "mtm_monitor/squareoff/planner.h"
#include "mtm_monitor/squareoff/tags.h"

namespace zm::monitor {

namespace {

std::string InstrumentOf(const std::string& position_key) {
  return position_key.substr(0, position_key.rfind(':'));
}

}  // namespace

RunMachine::RunMachine(RunSetup setup, RunPolicy policy, FactsBook* facts, Instant now)
    : so_(std::move(setup.squareoff)),
      policy_(std::move(policy)),
      facts_(facts),
      ledger_(so_.trading_date, policy_.lag_max_ms),
      cancelled_before_(std::move(setup.cancelled_before)),
      limit_instruments_(std::move(setup.limit_instruments)),
      started_(now.mono) {
  ledger_.Restore(setup.ledger);
  for (JournaledOrder& row : setup.day_rows) {
    if (row.squareoff_id == so_.id)
      next_slice_number_ = std::max(next_slice_number_, row.slice + 1);
    if (!row.live() || policy_.dry_run) {
      foreign_rows_.push_back(std::move(row));
      continue;
    }
    // Whatever may still be at the broker is tracked to its end before its rest is re-planned.
    KeyState& key = KeyFor(row.position_key());
    key.phase = KeyState::Phase::kActive;
    key.rounds = std::max(key.rounds, row.squareoff_id == so_.id ? row.round : 0);
    if (row.unknown()) {
      Hold& hold = holds_[InstrumentOf(row.position_key())];
      hold.unknown = true;
      hold.until = std::max(hold.until, now.mono + policy_.unknown_hold);
    }
    slices_.push_back(SliceMachine::Resume(row, policy_.slice, now));
    key.slices.push_back(slices_.size() - 1);
  }
  for (const kite::Order& order : setup.known_orders) {
    if (EngineTagOf(order) || kite::IsTerminalStatus(order.status)) continue;
    trader_orders_[order.order_id].order = order;
    const bool will_cancel =
        policy_.cancel_open_orders && !policy_.dry_run && !cancelled_before_.count(order.order_id);
    if (will_cancel) {
      Hold& hold = holds_[InstrumentKey(order.exchange, order.tradingsymbol)];
      hold.cancel = true;
      hold.until = std::max(hold.until, now.mono + policy_.cancel_hold);
    }
  }
  positions_due_ = book_due_ = now.mono;
}

RunMachine::KeyState& RunMachine::KeyFor(const std::string& key) {
  auto it = keys_.find(key);
  if (it != keys_.end()) return it->second;
  KeyState& k = keys_[key];
  k.key = key;
  const size_t first = key.find(':');
  const size_t last = key.rfind(':');
  k.exchange = key.substr(0, first);
  k.tradingsymbol = key.substr(first + 1, last - first - 1);
  k.product = key.substr(last + 1);
  return k;
}

void RunMachine::Log(RunActions& out, int level, std::string text) const {
  RunAction a;
  a.kind = RunAction::Kind::kLog;
  a.level = level;
  a.text = fmt::format("square-off {}: {}", so_.id, text);
  out.push_back(std::move(a));
}

std::vector<JournaledOrder> RunMachine::Rows() const {
  std::vector<JournaledOrder> rows = foreign_rows_;
  for (const SliceMachine& s : slices_) {
    rows.insert(rows.end(), s.attempts().begin(), s.attempts().end());
  }
  return rows;
}

bool RunMachine::InScope(const kite::Position& p) const {
  if (!policy_.products.empty() && policy_.products.count(p.product) == 0) return false;
  return policy_.excluded_keys.count(PositionKey(p.exchange, p.tradingsymbol, p.product)) == 0;
}

bool RunMachine::Held(const std::string& instrument, MonoTime now) const {
  auto it = holds_.find(instrument);
  return it != holds_.end() && now < it->second.until && (it->second.cancel || it->second.unknown);
}

RunActions RunMachine::Start(Instant now) {
  RunActions out;
  if (!slices_.empty()) {
    Log(out, 1,
        fmt::format("resuming: {} order(s) of ours may still be at the broker", slices_.size()));
  }
  // The cancellations that gate an exit go out before anything else.
  for (RunAction& a : CancelTraderOrders(now, /*only_held=*/true)) out.push_back(std::move(a));
  if (policy_.delete_gtt && !policy_.dry_run) {
    RunAction a;
    a.kind = RunAction::Kind::kListGtts;
    out.push_back(std::move(a));
  } else {
    gtts_listed_ = true;
  }
  return WithAfterEvent(std::move(out), now);
}

RunActions RunMachine::OnPositions(const Result<kite::Positions>& read, Instant read_started,
                                   Instant now) {
  RunActions out;
  positions_in_flight_ = false;
  if (!read.ok()) {
    ++positions_failures_;
    MonoDuration delay = std::chrono::milliseconds(200);
    for (int i = 1; i < positions_failures_ && delay < std::chrono::seconds(2); ++i) delay *= 2;
    positions_due_ = now.mono + std::min<MonoDuration>(delay, std::chrono::seconds(2));
    Log(out, 1, "positions read failed: " + read.status().ToString());
    for (RunAction& a : AfterEvent(now)) out.push_back(std::move(a));
    return out;
  }
  positions_failures_ = 0;
  read_once_ = true;
  last_read_started_ = read_started.mono;
  positions_due_ = now.mono + policy_.positions_interval;
  std::map<std::string, long long> quantities;
  for (const kite::Position& p : read->net) {
    if (!InScope(p)) continue;
    quantities[PositionKey(p.exchange, p.tradingsymbol, p.product)] += p.quantity;
  }
  std::vector<LedgerEntry> changed;
  const std::vector<KeyReading> readings =
      ledger_.Apply(quantities, Rows(), read_started.wall_ms, &changed);
  for (const LedgerEntry& e : changed) {
    RunAction a;
    a.kind = RunAction::Kind::kSaveLedger;
    a.ledger = e;
    out.push_back(std::move(a));
  }
  std::vector<std::pair<KeyState*, long long>> to_plan;
  for (const KeyReading& r : readings) {
    if (r.read == 0 && r.expected == 0 && r.in_flight == 0 && !keys_.count(r.key)) continue;
    KeyState& k = KeyFor(r.key);
    k.last_read = r.read;
    if (r.state == ReadState::kRebased) {
      Log(out, 1,
          fmt::format("{}: positions show {} where our fills say otherwise for longer "
                      "than {} ms: taken as the truth",
                      r.key, r.read, policy_.lag_max_ms));
    }
    if (k.phase == KeyState::Phase::kActive || k.phase == KeyState::Phase::kGivenUp) continue;
    if (read_started.mono < k.need_read_after) continue;
    if (r.flat()) {
      k.phase = KeyState::Phase::kFlat;
      continue;
    }
    k.phase = KeyState::Phase::kWaitRead;
    if (Held(InstrumentOf(r.key), now.mono) || r.closable == 0) continue;
    to_plan.emplace_back(&k, r.closable);
  }
  // Shorts first: a short option carries the unbounded risk.
  std::stable_sort(to_plan.begin(), to_plan.end(),
                   [](const auto& a, const auto& b) { return a.second < 0 && b.second > 0; });
  for (auto& [key, closable] : to_plan) {
    for (RunAction& a : Plan(*key, closable, now)) out.push_back(std::move(a));
  }
  for (RunAction& a : DeleteGtts(now)) out.push_back(std::move(a));
  return WithAfterEvent(std::move(out), now);
}

RunActions RunMachine::Plan(KeyState& k, long long closable, Instant now) {
  RunActions out;
  if (++k.rounds > policy_.max_rounds) {
    k.phase = KeyState::Phase::kGivenUp;
    k.why_given_up = fmt::format("still open after {} plan(s)", policy_.max_rounds);
    Log(out, 2, k.key + ": " + k.why_given_up);
    return out;
  }
  if (k.rounds > so_.rounds) {
    so_.rounds = k.rounds;
    RunAction save;
    save.kind = RunAction::Kind::kSaveSquareOff;
    out.push_back(std::move(save));
  }
  const std::string instrument = InstrumentKey(k.exchange, k.tradingsymbol);
  const InstrumentFacts facts = facts_->Resolve(k.exchange, k.tradingsymbol);
  const ExitPlan plan = PlanExit({k.exchange, k.tradingsymbol, k.product, closable}, facts);
  for (const std::string& note : plan.notes) Log(out, 1, note);
  Log(out, 0,
      fmt::format("{}: closing {} in {} order(s) (plan {}; lot {} from {}, freeze {} from {})",
                  k.key, closable, plan.slices.size(), k.rounds, facts.lot_size,
                  FactSourceName(facts.lot_source), facts.freeze_quantity,
                  FactSourceName(facts.freeze_source)));
  k.slices.clear();
  k.phase = KeyState::Phase::kActive;
  for (const PlannedSlice& planned : plan.slices) {
    const size_t index = AddSlice(k, planned, limit_instruments_.count(instrument) > 0,
                                  walk_by_instrument_[instrument], now);
    if (policy_.dry_run) continue;
    for (RunAction& a : Dispatch(index, slices_[index].OnTimer(now), now))
      out.push_back(std::move(a));
  }
  if (policy_.dry_run) {
    for (size_t index : k.slices) {
      SliceActions placed = slices_[index].OnTimer(now);  // builds the row; nothing is sent
      for (SliceAction& a : placed) {
        if (a.kind != SliceAction::Kind::kPlace) continue;
        a.row.state = order_state::kDryRun;
        RunAction j;
        j.kind = RunAction::Kind::kJournal;
        j.row = a.row;
        out.push_back(std::move(j));
      }
    }
    k.phase = KeyState::Phase::kFlat;
  }
  return out;
}

size_t RunMachine::AddSlice(KeyState& key, const PlannedSlice& planned, bool use_limit,
                            int walk_step, Instant now) {
  SliceSetup setup;
  setup.squareoff_id = so_.id;
  setup.round = key.rounds;
  setup.slice_number = next_slice_number_++;
  setup.plan = planned;
  setup.use_limit = use_limit;
  setup.walk_step = walk_step;
  slices_.emplace_back(setup, policy_.slice, now);
  key.slices.push_back(slices_.size() - 1);
  return slices_.size() - 1;
}

RunActions RunMachine::Dispatch(size_t index, SliceActions actions, Instant now) {
  RunActions out;
  SliceMachine& slice = slices_[index];
  const std::string instrument =
      InstrumentKey(slice.setup().plan.exchange, slice.setup().plan.tradingsymbol);
  for (SliceAction& sa : actions) {
    RunAction a;
    a.row = sa.row;
    switch (sa.kind) {
      case SliceAction::Kind::kPlace:
        a.kind = RunAction::Kind::kPlace;
        a.walk_step = sa.walk_step;
        if (!first_place_at_) first_place_at_ = now.mono;
        break;
      case SliceAction::Kind::kModify:
        a.kind = RunAction::Kind::kModify;
        a.order_id = sa.order_id;
        a.walk_step = sa.walk_step;
        break;
      case SliceAction::Kind::kCancel:
        a.kind = RunAction::Kind::kCancel;
        a.order_id = sa.order_id;
        a.own = true;
        break;
      case SliceAction::Kind::kJournal:
        a.kind = RunAction::Kind::kJournal;
        break;
      case SliceAction::Kind::kReadBook:
        book_due_ = std::min(book_due_, now.mono);
        continue;
      case SliceAction::Kind::kLearn:
        if (!facts_->Learn(sa.row.exchange, sa.row.tradingsymbol, sa.refusal)) continue;
        a.kind = RunAction::Kind::kSaveLearnt;
        Log(out, 1,
            fmt::format("{}: the broker's answer taught a new {} (re-planning)", instrument,
                        RefusalKindName(sa.refusal.kind)));
        break;
      case SliceAction::Kind::kNote:
        Log(out, sa.warn ? 1 : 0, sa.text);
        continue;
    }
    out.push_back(std::move(a));
  }
  if (slice.use_limit()) limit_instruments_.insert(instrument);
  int& walk = walk_by_instrument_[instrument];
  walk = std::max(walk, slice.walk_step());
  return out;
}

void RunMachine::SettleKeys(Instant now, RunActions& out) {
  for (auto& [name, k] : keys_) {
    if (k.phase != KeyState::Phase::kActive) continue;
    bool all_final = true;
    for (size_t index : k.slices) all_final = all_final && slices_[index].final();
    if (!all_final) continue;
    // Refusals that taught a lot size or freeze limit: what those slices did not fill is cut
    // again at once, as one quantity (no positions read needed: none of it was filled). Only
    // once every slice of the position has ended, since its siblings were cut the same way.
    long long relearnt = 0;
    bool only_learnt = true;
    for (size_t index : k.slices) {
      const SliceMachine& s = slices_[index];
      if (s.state() == SliceState::kFilled) continue;
      if (s.state() == SliceState::kReturned && s.return_reason() == ReturnReason::kLearnt) {
        relearnt += s.remaining();
      } else {
        only_learnt = false;
      }
    }
    if (relearnt > 0 && only_learnt && ++k.learnt_replans <= kMaxLearntReplans) {
      const PlannedSlice& was = slices_[k.slices.front()].setup().plan;
      const long long signed_rest = was.transaction_type == "BUY" ? -relearnt : relearnt;
      const InstrumentFacts facts = facts_->Resolve(k.exchange, k.tradingsymbol);
      const ExitPlan plan = PlanExit({k.exchange, k.tradingsymbol, k.product, signed_rest}, facts);
      Log(out, 1,
          fmt::format("{}: re-planned {} as {} order(s) (lot {}, freeze {})", k.key, relearnt,
                      plan.slices.size(), facts.lot_size, facts.freeze_quantity));
      const bool use_limit = slices_[k.slices.front()].use_limit();
      const int walk = slices_[k.slices.front()].walk_step();
      for (size_t index : k.slices) slices_[index].ConsumeReturn();
      k.slices.clear();
      const bool limit =
          use_limit || limit_instruments_.count(InstrumentKey(k.exchange, k.tradingsymbol)) > 0;
      for (const PlannedSlice& planned : plan.slices) {
        const size_t index = AddSlice(k, planned, limit, walk, now);
        for (RunAction& a : Dispatch(index, slices_[index].OnTimer(now), now))
          out.push_back(std::move(a));
      }
      continue;
    }
    bool market_closed = false;
    for (size_t index : k.slices) market_closed = market_closed || slices_[index].market_closed();
    if (market_closed) {
      k.phase = KeyState::Phase::kGivenUp;
      k.why_given_up = "market closed";
      continue;
    }
    // Verified only by a positions read that started after the last of its orders ended.
    k.phase = KeyState::Phase::kWaitRead;
    k.need_read_after = now.mono;
    positions_due_ = std::min(positions_due_, now.mono);
  }
}

RunActions RunMachine::WithAfterEvent(RunActions out, Instant now) {
  for (RunAction& a : AfterEvent(now)) out.push_back(std::move(a));
  return out;
}

RunActions RunMachine::AfterEvent(Instant now) {
  RunActions out;
  SettleKeys(now, out);
  ReleaseHolds(now);
  for (RunAction& a : CancelTraderOrders(now, /*only_held=*/false)) out.push_back(std::move(a));
  if (finished_) return out;
  for (auto& [id, t] : trader_orders_) {
    if (t.state == TraderOrder::State::kCancelSent &&
        now.mono >= t.sent_at + policy_.slice.cancel_wait && !t.wait_over) {
      t.wait_over = true;
      Log(out, 2,
          fmt::format(
              "the trader's order {} is not shown cancelled {} ms after its "
              "cancel: check it in Kite",
              id,
              std::chrono::duration_cast<std::chrono::milliseconds>(policy_.slice.cancel_wait)
                  .count()));
    }
  }
  bool done = read_once_ && gtts_listed_ && CancelsSettled();
  for (const auto& [name, k] : keys_) {
    done = done && (k.phase == KeyState::Phase::kFlat || k.phase == KeyState::Phase::kGivenUp);
  }
  for (const SliceMachine& s : slices_) done = done && !s.in_flight();
  if (policy_.dry_run && read_once_) done = true;
  if (done || now.mono - started_ >= policy_.run_timeout) {
    for (RunAction& a : Finish(now)) out.push_back(std::move(a));
    return out;
  }
  for (RunAction& a : Schedule(now)) out.push_back(std::move(a));
  return out;
}

bool RunMachine::WantPositions() const {
  if (!read_once_) return true;
  for (const auto& [name, k] : keys_) {
    if (k.phase != KeyState::Phase::kWaitRead) continue;
    auto hold = holds_.find(InstrumentOf(name));
    if (hold == holds_.end()) return true;  // a held key is read again once released
  }
  return false;
}

RunActions RunMachine::Schedule(Instant now) {
  RunActions out;
  if (WantPositions() && !positions_in_flight_ && now.mono >= positions_due_) {
    positions_in_flight_ = true;
    RunAction a;
    a.kind = RunAction::Kind::kReadPositions;
    out.push_back(std::move(a));
  }
  if (WantBook() && !book_in_flight_ && now.mono >= book_due_) {
    book_in_flight_ = true;
    RunAction a;
    a.kind = RunAction::Kind::kReadBook;
    out.push_back(std::move(a));
  }
  return out;
}

RunActions RunMachine::OnTimer(Instant now) {
  RunActions out;
  for (size_t i = 0; i < slices_.size(); ++i) {
    if (slices_[i].final()) continue;
    for (RunAction& a : Dispatch(i, slices_[i].OnTimer(now), now)) out.push_back(std::move(a));
  }
  return WithAfterEvent(std::move(out), now);
}

MonoTime RunMachine::NextWakeup() const {
  if (finished_) return MonoTime::max();
  MonoTime next = started_ + policy_.run_timeout;
  for (const SliceMachine& s : slices_) {
    if (!s.final()) next = std::min(next, s.next_wakeup());
  }
  for (const auto& [name, hold] : holds_) next = std::min(next, hold.until);
  if (!positions_in_flight_ && WantPositions()) next = std::min(next, positions_due_);
  if (!book_in_flight_ && WantBook()) next = std::min(next, book_due_);
  for (const auto& [id, t] : trader_orders_) {
    if (t.state == TraderOrder::State::kFailed && t.attempts < policy_.max_cancel_attempts)
      next = std::min(next, t.retry_at);
    if (t.state == TraderOrder::State::kCancelSent && !t.wait_over)
      next = std::min(next, t.sent_at + policy_.slice.cancel_wait);
  }
  return next;
}

RunActions RunMachine::Finish(Instant now) {
  RunActions out;
  finished_ = true;
  std::vector<std::string> remaining;
  bool flat = true;
  for (const auto& [name, k] : keys_) {
    if (k.phase == KeyState::Phase::kFlat) continue;
    flat = false;
    std::string line =
        fmt::format("{}:{} {} {}", k.exchange, k.tradingsymbol, k.product, k.last_read);
    if (!k.why_given_up.empty()) line += " (" + k.why_given_up + ")";
    remaining.push_back(line);
  }
  so_.finished_at_ms = now.wall_ms;
  so_.remaining = remaining;
  if (policy_.dry_run) {
    so_.outcome = "dry_run";
    so_.summary = fmt::format("dry run: {} order(s) journaled, none sent", slices_.size());
  } else if (flat) {
    so_.outcome = "flat";
    so_.summary = fmt::format("flat; {} order(s), {} plan(s) at most per position",
                              Rows().size() - foreign_rows_.size(), so_.rounds);
  } else {
    so_.outcome = "failed";
    so_.summary = fmt::format("NOT FLAT: {}", fmt::join(remaining, ", "));
  }
  RunAction save;
  save.kind = RunAction::Kind::kSaveSquareOff;
  out.push_back(std::move(save));
  if (so_.outcome == "failed") {
    Log(out, 3,
        fmt::format("INCOMPLETE, still open: {}. Square off manually in Kite now.",
                    fmt::join(remaining, ", ")));
  } else {
    Log(out, 0, so_.summary);
  }
  RunAction finish;
  finish.kind = RunAction::Kind::kFinish;
  out.push_back(std::move(finish));
  return out;
}

}  // namespace zm::monitor
