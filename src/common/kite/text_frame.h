// Ticker text frames: {"type":"order","data":{order}}, {"type":"error","data":"..."},
// {"type":"message","data":"..."}. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/kite/models.h"
#include "common/status.h"

namespace zm::kite {

struct TextMessage {
  enum class Kind { kOrder, kError, kMessage, kUnknown };
  Kind kind = Kind::kUnknown;
  Order order;       // kOrder
  std::string text;  // kError / kMessage: data; kUnknown: the "type" value
};

// Malformed JSON or an order that does not parse: kParseError naming what is wrong.
Result<TextMessage> ParseTextFrame(std::string_view frame);

std::string EncodeOrderUpdate(const Order& order);
std::string EncodeTextMessage(std::string_view type, std::string_view data);  // error / message

}  // namespace zm::kite
