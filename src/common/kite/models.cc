// Envelopes, order statuses and form bodies. The JSON <-> model mapping is in models_json.cc.
#include "common/kite/models.h"

#include <string>

#include "common/kite/json_fields.h"
#include "common/log_text.h"
#include "common/url.h"

namespace zm::kite {
namespace {

using internal::FormatNumber;

Status BrokerError(int http_status, const nlohmann::json& body) {
  std::string error_type;
  std::string message;
  if (body.is_object()) {
    if (auto it = body.find("error_type"); it != body.end() && it->is_string()) {
      error_type = it->get<std::string>();
    }
    if (auto it = body.find("message"); it != body.end() && it->is_string()) {
      message = it->get<std::string>();
    }
  }
  // Both end up in log lines and in `check`/`status` output: the peer's text is made safe here,
  // once, rather than at every place that logs a Status.
  error_type = SanitizeForLog(error_type, 64);
  message = SanitizeForLog(message);
  if (message.empty()) message = "Kite answered HTTP " + std::to_string(http_status);
  // 403 means an expired/invalid session unless Kite names another exception (e.g. a
  // PermissionException must not send the user to log in again).
  StatusCode code = StatusCode::kBroker;
  if (error_type == "TokenException" || (http_status == 403 && error_type.empty())) {
    code = StatusCode::kToken;
  } else if (http_status == 429) {
    code = StatusCode::kRateLimited;
  }
  Status status(code, message);
  status.WithHttp(http_status, error_type);
  return status;
}

void AddField(std::string& form, std::string_view key, std::string_view value) {
  if (!form.empty()) form += '&';
  form += UrlEncode(key);
  form += '=';
  form += UrlEncode(value);
}

}  // namespace

bool IsTerminalStatus(std::string_view status) {
  return status == "COMPLETE" || status == "CANCELLED" || status == "REJECTED";
}

Result<nlohmann::json> ParseEnvelope(int http_status, std::string_view body) {
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    // Deliberately no body excerpt: gateways' HTML pages are noise, and bodies are not logged.
    Status status =
        ParseError("HTTP " + std::to_string(http_status) + " answer is not a Kite JSON envelope (" +
                   std::to_string(body.size()) + " bytes)");
    status.WithHttp(http_status, "");
    return status;
  }
  const auto status_it = parsed.find("status");
  const bool success = status_it != parsed.end() && status_it->is_string() &&
                       status_it->get<std::string>() == "success";
  if (http_status == 200 && success) {
    auto data = parsed.find("data");
    if (data == parsed.end()) return nlohmann::json();
    return std::move(*data);
  }
  if (http_status == 200 && status_it == parsed.end()) {
    Status status = ParseError("HTTP 200 envelope without 'status'");
    status.WithHttp(http_status, "");
    return status;
  }
  return BrokerError(http_status, parsed);
}

std::string SuccessEnvelope(const nlohmann::json& data) {
  return internal::SafeDump(nlohmann::json{{"status", "success"}, {"data", data}});
}

std::string ErrorEnvelope(std::string_view error_type, std::string_view message) {
  nlohmann::json body = {{"status", "error"},
                         {"message", std::string(message)},
                         {"error_type", std::string(error_type)},
                         {"data", nullptr}};
  return internal::SafeDump(body);
}

Result<std::string> ParseOrderId(const nlohmann::json& data) {
  internal::FieldReader reader(data, "order response");
  std::string order_id = reader.RequiredStr("order_id");
  if (!reader.status().ok()) return reader.status();
  return order_id;
}

std::string OrderRequest::ToForm() const {
  std::string form;
  AddField(form, "tradingsymbol", tradingsymbol);
  AddField(form, "exchange", exchange);
  AddField(form, "transaction_type", transaction_type);
  AddField(form, "order_type", order_type);
  AddField(form, "quantity", std::to_string(quantity));
  AddField(form, "product", product);
  if (price != 0) AddField(form, "price", FormatNumber(price));
  if (trigger_price != 0) AddField(form, "trigger_price", FormatNumber(trigger_price));
  AddField(form, "validity", validity);
  if (market_protection != 0) AddField(form, "market_protection", FormatNumber(market_protection));
  if (autoslice) AddField(form, "autoslice", "true");
  if (!tag.empty()) AddField(form, "tag", tag);
  return form;
}

std::string OrderModify::ToForm() const {
  std::string form;
  if (!order_type.empty()) AddField(form, "order_type", order_type);
  if (quantity != 0) AddField(form, "quantity", std::to_string(quantity));
  if (price != 0) AddField(form, "price", FormatNumber(price));
  if (trigger_price != 0) AddField(form, "trigger_price", FormatNumber(trigger_price));
  return form;
}

std::vector<std::pair<std::string, std::string>> ParseForm(std::string_view form) {
  std::vector<std::pair<std::string, std::string>> fields;
  while (!form.empty()) {
    const size_t amp = form.find('&');
    std::string_view part = form.substr(0, amp);
    form = amp == std::string_view::npos ? std::string_view() : form.substr(amp + 1);
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      fields.emplace_back(UrlDecode(part), "");
    } else {
      fields.emplace_back(UrlDecode(part.substr(0, eq)), UrlDecode(part.substr(eq + 1)));
    }
  }
  return fields;
}

}  // namespace zm::kite
