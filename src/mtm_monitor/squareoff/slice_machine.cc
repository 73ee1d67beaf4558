#include "mtm_monitor/squareoff/slice_machine.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/backoff.h"
#include "common/enum_names.h"
#include "mtm_monitor/squareoff/tags.h"

namespace zm::monitor {
namespace {

const char* TerminalState(const std::string& status) {
  if (status == "COMPLETE") return order_state::kComplete;
  if (status == "REJECTED") return order_state::kRejected;
  return order_state::kCancelled;
}

SliceAction Note(std::string text, bool warn = false) {
  SliceAction a;
  a.kind = SliceAction::Kind::kNote;
  a.text = std::move(text);
  a.warn = warn;
  return a;
}

void Append(SliceActions& to, SliceActions more) {
  for (auto& a : more) to.push_back(std::move(a));
}

bool MentionsModifications(const std::string& message) {
  std::string lower = message;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.find("modification") != std::string::npos;
}

}  // namespace

bool OrderMatchesRow(const kite::Order& order, const JournaledOrder& row) {
  if (OrderHasTag(order, row.tag)) return true;
  if (order.order_id.empty()) return false;
  return order.order_id == row.order_id || std::find(row.child_ids.begin(), row.child_ids.end(),
                                                     order.order_id) != row.child_ids.end();
}

bool ApplyLateOrder(const kite::Order& order, long long now_ms, JournaledOrder& row) {
  const JournaledOrder before = row;
  if (row.order_id.empty()) row.order_id = order.order_id;
  if (std::find(row.child_ids.begin(), row.child_ids.end(), order.order_id) == row.child_ids.end())
    row.child_ids.push_back(order.order_id);
  // One order per row except autoslice, whose children are not told apart here: the largest
  // fill seen is kept (never less than before).
  const long long filled = std::max(row.filled_quantity, order.filled_quantity);
  if (filled > row.filled_quantity) row.filled_at_ms = now_ms;
  row.filled_quantity = filled;
  if (order.average_price > 0) row.average_price = order.average_price;
  row.status = order.status;
  row.state =
      kite::IsTerminalStatus(order.status) ? TerminalState(order.status) : order_state::kPlaced;
  if (!(row.state == before.state && row.status == before.status &&
        row.filled_quantity == before.filled_quantity && row.order_id == before.order_id)) {
    row.updated_at_ms = now_ms;
    return true;
  }
  return false;
}

constexpr auto kSliceStateNames =
    MakeEnumNames<SliceState>({"pending", "sending", "sent", "unknown", "resting", "repricing",
                               "cancelling", "filled", "returned", "given_up"});

const char* SliceStateName(SliceState state) { return kSliceStateNames.Name(state); }

SliceMachine::SliceMachine(SliceSetup setup, const SliceTuning& tuning, Instant now)
    : setup_(std::move(setup)), tuning_(tuning) {
  use_limit_ = setup_.use_limit;
  walk_step_ = setup_.walk_step;
  due_at_ = now.mono;
}

SliceMachine SliceMachine::Resume(const JournaledOrder& row, const SliceTuning& tuning,
                                  Instant now) {
  SliceSetup setup;
  setup.squareoff_id = row.squareoff_id;
  setup.round = row.round;
  setup.slice_number = row.slice;
  setup.plan = {row.exchange,         row.tradingsymbol,    row.product,
                row.transaction_type, row.quantity,         0,
                row.tick_size,        row.instrument_token, row.autoslice};
  setup.use_limit = row.order_type == "LIMIT";
  setup.walk_step = row.walk_step;
  SliceMachine m(setup, tuning, now);
  m.resume_only_ = true;
  m.attempts_.push_back(row);
  m.next_attempt_ = row.attempt + 1;
  m.state_ = row.unknown() ? SliceState::kUnknown : SliceState::kSent;
  m.live_since_ = m.last_touch_ = now.mono;
  return m;
}

long long SliceMachine::remaining() const {
  long long current = 0;
  if (!final() && !attempts_.empty() && state_ != SliceState::kPending) {
    current = attempts_.back().filled_quantity;
  }
  return std::max(0LL, setup_.plan.quantity - filled_before_ - current);
}

bool SliceMachine::OwnsOrder(const kite::Order& order) const {
  return !attempts_.empty() && OrderMatchesRow(order, attempts_.back());
}

bool SliceMachine::OwnsAnyAttempt(const kite::Order& order) const {
  for (const JournaledOrder& r : attempts_) {
    if (OrderMatchesRow(order, r)) return true;
  }
  return false;
}

SliceActions SliceMachine::OnLateOrder(const kite::Order& order, Instant now, bool* live) {
  *live = !kite::IsTerminalStatus(order.status);
  for (JournaledOrder& r : attempts_) {
    if (!OrderMatchesRow(order, r)) continue;
    if (ApplyLateOrder(order, now.wall_ms, r)) {
      SliceAction a;
      a.kind = SliceAction::Kind::kJournal;
      a.row = r;
      return {a};
    }
    return {};
  }
  return {};
}

MonoTime SliceMachine::next_wakeup() const {
  switch (state_) {
    case SliceState::kPending:
      return due_at_;
    case SliceState::kSent: {
      // Only an OPEN order can rest (an order still in OPEN PENDING cannot be modified); the
      // book reads and updates move the others along.
      bool open = false;
      for (const auto& c : children_) open = open || c.status == "OPEN";
      if (!open) return MonoTime::max();
      const MonoDuration pause = use_limit_ ? tuning_.reprice_interval : tuning_.rest_timeout;
      return std::max(live_since_ + tuning_.rest_timeout, last_touch_ + pause);
    }
    case SliceState::kCancelling:
      return cancels_sent_ < 3 ? cancel_sent_at_ + tuning_.cancel_wait : MonoTime::max();
    default:
      return MonoTime::max();
  }
}

SliceAction SliceMachine::Journal(Instant now) {
  row().updated_at_ms = now.wall_ms;
  SliceAction a;
  a.kind = SliceAction::Kind::kJournal;
  a.row = row();
  return a;
}

SliceActions SliceMachine::OnTimer(Instant now) {
  SliceActions out;
  switch (state_) {
    case SliceState::kPending:
      if (now.mono >= due_at_) return Place(now);
      break;
    case SliceState::kSent:
      if (now.mono >= next_wakeup()) return Resting(now);
      break;
    case SliceState::kCancelling:
      if (now.mono >= next_wakeup() && cancels_sent_ < 3) {
        cancel_sent_at_ = now.mono;
        for (const std::string& id : LiveOrderIds()) {
          SliceAction a;
          a.kind = SliceAction::Kind::kCancel;
          a.row = row();
          a.order_id = id;
          out.push_back(std::move(a));
          ++cancels_sent_;
        }
      }
      break;
    default:
      break;
  }
  return out;
}

SliceActions SliceMachine::Place(Instant now) {
  if (next_attempt_ > kMaxTagAttempt) return Failed("no attempt numbers left", now);
  JournaledOrder r;
  r.tag = MakeTag(setup_.squareoff_id, setup_.slice_number, next_attempt_);
  r.squareoff_id = setup_.squareoff_id;
  r.round = setup_.round;
  r.slice = setup_.slice_number;
  r.attempt = next_attempt_++;
  r.exchange = setup_.plan.exchange;
  r.tradingsymbol = setup_.plan.tradingsymbol;
  r.product = setup_.plan.product;
  r.transaction_type = setup_.plan.transaction_type;
  r.quantity = remaining();
  r.order_type = use_limit_ ? "LIMIT" : "MARKET";
  r.market_protection = use_limit_ ? 0 : tuning_.market_protection;
  r.autoslice = setup_.plan.autoslice;
  r.walk_step = walk_step_;
  r.created_at_ms = r.updated_at_ms = now.wall_ms;
  r.instrument_token = setup_.plan.instrument_token;
  r.tick_size = setup_.plan.tick_size;
  attempts_.push_back(r);
  children_.clear();
  cancel_requested_ = false;
  modifications_at_last_fill_ = 0;
  absent_since_.reset();
  absent_reads_ = 0;
  state_ = SliceState::kSending;
  SliceAction a;
  a.kind = SliceAction::Kind::kPlace;
  a.row = r;
  a.walk_step = walk_step_;
  return {a};
}

SliceActions SliceMachine::OnPlaceAnswer(const PlaceAnswer& answer, Instant now) {
  if (attempts_.empty()) return {};
  JournaledOrder& r = row();
  if (answer.price > 0) r.price = answer.price;
  if (state_ != SliceState::kSending) {
    // The order showed up (book / WebSocket) before its answer: the answer adds only ids.
    if (answer.status.ok() && r.order_id.empty() && !answer.order_ids.empty()) {
      r.order_id = answer.order_ids.front();
      r.child_ids = answer.order_ids;
      return {Journal(now)};
    }
    return {};
  }
  const Status& st = answer.status;
  if (st.ok()) {
    state_ = SliceState::kSent;
    r.state = order_state::kPlaced;
    if (!answer.order_ids.empty()) {
      r.order_id = answer.order_ids.front();
      r.child_ids = answer.order_ids;
    }
    live_since_ = last_touch_ = now.mono;
    return {Journal(now)};
  }
  r.error = st.ToString();
  last_error_ = st.message();
  if (answer.sent && (st.outcome_unknown() || st.http_status() >= 500)) {
    state_ = SliceState::kUnknown;
    SliceActions out{Journal(now), Note(fmt::format("{} outcome unknown ({}): reconciling by tag",
                                                    r.tag, st.ToString()),
                                        true)};
    SliceAction read;
    read.kind = SliceAction::Kind::kReadBook;
    out.push_back(std::move(read));
    return out;
  }
  r.state = order_state::kNotSent;
  SliceActions out{Journal(now)};
  if (!answer.sent || st.code() == StatusCode::kConnectFailed) {
    Append(out, Failed(st.message(), now));
    return out;
  }
  Append(out, Refused(ClassifyRefusal(st.http_status(), st.error_type(), st.message()),
                      st.message(), now));
  return out;
}

SliceActions SliceMachine::OnOrderSeen(const kite::Order& order, Instant now) {
  if (attempts_.empty() || final() || !OwnsOrder(order)) return {};
  seen_in_read_ = true;
  JournaledOrder& r = row();
  auto child = std::find_if(children_.begin(), children_.end(),
                            [&](const kite::Order& c) { return c.order_id == order.order_id; });
  if (child == children_.end()) {
    children_.push_back(order);
  } else if (kite::IsTerminalStatus(child->status)) {
    return {};  // terminal is final; a late non-terminal echo changes nothing
  } else {
    *child = order;
  }
  if (state_ == SliceState::kResting) state_ = SliceState::kSent;  // a change: watch it again
  if (state_ == SliceState::kUnknown || state_ == SliceState::kSending) {
    if (state_ == SliceState::kUnknown) live_since_ = last_touch_ = now.mono;
    state_ = state_ == SliceState::kUnknown ? SliceState::kSent : state_;
  }
  long long filled = 0;
  double value = 0;
  bool all_terminal = true;
  std::string status;
  for (const auto& c : children_) {
    filled += c.filled_quantity;
    value += c.average_price * static_cast<double>(c.filled_quantity);
    all_terminal = all_terminal && kite::IsTerminalStatus(c.status);
    if (status.empty() || !kite::IsTerminalStatus(c.status)) status = c.status;
  }
  if (r.order_id.empty()) r.order_id = children_.front().order_id;
  if (r.state == order_state::kJournaled) r.state = order_state::kPlaced;
  for (const auto& c : children_) {
    if (std::find(r.child_ids.begin(), r.child_ids.end(), c.order_id) == r.child_ids.end())
      r.child_ids.push_back(c.order_id);
  }
  const bool changed = r.status != status || r.filled_quantity != filled;
  if (filled > r.filled_quantity) {
    r.filled_at_ms = now.wall_ms;
    modifications_at_last_fill_ = r.modifications;
  }
  r.filled_quantity = std::min(filled, r.quantity);
  r.average_price = filled > 0 ? value / static_cast<double>(filled) : 0;
  r.status = status;
  // Every order the answer named must have ended; with autoslice, also every child the broker
  // cut the quantity into (they show up one by one, all with our tag).
  long long covered = 0;
  for (const auto& c : children_) covered += c.quantity;
  const bool all_children = !r.autoslice || covered >= r.quantity;
  if (all_terminal && all_children && children_.size() >= std::max<size_t>(1, r.child_ids.size())) {
    return AttemptEnded(now);
  }
  if (changed) return {Journal(now)};
  return {};
}

SliceActions SliceMachine::AttemptEnded(Instant now) {
  JournaledOrder& r = row();
  bool any_rejected = false, any_cancelled = false;
  std::string message;
  for (const auto& c : children_) {
    if (c.status == "REJECTED") any_rejected = true;
    if (c.status == "CANCELLED") any_cancelled = true;
    if (!c.status_message.empty()) message = c.status_message;
  }
  r.state = any_rejected    ? order_state::kRejected
            : any_cancelled ? order_state::kCancelled
                            : TerminalState(r.status);
  if (!message.empty()) r.error = message;
  filled_before_ += r.filled_quantity;
  SliceActions out{Journal(now)};
  const bool we_cancelled = cancel_requested_;
  cancel_requested_ = false;
  state_ = SliceState::kPending;  // until decided below
  if (remaining() == 0) {
    state_ = SliceState::kFilled;
    return out;
  }
  if (resume_only_) {
    Append(out, Return(ReturnReason::kResumed, r.tag + " ended " + r.status, now));
    return out;
  }
  if (any_rejected) {
    last_error_ = message;
    Append(out, Refused(ClassifyRefusal(0, "", message), message, now));
  } else if (we_cancelled && ++replaces_ <= tuning_.max_replaces) {
    use_limit_ = true;  // what rested is re-placed as a marketable LIMIT, further through
    ++walk_step_;
    due_at_ = now.mono;
    out.push_back(Note(fmt::format("{} rested: re-placing {} as LIMIT (walk step {})", r.tag,
                                   remaining(), walk_step_)));
  } else {
    Append(out, Failed("cancelled " + message, now));
  }
  return out;
}

SliceActions SliceMachine::Refused(const Refusal& refusal, const std::string& message,
                                   Instant now) {
  SliceActions out;
  const std::string tag = attempts_.empty() ? "" : row().tag;
  auto learn = [&] {
    SliceAction a;
    a.kind = SliceAction::Kind::kLearn;
    a.refusal = refusal;
    a.row = row();
    out.push_back(std::move(a));
  };
  switch (refusal.kind) {
    case RefusalKind::kRateLimited:
      if (++rate_limits_ > tuning_.max_rate_limits) {
        rate_limits_ = 0;
        Append(out, Failed(message, now));
      } else {
        state_ = SliceState::kPending;  // the pacer decides when
        due_at_ = now.mono;
      }
      return out;
    case RefusalKind::kMarketRefused:
      if (!use_limit_) {
        use_limit_ = true;
        state_ = SliceState::kPending;
        due_at_ = now.mono;
        out.push_back(Note(tag + ": MARKET refused (" + message + "): a marketable LIMIT follows"));
        return out;
      }
      break;
    case RefusalKind::kLotSize:
    case RefusalKind::kFreeze:
      if (refusal.lot_size || refusal.freeze_quantity || refusal.kind == RefusalKind::kFreeze) {
        learn();
        Append(out, Return(ReturnReason::kLearnt, tag + " refused: " + message, now));
        return out;
      }
      break;
    case RefusalKind::kTickSize:
      if (refusal.tick_size) {
        learn();
        state_ = SliceState::kPending;
        due_at_ = now.mono;
        return out;
      }
      break;
    case RefusalKind::kCircuit:
      learn();
      break;
    case RefusalKind::kMarketClosed:
      state_ = SliceState::kGivenUp;
      market_closed_ = true;
      out.push_back(Note(tag + ": market closed (" + message + "): not retried now", true));
      return out;
    default:
      break;
  }
  Append(out, Failed(message, now));
  return out;
}

SliceActions SliceMachine::Failed(const std::string& why, Instant now) {
  last_error_ = why;
  if (++failures_ > tuning_.max_failures) {
    state_ = SliceState::kGivenUp;
    return {
        Note(fmt::format("slice {} {} {} given up after {} failure(s): {}", setup_.slice_number,
                         setup_.plan.transaction_type, setup_.plan.tradingsymbol, failures_, why),
             true)};
  }
  // order_retry_delay * 2^(n-1), capped at 60 s.
  const MonoDuration delay =
      DoublingBackoff<MonoDuration>(tuning_.retry_delay, failures_ - 1, std::chrono::seconds(60));
  state_ = SliceState::kPending;
  due_at_ = now.mono + delay;
  return {};
}

SliceActions SliceMachine::Return(ReturnReason reason, const std::string& why, Instant now) {
  (void)now;
  state_ = SliceState::kReturned;
  return_reason_ = reason;
  last_error_ = why;
  return {};
}

SliceActions SliceMachine::OnBookRead(bool success, Instant now) {
  const bool seen = seen_in_read_;
  seen_in_read_ = false;
  if (state_ != SliceState::kUnknown) return {};
  if (!success) {
    absent_since_.reset();  // the window counts successful reads only
    absent_reads_ = 0;
    return {};
  }
  if (seen) return {};
  ++absent_reads_;
  if (!absent_since_) absent_since_ = now.mono;
  if (absent_reads_ < tuning_.min_absent_reads ||
      now.mono - *absent_since_ < tuning_.absence_window)
    return {};
  JournaledOrder& r = row();
  r.state = order_state::kNotSent;
  r.error += " | not in the order book";
  SliceActions out{Journal(now), Note(r.tag + " proven absent from the order book", true)};
  Append(out, Return(ReturnReason::kAbsent, "absent from the order book", now));
  return out;
}

SliceActions SliceMachine::Resting(Instant now) {
  last_touch_ = now.mono;
  JournaledOrder& r = row();
  const bool limit = r.order_type == "LIMIT";
  const bool at_cap = WalkAtCap(walk_step_, tuning_.walk);
  // Re-pricing that fills nothing any more gives way to a fresh order (at the same walk step).
  const bool stalled = r.modifications - modifications_at_last_fill_ >= kStalledModifications;
  if (limit && !resume_only_ && r.modifications < tuning_.max_modifications && !at_cap &&
      !stalled) {
    state_ = SliceState::kRepricing;
    SliceAction a;
    a.kind = SliceAction::Kind::kModify;
    a.row = r;
    a.order_id = r.order_id;
    a.walk_step = walk_step_ + 1;
    return {a};
  }
  if (limit && !resume_only_ && replaces_ >= tuning_.max_replaces) {
    state_ = SliceState::kResting;  // nothing left to try on it: it rests where it is
    if (noted_cap_) return {};
    noted_cap_ = true;
    return {Note(r.tag + " rests: price walk and re-placements used up", true)};
  }
  state_ = SliceState::kCancelling;
  cancel_requested_ = true;
  cancel_sent_at_ = now.mono;
  SliceActions out{Note(r.tag + " rested: cancelling to re-place")};
  for (const std::string& id : LiveOrderIds()) {
    SliceAction a;
    a.kind = SliceAction::Kind::kCancel;
    a.row = r;
    a.order_id = id;
    out.push_back(std::move(a));
    ++cancels_sent_;
  }
  return out;
}

std::vector<std::string> SliceMachine::LiveOrderIds() const {
  std::vector<std::string> ids;
  for (const auto& c : children_) {
    if (!kite::IsTerminalStatus(c.status)) ids.push_back(c.order_id);
  }
  if (ids.empty() && !attempts_.empty() && !attempts_.back().order_id.empty() && children_.empty())
    ids.push_back(attempts_.back().order_id);
  return ids;
}

SliceActions SliceMachine::OnModifyAnswer(const ModifyAnswer& answer, Instant now) {
  if (state_ != SliceState::kRepricing) return {};
  state_ = SliceState::kSent;
  last_touch_ = now.mono;
  JournaledOrder& r = row();
  if (answer.skipped) {
    ++walk_step_;
    return {};
  }
  if (answer.status.ok()) {
    ++walk_step_;
    ++r.modifications;
    r.walk_step = walk_step_;
    r.price = answer.price;
    return {Journal(now)};
  }
  if (MentionsModifications(answer.status.message())) {
    r.modifications = tuning_.max_modifications;  // the broker says no more: re-place instead
    return {Journal(now)};
  }
  return {Note(r.tag + " modify: " + answer.status.ToString())};
}

SliceActions SliceMachine::OnCancelAnswer(const std::string& order_id, const Status& status,
                                          Instant now) {
  (void)order_id;
  if (state_ != SliceState::kCancelling) return {};
  if (status.ok() || status.outcome_unknown()) return {};
  // "cannot be cancelled as it is being processed or is already COMPLETE": the book tells.
  const std::string lower = status.message();
  if (lower.find("already") != std::string::npos || lower.find("processed") != std::string::npos)
    return {};
  state_ = SliceState::kSent;  // not cancelled: the next resting check tries again
  cancel_requested_ = false;
  last_touch_ = now.mono;
  return {Note(row().tag + " cancel: " + status.ToString())};
}

}  // namespace zm::monitor
