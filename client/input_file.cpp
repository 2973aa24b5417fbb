#include "input_file.hpp"

#include <google/protobuf/util/json_util.h>
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "profile.hpp"

namespace regie::client {
namespace {

// Scanners rather than std::regex, whose recursion overflows the stack on a long scalar (found by
// fuzz_input_file).
std::size_t SkipDigits(std::string_view text, std::size_t at) {
  while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
    ++at;
  }
  return at;
}

// -?[0-9]+
bool IsInteger(std::string_view text) {
  const std::size_t start = !text.empty() && text[0] == '-' ? 1 : 0;
  const std::size_t end = SkipDigits(text, start);
  return end > start && end == text.size();
}

// -?[0-9]+\.[0-9]+([eE][-+]?[0-9]+)?
bool IsDecimal(std::string_view text) {
  std::size_t at = !text.empty() && text[0] == '-' ? 1 : 0;
  std::size_t next = SkipDigits(text, at);
  if (next == at || next == text.size() || text[next] != '.') {
    return false;
  }
  at = next + 1;
  next = SkipDigits(text, at);
  if (next == at) {
    return false;
  }
  if (next == text.size()) {
    return true;
  }
  if (text[next] != 'e' && text[next] != 'E') {
    return false;
  }
  at = next + 1;
  if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    ++at;
  }
  next = SkipDigits(text, at);
  return next > at && next == text.size();
}

// YAML scalars carry no type: a plain scalar that reads as a boolean or a number becomes one,
// a quoted scalar ("0363") always stays a string. A number too large for C++ stays text, for the
// JSON mapping to refuse with the field's name.
nlohmann::json ScalarToJson(const YAML::Node& node) {
  const auto& text = node.Scalar();
  if (node.Tag() == "!") {
    return text;
  }
  if (text == "true" || text == "false") {
    return text == "true";
  }
  if (text == "null" || text == "~") {
    return nullptr;
  }
  try {
    if (IsInteger(text)) {
      return std::stoll(text);
    }
    if (IsDecimal(text)) {
      return std::stod(text);
    }
  } catch (const std::out_of_range&) {
  }
  return text;
}

nlohmann::json YamlToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      nlohmann::json object = nlohmann::json::object();
      for (const auto& entry : node) {
        object[entry.first.as<std::string>()] = YamlToJson(entry.second);
      }
      return object;
    }
    case YAML::NodeType::Sequence: {
      nlohmann::json array = nlohmann::json::array();
      for (const auto& item : node) {
        array.push_back(YamlToJson(item));
      }
      return array;
    }
    case YAML::NodeType::Scalar:
      return ScalarToJson(node);
    default:
      return nullptr;
  }
}

}  // namespace

void ReadMessageFile(const std::filesystem::path& path, google::protobuf::Message& message) {
  ReadMessageText(ReadTextFile(path, "input file"), path.string(), message);
}

void ReadMessageText(std::string_view text, const std::string& origin,
                     google::protobuf::Message& message) {
  nlohmann::json json;
  try {
    json = YamlToJson(YAML::Load(std::string(text)));  // JSON is YAML too
  } catch (const YAML::Exception& e) {
    throw ConfigError(origin + ": not valid JSON or YAML: " + e.what());
  }
  std::string json_text;
  try {
    json_text = json.dump();
  } catch (const nlohmann::json::type_error& e) {  // 316: a string that is not UTF-8
    throw ConfigError(origin + ": not UTF-8 text: " + e.what());
  }
  const auto status = google::protobuf::util::JsonStringToMessage(json_text, &message);
  if (!status.ok()) {
    throw ConfigError(origin + ": does not fit " + message.GetDescriptor()->full_name() + ": " +
                      std::string(status.message()));
  }
}

}  // namespace regie::client
