#pragma once

// Protobuf messages to and from their JSON mapping (field names as in the .proto), for the
// providers stored as documents and for audit events.

#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>

#include <stdexcept>
#include <string>

namespace regie::providers {

inline std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) {
    throw std::runtime_error("cannot render " + message.GetTypeName() + " as JSON");
  }
  return json;
}

template <class Message>
Message FromJson(const std::string& json) {
  Message message;
  if (!google::protobuf::util::JsonStringToMessage(json, &message).ok()) {
    throw std::runtime_error("stored JSON is not a " + message.GetTypeName());
  }
  return message;
}

}  // namespace regie::providers
