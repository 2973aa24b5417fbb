#pragma once

// `regie ... -f FILE`: a request message written as JSON or YAML, read through protobuf's JSON
// mapping, so the file format is the API's own (field names as in the .proto, enums by name).

#include <google/protobuf/message.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace regie::client {

// Fills `message` from `path` (JSON or YAML). Throws ConfigError naming the file and the field
// that does not fit.
void ReadMessageFile(const std::filesystem::path& path, google::protobuf::Message& message);

// The same for `text` that came from `origin` (a file name, for the message).
void ReadMessageText(std::string_view text, const std::string& origin,
                     google::protobuf::Message& message);

}  // namespace regie::client
