// How a Kite Connect client proves who it is, built in ONE place for every caller: the REST
// `Authorization` header value and the ticker WebSocket URL (both carry api_key and the
// access token). The token is revealed only into the returned string, which the caller puts on
// the wire and nowhere else (never log it). Pure functions; thread-safe.
#pragma once

#include <string>

#include "common/secret.h"

namespace zm::kite {

// "token API_KEY:ACCESS_TOKEN" (the value of the `Authorization` header of every authorized
// REST call; POST /session/token carries none).
std::string AuthorizationValue(const std::string& api_key, const Secret& access_token);

// `ws_url` + "?api_key=..&access_token=.." (URL-encoded; "&" when `ws_url` already has a query;
// a "/" path is added when `ws_url` has none, so the upgrade target is "/?api_key=...").
std::string TickerUrl(const std::string& ws_url, const std::string& api_key,
                      const Secret& access_token);

}  // namespace zm::kite
