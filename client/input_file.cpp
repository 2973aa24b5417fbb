#include "input_file.hpp"

#include <google/protobuf/util/json_util.h>
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "profile.hpp"

namespace regie::client {
namespace {

// YAML scalars carry no type: a plain scalar that reads as a boolean or a number becomes one,
// a quoted scalar ("0363") always stays a string.
nlohmann::json ScalarToJson(const YAML::Node& node) {
  const auto& text = node.Scalar();
  if (node.Tag() == "!") {
    return text;
  }
  static const std::regex kInteger(R"(-?[0-9]+)");
  static const std::regex kDecimal(R"(-?[0-9]+\.[0-9]+([eE][-+]?[0-9]+)?)");
  if (text == "true" || text == "false") {
    return text == "true";
  }
  if (text == "null" || text == "~") {
    return nullptr;
  }
  if (std::regex_match(text, kInteger)) {
    return std::stoll(text);
  }
  if (std::regex_match(text, kDecimal)) {
    return std::stod(text);
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
  const auto text = ReadTextFile(path, "input file");
  nlohmann::json json;
  try {
    json = YamlToJson(YAML::Load(text));  // JSON is YAML too
  } catch (const YAML::Exception& e) {
    throw ConfigError(path.string() + ": not valid JSON or YAML: " + e.what());
  }
  const auto status = google::protobuf::util::JsonStringToMessage(json.dump(), &message);
  if (!status.ok()) {
    throw ConfigError(path.string() + ": does not fit " + message.GetDescriptor()->full_name() +
                      ": " + std::string(status.message()));
  }
}

}  // namespace regie::client
