#pragma once

// Small hashing and encoding helpers over OpenSSL.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace regie {

// SHA-256 of `data`: 32 raw bytes.
std::string Sha256(std::string_view data);

// Lower-case hexadecimal of raw bytes.
std::string ToHex(std::string_view bytes);

// Cryptographically random bytes.
std::string RandomBytes(std::size_t count);

// A random request id (32 hex digits) for idempotent calls.
std::string NewRequestId();

// Appends `value` as 8 bytes, big-endian.
void AppendUint64(std::string& out, std::uint64_t value);

// Appends a 4-byte big-endian length and then the bytes: an unambiguous encoding of a field.
void AppendLengthPrefixed(std::string& out, std::string_view bytes);

// URL-safe base64 without padding, for page tokens.
std::string Base64UrlEncode(std::string_view bytes);
// Returns false when `text` is not valid URL-safe base64.
bool Base64UrlDecode(std::string_view text, std::string& out);

}  // namespace regie
