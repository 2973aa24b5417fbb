#pragma once

// Validation of identity requests: pure functions, testable without gRPC or a database.

#include <cstdint>
#include <optional>
#include <string>

#include "error.hpp"

namespace regie::identity {

struct RevokeInput {
  std::string serial;  // upper-case hexadecimal without leading zeros
  std::string reason;
  std::string request_id;
};

// Normalises the serial (case, leading zeros, optional colons) and checks every field. Throws
// INVALID_ARGUMENT naming each bad field.
RevokeInput ValidateRevokeRequest(const std::string& serial, const std::string& reason,
                                  const std::string& request_id);

// Where a page of revoked certificates continues: after this (revoke time, serial).
struct RevocationCursor {
  std::int64_t revoked_at_us = 0;
  std::string serial;
};

std::string EncodeRevocationCursor(const RevocationCursor& cursor);
// nullopt for an empty token; adds a violation for a malformed one.
std::optional<RevocationCursor> DecodeRevocationCursor(const std::string& token,
                                                       Validation& validation);

}  // namespace regie::identity
