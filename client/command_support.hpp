#pragma once

// What every `regie` command shares: connecting with the chosen profile, turning failures into
// one line and an exit code, and printing tables, fields and JSON.

#include <google/protobuf/message.h>
#include <google/protobuf/repeated_field.h>

#include <chrono>
#include <functional>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "commands.hpp"
#include "google/type/date.pb.h"
#include "regie_client.hpp"

namespace regie::client {

using Fields = std::vector<std::pair<std::string, std::string>>;

// Runs a command, turning every failure into one line on stderr and its exit code.
int Guard(const std::function<int()>& command);

// The profile the global options name (config file and flags), with every field set.
Profile ResolvedProfile(const GlobalOptions& options);
RegieClient Connect(const GlobalOptions& options);

// Name-value lines for people, or one JSON object with -o json.
void Print(const GlobalOptions& options, const Fields& fields);
void PrintFields(const Fields& fields);
// A message in the protobuf JSON mapping, with the proto field names.
void PrintMessageJson(const google::protobuf::Message& message);
// A JSON array of messages.
template <class Message>
void PrintMessagesJson(const std::vector<Message>& messages) {
  std::cout << "[\n";
  for (std::size_t i = 0; i < messages.size(); ++i) {
    PrintMessageJson(messages[i]);
    std::cout << (i + 1 < messages.size() ? ",\n" : "\n");
  }
  std::cout << "]\n";
}

// With -o json prints `message` and returns true; otherwise returns false for a text rendering.
template <class Message>
bool PrintJsonIfAsked(const GlobalOptions& options, const Message& message) {
  if (options.output == OutputFormat::kJson) {
    PrintMessageJson(message);
  }
  return options.output == OutputFormat::kJson;
}

// A line about a table (a legend, a basis): on standard output under an aligned table, on standard
// error when the table is CSV or JSON so that the data stays clean.
void PrintNote(const std::string& note);
// Prints rows under headers, each column as wide as its widest cell (or as CSV, SetTableFormat).
void PrintTable(const std::vector<std::string>& headers,
                const std::vector<std::vector<std::string>>& rows);

std::string FormatTime(std::chrono::system_clock::time_point time);
// "2026-01-01", or "01-01" for a day of the year (year 0).
std::string DayText(const google::type::Date& date);
// "9901" -> "municipalities/9901"; a full resource name is kept.
std::string AsName(const std::string& collection, const std::string& id_or_name);
// "COVENANT/ID" -> covenants/COVENANT/{collection}/ID; a full name is kept. A ConfigError names
// `what` and the expected form (`id_form`, e.g. "NUMBER") otherwise.
std::string CovenantChild(const std::string& text, const std::string& collection,
                          const std::string& what, const std::string& id_form);
// The id part of a resource name, for tables.
std::string IdOf(const std::string& name);
// "a,b" of the ids of resource names.
std::string JoinIds(const google::protobuf::RepeatedPtrField<std::string>& names);
// "LEGAL_BASIS_JEUGDWET" -> "JEUGDWET": enum names without their prefix, for tables.
std::string WithoutPrefix(const std::string& name, const std::string& prefix);

}  // namespace regie::client
