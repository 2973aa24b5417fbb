#include "identity_rules.hpp"

#include <algorithm>
#include <cctype>

#include "request.hpp"

namespace regie::identity {
namespace {
constexpr char kCursorKind[] = "revoked";
}  // namespace

RevokeInput ValidateRevokeRequest(const std::string& serial, const std::string& reason,
                                  const std::string& request_id) {
  Validation v;
  RevokeInput input;
  for (char c : serial) {
    if (c == ':') {
      continue;
    }
    input.serial.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  input.serial.erase(0, std::min(input.serial.find_first_not_of('0'), input.serial.size() - 1));
  const bool hex = std::all_of(input.serial.begin(), input.serial.end(),
                               [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
  if (input.serial.empty()) {
    v.Add("serial", "is required");
  } else if (!hex || input.serial.size() > 64) {
    v.Add("serial", "must be a certificate serial number in hexadecimal (at most 64 digits)");
  }
  if (reason.empty()) {
    v.Add("reason", "is required: say why the certificate is revoked");
  } else if (reason.size() > 500) {
    v.Add("reason", "must be at most 500 characters");
  }
  CheckRequestId(request_id, v);
  v.ThrowIfAny();
  input.reason = reason;
  input.request_id = request_id;
  return input;
}

std::string EncodeRevocationCursor(const RevocationCursor& cursor) {
  return EncodePageToken(kCursorKind, std::to_string(cursor.revoked_at_us) + "/" + cursor.serial);
}

std::optional<RevocationCursor> DecodeRevocationCursor(const std::string& token,
                                                       Validation& validation) {
  const auto payload = DecodePageToken(kCursorKind, token, validation);
  if (payload.empty()) {
    return std::nullopt;
  }
  const auto slash = payload.find('/');
  try {
    if (slash == std::string::npos) {
      throw std::invalid_argument("no separator");
    }
    return RevocationCursor{std::stoll(payload.substr(0, slash)), payload.substr(slash + 1)};
  } catch (const std::exception&) {
    validation.Add("page_token", "is not a page token returned by this list");
    return std::nullopt;
  }
}

}  // namespace regie::identity
