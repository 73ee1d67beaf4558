// LtpSubscriber: the ticker session's handlers, subscriptions, positions and token handling.
#include <spdlog/spdlog.h>

#include "common/clock.h"
#include "common/kite/auth.h"
#include "common/kite/text_frame.h"
#include "common/kite/tick.h"
#include "common/log_text.h"
#include "common/logging.h"
#include "common/process_clock.h"
#include "common/url.h"
#include "ltp_subscriber/subscriber.h"
#include "ltp_subscriber/subscriptions.h"

namespace zm::ltp {
std::string LtpSubscriber::WsUrl() const {
  return kite::TickerUrl(config_.zerodha.ws_url, config_.zerodha.api_key, token_);
}

net::WsHandlers LtpSubscriber::MakeHandlers() {
  net::WsHandlers handlers;
  handlers.on_open = [this] { OnOpen(); };
  handlers.on_binary = [this](std::string_view message) { OnBinary(message); };
  handlers.on_text = [this](std::string_view message) { OnText(message); };
  return handlers;
}

void LtpSubscriber::OnOpen() {
  ws_connected_ = true;
  if (!(session_token_ == token_)) {  // the token changed while connecting
    reconnect_now_ = true;
    ws_->Close();
    return;
  }
  subscribed_.clear();  // subscriptions do not survive a reconnect: send them all again
  spdlog::info("ticker connected; subscribing {} instruments (mode {})", wanted_.size(),
               config_.websocket.mode);
  OnTokenAccepted();
  SetMeta(kMetaWsConnected, "1");
  ApplySubscriptions();
  // Order updates missed while disconnected (or before this process started) are not replayed
  // by the ticker: take them from the order book once per connect.
  if (!book_sync_running_) Spawn(SyncOrderBook(), "order book");
}

LtpSubscriber::Awaitable LtpSubscriber::SyncOrderBook() {
  book_sync_running_ = true;
  auto orders = co_await deps_.api->GetOrders();
  book_sync_running_ = false;
  if (stopping_) co_return;
  if (!orders.ok()) {
    spdlog::warn("order book snapshot failed: {}", orders.status().ToString());
    co_return;
  }
  const long long now_ms = ProcessNowMs();
  for (const kite::Order& order : *orders) {
    Status stored = db_->InsertOrderUpdate(order, now_ms);
    if (!stored.ok()) {
      spdlog::error("storing the order book: {}", stored.ToString());
      co_return;
    }
  }
  SetMeta(kMetaOrderBookSyncedAt, std::to_string(now_ms));
  spdlog::info("order book snapshot stored: {} order(s)", orders->size());
}

void LtpSubscriber::OnBinary(std::string_view message) {
  session_had_message_ = true;
  kite::DecodedFrame frame = kite::DecodeFrame(message);
  if (!frame.error.ok()) {
    if (const long long n = bad_binary_log_.Record(std::chrono::steady_clock::now())) {
      spdlog::warn("bad tick frame ({} since the last report, at most one report a minute): {}", n,
                   frame.error.ToString());
    }
  }
  if (frame.ticks.empty()) return;
  const long long now_ms = ProcessNowMs();
  last_tick_ms_ = now_ms;
  ticks_received_ += static_cast<long long>(frame.ticks.size());
  for (const kite::Tick& tick : frame.ticks) coalescer_.Add(LtpRowFromTick(tick, now_ms));
  ticks_unflushed_ = true;
  if (flush_idle_) flush_timer_.cancel();  // wake FlushLoop
}

void LtpSubscriber::OnText(std::string_view message) {
  session_had_message_ = true;
  auto parsed = kite::ParseTextFrame(message);
  if (!parsed.ok()) {
    if (const long long n = bad_text_log_.Record(std::chrono::steady_clock::now())) {
      spdlog::warn(
          "bad text frame from the ticker ({} since the last report, at most one a "
          "minute): {}",
          n, parsed.status().ToString());
    }
    return;
  }
  switch (parsed->kind) {
    case kite::TextMessage::Kind::kOrder: {
      const kite::Order& order = parsed->order;
      spdlog::info("order update {} {} {} {}/{}", SanitizeForLog(order.order_id, 64),
                   SanitizeForLog(order.status, 64), SanitizeForLog(order.tradingsymbol, 64),
                   order.filled_quantity, order.quantity);
      Status stored = db_->InsertOrderUpdate(order, ProcessNowMs());
      if (!stored.ok()) spdlog::error("storing an order update: {}", stored.ToString());
      schedule_.OnOrderUpdate(std::chrono::steady_clock::now());
      positions_timer_.cancel();  // re-plan: a fetch is now due within 1 s
      break;
    }
    case kite::TextMessage::Kind::kError:
      spdlog::warn("ticker error message: {}", SanitizeForLog(parsed->text));
      break;
    case kite::TextMessage::Kind::kMessage:
      spdlog::info("ticker message: {}", SanitizeForLog(parsed->text));
      break;
    case kite::TextMessage::Kind::kUnknown:
      spdlog::debug("ticker text frame of unknown type '{}'", SanitizeForLog(parsed->text, 64));
      break;
  }
}

void LtpSubscriber::OnSessionEnded(const Status& why) {
  const bool was_connected = ws_connected_;
  ws_connected_ = false;
  subscribed_.clear();
  if (was_connected) {
    SetMeta(kMetaWsConnected, "0");
    if (!stopping_ && !reconnect_now_) spdlog::warn("ticker disconnected: {}", why.ToString());
  }
}

void LtpSubscriber::ApplySubscriptions() {
  SubscriptionPlan plan = PlanSubscriptions(subscribed_, wanted_);
  const std::string limit_error = plan.limit_error.ok() ? "" : plan.limit_error.message();
  if (limit_error != limit_error_) {
    if (!limit_error.empty()) spdlog::critical("{}", limit_error);
    limit_error_ = limit_error;
    SetMeta(kMetaSubscriptionError, limit_error);
  }
  if (!ws_connected_) return;  // OnOpen() sends everything
  if (!plan.subscribe.empty() || !plan.unsubscribe.empty()) {
    spdlog::info("subscriptions: +{} -{} = {}", plan.subscribe.size(), plan.unsubscribe.size(),
                 plan.target.size());
  }
  for (std::string& message : PlanMessages(plan, config_.websocket.mode)) {
    ws_->SendText(std::move(message));
  }
  subscribed_ = std::move(plan.target);
  SetMeta(kMetaSubscribedCount, std::to_string(subscribed_.size()));
}

void LtpSubscriber::OnPositions(const kite::Positions& positions) {
  const long long now_ms = ProcessNowMs();
  Status stored = db_->ReplacePositions(positions, now_ms);
  if (!stored.ok()) {
    spdlog::error("storing positions: {}", stored.ToString());
  } else {
    positions_synced_ms_ = now_ms;
  }
  if (token_state_ == "rejected") {
    // The token works again (renewed server-side): do not sit out the 60 s ticker wait.
    OnTokenAccepted();
    reconnect_timer_.cancel();
  }
  wanted_ = OpenPositionTokens(positions);
  ApplySubscriptions();
}

void LtpSubscriber::SetTokenState(const std::string& state) {
  if (state == token_state_) return;
  token_state_ = state;
  SetMeta(kMetaTokenState, state);
}

void LtpSubscriber::OnTokenRejected(const char* where) {
  SetTokenState("rejected");
  if (token_rejection_logged_) return;
  token_rejection_logged_ = true;
  spdlog::critical(
      "Kite rejected the access token on {} (403 TokenException): it expired or was revoked. "
      "NO live prices until it is renewed: run `zerodha_runner login`. The new token file is "
      "picked up automatically; meanwhile the ticker is retried once a minute.",
      where);
}

void LtpSubscriber::OnTokenAccepted() {
  if (token_state_ == "rejected") spdlog::warn("the access token is accepted again");
  token_rejection_logged_ = false;
  SetTokenState("ok");
}

void LtpSubscriber::OnNewToken(Secret token) {
  token_ = std::move(token);
  if (deps_.set_api_token) deps_.set_api_token(token_);
  spdlog::warn("access token file changed: reconnecting with the new token");
  token_rejection_logged_ = false;
  SetTokenState("unknown");
  backoff_.Reset();
  schedule_.RequestNow(std::chrono::steady_clock::now());
  positions_timer_.cancel();
  reconnect_timer_.cancel();  // waiting between attempts: try now
  if (ws_) {
    reconnect_now_ = true;
    ws_->Close();  // in a session: end it; WsLoop reconnects at once
  }
}

}  // namespace zm::ltp
