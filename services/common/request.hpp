#pragma once

// Checks shared by every API: page sizes, page tokens and request ids (AIP-158, AIP-155).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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

// For lists keyed by a number: the number in `token`, 0 for an empty token.
std::int64_t DecodeNumberPageToken(std::string_view kind, std::string_view token,
                                   Validation& validation, const std::string& field = "page_token");

// Lists ask their store for one row more than the page holds, to know whether another page
// follows. TakePage trims `rows` to `page_size` and returns the token for the next page (encoding
// `key_of(last row kept)`), or "" when this is the last page.
template <class Row, class KeyOf>
std::string TakePage(std::vector<Row>& rows, int page_size, std::string_view kind, KeyOf key_of) {
  if (static_cast<int>(rows.size()) <= page_size) {
    return {};
  }
  rows.resize(static_cast<std::size_t>(page_size));
  return EncodePageToken(kind, key_of(rows.back()));
}

// A request id is 1-64 characters of [A-Za-z0-9._-]. Empty is allowed where the server may
// generate one; returns false (and adds a violation) for a malformed one.
bool CheckRequestId(std::string_view request_id, Validation& validation,
                    const std::string& field = "request_id");

}  // namespace regie
