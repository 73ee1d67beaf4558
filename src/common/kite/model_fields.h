// The fields of the Kite models the suite reads, stores and serves (Position, Order, Trade,
// Holding, a GTT and its order legs, quotes, the profile and the session), each listed once: its
// name, which is both the JSON member of Kite's answer and the column of zerodha_trading.db, and
// the struct member that holds it. Parsing an answer (ParsePositions, ParseOrders, ...), writing
// Kite's JSON (ToJson, kite_sim) and the SQLite rows (trading_db) all walk these tables, so a field
// is added in one place (plus, for a stored model, the schema's migration).
//
// The tables are immutable statics: safe to read from any thread.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <variant>

#include "common/kite/models.h"

namespace zm::kite {

template <typename Model>
using FieldPtr =
    std::variant<std::string Model::*, long long Model::*, double Model::*, uint32_t Model::*>;

template <typename Model>
struct ModelField {
  const char* name;
  FieldPtr<Model> member;
  bool required = false;         // parsing: absent or null is an error naming the member
  bool null_when_empty = false;  // writing Kite's JSON: "" is written as null, as Kite does
};

std::span<const ModelField<Position>> PositionFields();
std::span<const ModelField<Order>> OrderFields();  // without `tags` (a list: read on its own)
std::span<const ModelField<Trade>> TradeFields();
std::span<const ModelField<Holding>> HoldingFields();
std::span<const ModelField<GttOrder>> GttOrderFields();  // one leg of a GTT, without its result
std::span<const ModelField<Gtt>> GttFields();            // the trigger's own members
std::span<const ModelField<Gtt>> GttConditionFields();   // its `condition` object
std::span<const ModelField<LtpQuote>> LtpQuoteFields();
std::span<const ModelField<FullQuote>> FullQuoteFields();  // without the depth
std::span<const ModelField<Profile>> ProfileFields();      // without the three string lists
std::span<const ModelField<SessionToken>> SessionTokenFields();

}  // namespace zm::kite
