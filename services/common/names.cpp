#include "names.hpp"

#include <algorithm>
#include <utility>

namespace regie {

bool IsMunicipalityCode(std::string_view code) {
  return code.size() == 4 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsRegionId(std::string_view id) {
  return !id.empty() && id.size() <= 40 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

std::optional<std::string> ResourceId(std::string_view name, std::string_view collection) {
  if (name.size() <= collection.size() + 1 || name.substr(0, collection.size()) != collection ||
      name[collection.size()] != '/') {
    return std::nullopt;
  }
  const auto id = name.substr(collection.size() + 1);
  if (id.find('/') != std::string_view::npos) {
    return std::nullopt;
  }
  return std::string(id);
}

std::string CheckText(std::string_view text, std::size_t max_length) {
  if (text.empty()) {
    return "is required";
  }
  if (text.size() > max_length) {
    return "must be at most " + std::to_string(max_length) + " characters";
  }
  if (std::any_of(text.begin(), text.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    return "must not contain control characters";
  }
  return {};
}

void CheckText(std::string_view text, std::size_t max_length, Validation& validation,
               const std::string& field) {
  if (auto problem = CheckText(text, max_length); !problem.empty()) {
    validation.Add(field, std::move(problem));
  }
}

bool IsSha256Hex(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

void TextArrayBuilder::Add(std::string_view value) {
  literal_ += literal_.size() == 1 ? "\"" : ",\"";
  for (char c : value) {
    if (c == '"' || c == '\\') {
      literal_.push_back('\\');
    }
    literal_.push_back(c);
  }
  literal_.push_back('"');
}

std::string TextArrayLiteral(const std::vector<std::string>& values) {
  TextArrayBuilder builder;
  for (const auto& value : values) {
    builder.Add(value);
  }
  return builder.Literal();
}

}  // namespace regie
