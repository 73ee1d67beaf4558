#include "common/kite/model_fields.h"

namespace zm::kite {
namespace {

constexpr bool kRequired = true;
constexpr bool kOptional = false;
constexpr bool kNullWhenEmpty = true;

// In the order of Kite's answers (the first bad member is the one an error names).
using P = Position;
const ModelField<P> kPositionFields[] = {
    {"tradingsymbol", &P::tradingsymbol, kRequired},
    {"exchange", &P::exchange, kRequired},
    {"product", &P::product, kRequired},
    {"instrument_token", &P::instrument_token},
    {"quantity", &P::quantity, kRequired},
    {"overnight_quantity", &P::overnight_quantity},
    {"multiplier", &P::multiplier},
    {"average_price", &P::average_price},
    {"close_price", &P::close_price},
    {"last_price", &P::last_price},
    {"value", &P::value},
    {"pnl", &P::pnl},
    {"m2m", &P::m2m},
    {"unrealised", &P::unrealised},
    {"realised", &P::realised},
    {"buy_quantity", &P::buy_quantity},
    {"buy_price", &P::buy_price},
    {"buy_value", &P::buy_value, kRequired},
    {"buy_m2m", &P::buy_m2m},
    {"sell_quantity", &P::sell_quantity},
    {"sell_price", &P::sell_price},
    {"sell_value", &P::sell_value, kRequired},
    {"sell_m2m", &P::sell_m2m},
    {"day_buy_quantity", &P::day_buy_quantity},
    {"day_buy_price", &P::day_buy_price},
    {"day_buy_value", &P::day_buy_value},
    {"day_sell_quantity", &P::day_sell_quantity},
    {"day_sell_price", &P::day_sell_price},
    {"day_sell_value", &P::day_sell_value},
};

using O = Order;
const ModelField<O> kOrderFields[] = {
    {"order_id", &O::order_id, kRequired},
    {"exchange_order_id", &O::exchange_order_id, kOptional, kNullWhenEmpty},
    {"parent_order_id", &O::parent_order_id, kOptional, kNullWhenEmpty},
    {"status", &O::status, kRequired},
    {"status_message", &O::status_message, kOptional, kNullWhenEmpty},
    {"order_timestamp", &O::order_timestamp, kOptional, kNullWhenEmpty},
    {"exchange_timestamp", &O::exchange_timestamp, kOptional, kNullWhenEmpty},
    {"variety", &O::variety},
    {"exchange", &O::exchange},
    {"tradingsymbol", &O::tradingsymbol},
    {"instrument_token", &O::instrument_token},
    {"order_type", &O::order_type},
    {"transaction_type", &O::transaction_type},
    {"validity", &O::validity},
    {"product", &O::product},
    {"quantity", &O::quantity},
    {"disclosed_quantity", &O::disclosed_quantity},
    {"price", &O::price},
    {"trigger_price", &O::trigger_price},
    {"average_price", &O::average_price},
    {"filled_quantity", &O::filled_quantity},
    {"pending_quantity", &O::pending_quantity},
    {"cancelled_quantity", &O::cancelled_quantity},
    {"market_protection", &O::market_protection},
    {"tag", &O::tag, kOptional, kNullWhenEmpty},
    {"placed_by", &O::placed_by},
    {"guid", &O::guid},
};

using T = Trade;
const ModelField<T> kTradeFields[] = {
    {"trade_id", &T::trade_id, kRequired},
    {"order_id", &T::order_id, kRequired},
    {"exchange_order_id", &T::exchange_order_id, kOptional, kNullWhenEmpty},
    {"exchange", &T::exchange},
    {"tradingsymbol", &T::tradingsymbol},
    {"product", &T::product},
    {"instrument_token", &T::instrument_token},
    {"transaction_type", &T::transaction_type},
    {"average_price", &T::average_price},
    {"quantity", &T::quantity},
    {"fill_timestamp", &T::fill_timestamp},
    {"order_timestamp", &T::order_timestamp},
    {"exchange_timestamp", &T::exchange_timestamp},
};

using H = Holding;
const ModelField<H> kHoldingFields[] = {
    {"tradingsymbol", &H::tradingsymbol, kRequired},
    {"exchange", &H::exchange, kRequired},
    {"isin", &H::isin},
    {"product", &H::product},
    {"instrument_token", &H::instrument_token},
    {"quantity", &H::quantity, kRequired},
    {"t1_quantity", &H::t1_quantity},
    {"used_quantity", &H::used_quantity},
    {"realised_quantity", &H::realised_quantity},
    {"opening_quantity", &H::opening_quantity},
    {"short_quantity", &H::short_quantity},
    {"collateral_quantity", &H::collateral_quantity},
    {"average_price", &H::average_price},
    {"last_price", &H::last_price},
    {"close_price", &H::close_price},
    {"pnl", &H::pnl},
    {"day_change", &H::day_change},
    {"day_change_percentage", &H::day_change_percentage},
};

using G = GttOrder;
const ModelField<G> kGttOrderFields[] = {
    {"exchange", &G::exchange},
    {"tradingsymbol", &G::tradingsymbol},
    {"transaction_type", &G::transaction_type},
    {"order_type", &G::order_type},
    {"product", &G::product},
    {"quantity", &G::quantity},
    {"price", &G::price},
};

using GT = Gtt;
const ModelField<GT> kGttFields[] = {
    {"id", &GT::id, kRequired},
    {"status", &GT::status, kRequired},
    {"type", &GT::trigger_type},
    {"created_at", &GT::created_at, kOptional, kNullWhenEmpty},
    {"updated_at", &GT::updated_at, kOptional, kNullWhenEmpty},
    {"expires_at", &GT::expires_at, kOptional, kNullWhenEmpty},
};
const ModelField<GT> kGttConditionFields[] = {
    {"exchange", &GT::exchange, kRequired},
    {"tradingsymbol", &GT::tradingsymbol, kRequired},
    {"instrument_token", &GT::instrument_token},
    {"last_price", &GT::last_price},
};

const ModelField<LtpQuote> kLtpQuoteFields[] = {
    {"instrument_token", &LtpQuote::instrument_token},
    {"last_price", &LtpQuote::last_price, kRequired},
};

using Q = FullQuote;
const ModelField<Q> kFullQuoteFields[] = {
    {"instrument_token", &Q::instrument_token},
    {"last_price", &Q::last_price, kRequired},
    {"lower_circuit_limit", &Q::lower_circuit_limit},
    {"upper_circuit_limit", &Q::upper_circuit_limit},
};

using U = Profile;
const ModelField<U> kProfileFields[] = {
    {"user_id", &U::user_id, kRequired},    {"user_name", &U::user_name},
    {"user_shortname", &U::user_shortname}, {"email", &U::email},
    {"user_type", &U::user_type},           {"broker", &U::broker},
};

using S = SessionToken;
const ModelField<S> kSessionTokenFields[] = {
    {"user_id", &S::user_id},
    {"api_key", &S::api_key},
    {"public_token", &S::public_token},
    {"login_time", &S::login_time},
    {"access_token", &S::access_token, kRequired},
};

}  // namespace

std::span<const ModelField<Position>> PositionFields() { return kPositionFields; }
std::span<const ModelField<Order>> OrderFields() { return kOrderFields; }
std::span<const ModelField<Trade>> TradeFields() { return kTradeFields; }
std::span<const ModelField<Holding>> HoldingFields() { return kHoldingFields; }
std::span<const ModelField<GttOrder>> GttOrderFields() { return kGttOrderFields; }
std::span<const ModelField<Gtt>> GttFields() { return kGttFields; }
std::span<const ModelField<Gtt>> GttConditionFields() { return kGttConditionFields; }
std::span<const ModelField<LtpQuote>> LtpQuoteFields() { return kLtpQuoteFields; }
std::span<const ModelField<FullQuote>> FullQuoteFields() { return kFullQuoteFields; }
std::span<const ModelField<Profile>> ProfileFields() { return kProfileFields; }
std::span<const ModelField<SessionToken>> SessionTokenFields() { return kSessionTokenFields; }

}  // namespace zm::kite
