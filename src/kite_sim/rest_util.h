// Small helpers shared by the simulator's REST handlers (rest_*.cc): Kite envelopes as HTTP
// responses and path splitting. Internal to kite_sim. Pure functions, thread-safe.
#pragma once

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <string>
#include <vector>

#include "common/kite/models.h"
#include "kite_sim/sim_server.h"

namespace zm::sim {

inline HttpResponse MakeResponse(int status, std::string body, const char* content_type) {
  HttpResponse res;
  res.result(static_cast<boost::beast::http::status>(status));
  res.set(boost::beast::http::field::content_type, content_type);
  res.set(boost::beast::http::field::server, "kite_sim");
  res.body() = std::move(body);
  return res;
}

inline HttpResponse Ok(const nlohmann::json& data) {
  return MakeResponse(200, kite::SuccessEnvelope(data), "application/json");
}

inline HttpResponse Err(int status, const std::string& type, const std::string& message) {
  return MakeResponse(status, kite::ErrorEnvelope(type, message), "application/json");
}

// "/a/b/c" -> {"a","b","c"}.
inline std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    const size_t slash = path.find('/', start);
    const size_t end = slash == std::string::npos ? path.size() : slash;
    if (end > start) out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace zm::sim
