// Ticker text frames (JSON): order updates, errors and messages.
#include "common/kite/text_frame.h"

#include <nlohmann/json.hpp>

#include "common/kite/json_fields.h"

namespace zm::kite {

Result<TextMessage> ParseTextFrame(std::string_view frame) {
  const nlohmann::json parsed = nlohmann::json::parse(frame, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return ParseError("ticker text frame is not JSON");
  if (!parsed.is_object()) return ParseError("ticker text frame is not a JSON object");
  const auto type_it = parsed.find("type");
  if (type_it == parsed.end() || !type_it->is_string()) {
    return ParseError("ticker text frame without a string 'type'");
  }
  const std::string type = type_it->get<std::string>();
  const auto data_it = parsed.find("data");
  const nlohmann::json data = data_it == parsed.end() ? nlohmann::json() : *data_it;
  TextMessage message;
  if (type == "order") {
    Result<Order> order = ParseOrder(data);
    if (!order.ok()) return ParseError("ticker order update: " + order.status().message());
    message.kind = TextMessage::Kind::kOrder;
    message.order = std::move(order).value();
    return message;
  }
  if (type == "error" || type == "message") {
    message.kind = type == "error" ? TextMessage::Kind::kError : TextMessage::Kind::kMessage;
    if (data.is_string()) {
      message.text = data.get<std::string>();
    } else if (!data.is_null()) {
      message.text = data.dump();  // keep whatever Kite sent, readable in logs
    }
    return message;
  }
  message.kind = TextMessage::Kind::kUnknown;
  message.text = type;
  return message;
}

std::string EncodeOrderUpdate(const Order& order) {
  return internal::SafeDump(nlohmann::json{{"type", "order"}, {"data", ToJson(order)}});
}

std::string EncodeTextMessage(std::string_view type, std::string_view data) {
  return internal::SafeDump(
      nlohmann::json{{"type", std::string(type)}, {"data", std::string(data)}});
}

}  // namespace zm::kite
