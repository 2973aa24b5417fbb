#pragma once

// Identifiers shared by several services: CBS municipality codes, region ids, and AIP resource
// names ("municipalities/9901").

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"

namespace regie {

// A CBS municipality code (gemeentecode): exactly 4 digits, e.g. "0363".
bool IsMunicipalityCode(std::string_view code);

// A region id: 1-40 characters of a-z, 0-9 and '-', e.g. "duinstreek".
bool IsRegionId(std::string_view id);

// The id in `name` when it is "{collection}/{id}" with a non-empty id without '/'.
std::optional<std::string> ResourceId(std::string_view name, std::string_view collection);

// Free text for people (names, titles): required, at most `max_length` bytes, no control
// characters. Returns an empty string when fine, otherwise what is wrong.
std::string CheckText(std::string_view text, std::size_t max_length);
// CheckText's problem, if any, added to `validation` as a violation of `field`.
void CheckText(std::string_view text, std::size_t max_length, Validation& validation,
               const std::string& field);

// A SHA-256 in 64 lowercase hex digits, as content hashes travel in the APIs.
bool IsSha256Hex(std::string_view text);

// A PostgreSQL text[] literal, e.g. {"9901","9902"}: libpqxx 6.4 cannot bind a std::vector, so
// arrays travel as text and are cast in SQL ($1::text[]).
std::string TextArrayLiteral(const std::vector<std::string>& values);

// The same literal built element by element, for arrays too large to keep their elements twice
// (the lines of a 10,000-line report).
class TextArrayBuilder {
 public:
  void Add(std::string_view value);
  std::string Literal() const { return literal_ + '}'; }

 private:
  std::string literal_ = "{";
};

}  // namespace regie
