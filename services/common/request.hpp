#pragma once

// Checks shared by every API: page sizes, page tokens and request ids (AIP-158, AIP-155).

#include <string>
#include <string_view>

#include "error.hpp"

namespace regie {

// 0 means `default_size`; negative is refused; above `max_size` is lowered to it (AIP-158).
int PageSize(int requested, int default_size, int max_size, Validation& validation,
             const std::string& field = "page_size");

// Page tokens are opaque to clients: URL-safe base64 of "<kind>:<payload>". The kind keeps a token
// of one list from being used with another.
std::string EncodePageToken(std::string_view kind, std::string_view payload);
// The payload of `token`, or empty for an empty token. Adds a violation of `field` when the token
// is not one this server made for `kind`.
std::string DecodePageToken(std::string_view kind, std::string_view token, Validation& validation,
                            const std::string& field = "page_token");

// A request id is 1-64 characters of [A-Za-z0-9._-]. Empty is allowed where the server may
// generate one; returns false (and adds a violation) for a malformed one.
bool CheckRequestId(std::string_view request_id, Validation& validation,
                    const std::string& field = "request_id");

}  // namespace regie
