#include "request.hpp"

#include <charconv>

#include <algorithm>

#include "crypto.hpp"

namespace regie {

int PageSize(int requested, int default_size, int max_size, Validation& validation,
             const std::string& field) {
  if (requested < 0) {
    validation.Add(field, "must not be negative");
    return default_size;
  }
  if (requested == 0) {
    return default_size;
  }
  return std::min(requested, max_size);
}

std::string EncodePageToken(std::string_view kind, std::string_view payload) {
  std::string plain(kind);
  plain += ':';
  plain += payload;
  return Base64UrlEncode(plain);
}

std::string DecodePageToken(std::string_view kind, std::string_view token, Validation& validation,
                            const std::string& field) {
  if (token.empty()) {
    return {};
  }
  std::string plain;
  const std::string prefix = std::string(kind) + ':';
  if (!Base64UrlDecode(token, plain) || plain.compare(0, prefix.size(), prefix) != 0 ||
      plain.size() == prefix.size()) {
    validation.Add(field, "is not a page token returned by this list");
    return {};
  }
  return plain.substr(prefix.size());
}

std::int64_t DecodeNumberPageToken(std::string_view kind, std::string_view token,
                                   Validation& validation, const std::string& field) {
  const auto payload = DecodePageToken(kind, token, validation, field);
  if (payload.empty()) {
    return 0;
  }
  std::int64_t number = 0;
  const auto [end, error] =
      std::from_chars(payload.data(), payload.data() + payload.size(), number);
  if (error != std::errc() || end != payload.data() + payload.size() || number < 0) {
    validation.Add(field, "is not a page token returned by this list");
    return 0;
  }
  return number;
}

bool CheckRequestId(std::string_view request_id, Validation& validation, const std::string& field) {
  const bool ok =
      request_id.size() <= 64 && std::all_of(request_id.begin(), request_id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
      });
  if (!ok) {
    validation.Add(field, "must be at most 64 characters of letters, digits, '.', '_' or '-'");
  }
  return ok;
}

}  // namespace regie
