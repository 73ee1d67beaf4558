// Internal helpers (not part of the public API) for reading Kite JSON leniently and writing it
// in Kite's shapes.
//
// FieldReader reads named members of one JSON object: missing or null members give the zero
// value, numbers are accepted as ints or floats, and the first type problem or missing required
// member is remembered (naming the member) so callers check once at the end. Writers emit
// integral doubles as JSON integers, the way Kite does (e.g. "price": 72). A FieldReader is a
// short-lived value on the stack; not thread-safe; it borrows the object it reads.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "common/kite/model_fields.h"
#include "common/status.h"

namespace zm::kite::internal {

class FieldReader {
 public:
  FieldReader(const nlohmann::json& object, std::string_view what);

  // Optional members: absent or null -> zero value / "".
  std::string Str(const char* key);
  double Num(const char* key);
  long long Int(const char* key);
  uint32_t U32(const char* key);
  // Required: absent or null records an error naming the member.
  std::string RequiredStr(const char* key);
  long long RequiredInt(const char* key);
  double RequiredNum(const char* key);

  // OK, or kParseError naming the first problem ("order: missing 'order_id'").
  Status status() const { return status_; }

 private:
  const nlohmann::json* Find(const char* key, bool required);
  void Fail(const char* key, const char* problem);

  const nlohmann::json& object_;
  std::string what_;
  Status status_;
};

// A double as a JSON number: integral values become integers (Kite's style).
nlohmann::json NumJson(double value);
// "" -> null, else the string.
nlohmann::json StrOrNull(const std::string& value);
// dump() that replaces invalid UTF-8 with U+FFFD instead of throwing: text from the wire or a
// CSV must never become an exception in the simulator or a log line.
std::string SafeDump(const nlohmann::json& value);
// Shortest round-trip text of a number for form bodies ("109.4", "100", "-1").
std::string FormatNumber(double value);

// Reads every field of a model table (model_fields.h) from the object behind `r` into `row`:
// strings, numbers (ints or floats), whole numbers and instrument tokens, the required ones
// recorded as errors when absent or null.
template <typename Model>
void ReadModelFields(FieldReader& r, std::span<const ModelField<Model>> fields, Model& row) {
  for (const ModelField<Model>& f : fields) {
    std::visit(
        [&](auto member) {
          using V = std::decay_t<decltype(row.*member)>;
          if constexpr (std::is_same_v<V, std::string>) {
            row.*member = f.required ? r.RequiredStr(f.name) : r.Str(f.name);
          } else if constexpr (std::is_same_v<V, double>) {
            row.*member = f.required ? r.RequiredNum(f.name) : r.Num(f.name);
          } else if constexpr (std::is_same_v<V, uint32_t>) {
            row.*member = r.U32(f.name);
          } else {
            row.*member = f.required ? r.RequiredInt(f.name) : r.Int(f.name);
          }
        },
        f.member);
  }
}

// Writes every field of a model table into the JSON object `out` the way Kite does: integral
// doubles as integers, and "" as null where the table says so.
template <typename Model>
void WriteModelFields(std::span<const ModelField<Model>> fields, const Model& row,
                      nlohmann::json& out) {
  for (const ModelField<Model>& f : fields) {
    std::visit(
        [&](auto member) {
          using V = std::decay_t<decltype(row.*member)>;
          if constexpr (std::is_same_v<V, std::string>) {
            out[f.name] = f.null_when_empty ? StrOrNull(row.*member) : nlohmann::json(row.*member);
          } else if constexpr (std::is_same_v<V, double>) {
            out[f.name] = NumJson(row.*member);
          } else {
            out[f.name] = row.*member;
          }
        },
        f.member);
  }
}

// One model read from `object` with its table; an error names `what` and the member.
template <typename Model>
Result<Model> ParseModel(const nlohmann::json& object, std::string_view what,
                         std::span<const ModelField<Model>> fields) {
  FieldReader r(object, what);
  Model row;
  ReadModelFields(r, fields, row);
  if (!r.status().ok()) return r.status();
  return row;
}

// A model as Kite's JSON object: `extras` (members Kite sends that the suite does not keep) plus
// the table's fields.
template <typename Model>
nlohmann::json ModelJson(std::span<const ModelField<Model>> fields, const Model& row,
                         nlohmann::json extras = nlohmann::json::object()) {
  WriteModelFields(fields, row, extras);
  return extras;
}

// Every item of the JSON list `data` through `parse_one` (Result<Item>(const json&)). Absent or
// null is an empty list; anything else but a list is an error, and an item's error is prefixed
// with its place ("orders[3]: order: missing 'status'").
template <typename Item, typename ParseOne>
Result<std::vector<Item>> ParseList(const nlohmann::json& data, std::string_view what,
                                    ParseOne parse_one) {
  std::vector<Item> items;
  if (data.is_null()) return items;
  if (!data.is_array()) return ParseError(std::string(what) + ": data is not a list");
  items.reserve(data.size());
  for (size_t i = 0; i < data.size(); ++i) {
    Result<Item> item = parse_one(data[i]);
    if (!item.ok()) {
      return ParseError(std::string(what) + "[" + std::to_string(i) +
                        "]: " + item.status().message());
    }
    items.push_back(std::move(item).value());
  }
  return items;
}

}  // namespace zm::kite::internal
