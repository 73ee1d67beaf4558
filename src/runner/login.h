// Daily login helpers (pure): the Kite login URL and the request token from what the user pastes.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace zm::runner {

// https://kite.zerodha.com/connect/login?v=3&api_key=KEY
std::string LoginUrl(std::string_view api_key);

// Accepts a bare request token or the whole redirect URL
// (".../?action=login&type=login&status=success&request_token=XYZ"). A redirect whose status is
// not "success", a URL without request_token, or a token with characters outside [A-Za-z0-9]
// is an InvalidArgument error.
Result<std::string> ExtractRequestToken(std::string_view pasted);

}  // namespace zm::runner
