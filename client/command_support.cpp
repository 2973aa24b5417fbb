#include "command_support.hpp"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "auth/pki.hpp"

namespace regie::client {

int Guard(const std::function<int()>& command) {
  try {
    return command();
  } catch (const ConfigError& e) {
    std::cerr << "regie: " << e.what() << "\n";
    return exit_code::kConfig;
  } catch (const auth::PkiError& e) {
    std::cerr << "regie: " << e.what() << "\n";
    return exit_code::kConfig;
  } catch (const RpcError& e) {
    std::cerr << "regie: " << Describe(e) << "\n";
    const bool unreachable = e.code() == grpc::UNAVAILABLE || e.code() == grpc::DEADLINE_EXCEEDED;
    return unreachable ? exit_code::kUnavailable : exit_code::kRefused;
  } catch (const std::exception& e) {
    std::cerr << "regie: internal error: " << e.what() << "\n";
    return exit_code::kInternal;
  }
}

Profile ResolvedProfile(const GlobalOptions& options) {
  return ResolveProfile(LoadConfig(options.config_path), options.profile);
}

RegieClient Connect(const GlobalOptions& options) {
  RetryPolicy retry;
  retry.max_attempts = options.retries + 1;
  retry.on_retry = [max = retry.max_attempts](const RpcError& error, int next_attempt,
                                              std::chrono::milliseconds pause) {
    std::fprintf(stderr, "regie: %s; retrying in %.1f s (attempt %d of %d)\n",
                 Describe(error).c_str(), static_cast<double>(pause.count()) / 1000.0, next_attempt,
                 max);
  };
  return RegieClient(OpenChannels(ResolvedProfile(options)), options.timeout, std::move(retry));
}

void PrintFields(const Fields& fields) {
  std::size_t width = 0;
  for (const auto& [key, value] : fields) {
    width = std::max(width, key.size());
  }
  for (const auto& [key, value] : fields) {
    std::cout << key << std::string(width - key.size() + 2, ' ') << value << "\n";
  }
}

void PrintFieldsAsJson(const Fields& fields) {
  nlohmann::json json = nlohmann::json::object();
  for (const auto& [key, value] : fields) {
    json[key] = value;
  }
  std::cout << json.dump(2) << "\n";
}

void Print(const GlobalOptions& options, const Fields& fields) {
  if (options.output == OutputFormat::kJson) {
    PrintFieldsAsJson(fields);
  } else {
    PrintFields(fields);
  }
}

void PrintMessageJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions json;
  json.add_whitespace = true;
  json.preserve_proto_field_names = true;
  std::string text;
  google::protobuf::util::MessageToJsonString(message, &text, json);
  std::cout << text;
}

std::string FormatTime(std::chrono::system_clock::time_point time) {
  return google::protobuf::util::TimeUtil::ToString(
      google::protobuf::util::TimeUtil::TimeTToTimestamp(
          std::chrono::system_clock::to_time_t(time)));
}

namespace {

OutputFormat table_format = OutputFormat::kTable;

// A CSV field: quoted when it holds a comma, quote, line break or edge space; quotes doubled.
std::string CsvField(const std::string& text) {
  const bool quote = text.find_first_of(",\"\r\n") != std::string::npos ||
                     (!text.empty() && (text.front() == ' ' || text.back() == ' '));
  if (!quote) {
    return text;
  }
  std::string out = "\"";
  for (const char c : text) {
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  }
  return out + "\"";
}

}  // namespace

void SetTableFormat(OutputFormat format) { table_format = format; }

void PrintNote(const std::string& note) {
  (table_format == OutputFormat::kTable ? std::cout : std::cerr) << note << "\n";
}

void PrintTable(const std::vector<std::string>& headers,
                const std::vector<std::vector<std::string>>& rows) {
  if (table_format == OutputFormat::kCsv) {
    auto print_csv_row = [](const std::vector<std::string>& cells) {
      for (std::size_t c = 0; c < cells.size(); ++c) {
        std::cout << (c == 0 ? "" : ",") << CsvField(cells[c]);
      }
      std::cout << "\r\n";
    };
    print_csv_row(headers);
    for (const auto& row : rows) {
      print_csv_row(row);
    }
    return;
  }
  std::vector<std::size_t> widths(headers.size());
  for (std::size_t c = 0; c < headers.size(); ++c) {
    widths[c] = headers[c].size();
    for (const auto& row : rows) {
      widths[c] = std::max(widths[c], row[c].size());
    }
  }
  auto print_row = [&](const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < cells.size(); ++c) {
      std::cout << cells[c];
      if (c + 1 < cells.size()) {
        std::cout << std::string(widths[c] - cells[c].size() + 2, ' ');
      }
    }
    std::cout << "\n";
  };
  print_row(headers);
  for (const auto& row : rows) {
    print_row(row);
  }
}

std::string CovenantChild(const std::string& text, const std::string& collection,
                          const std::string& what, const std::string& id_form) {
  if (text.rfind("covenants/", 0) == 0) {
    return text;
  }
  const auto slash = text.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == text.size()) {
    throw ConfigError(what + " must be COVENANT/" + id_form + ", not '" + text + "'");
  }
  return "covenants/" + text.substr(0, slash) + "/" + collection + "/" + text.substr(slash + 1);
}

std::string AsName(const std::string& collection, const std::string& id_or_name) {
  return id_or_name.find('/') == std::string::npos ? collection + "/" + id_or_name : id_or_name;
}

std::string IdOf(const std::string& name) { return name.substr(name.rfind('/') + 1); }

std::string JoinIds(const google::protobuf::RepeatedPtrField<std::string>& names) {
  std::string out;
  for (const auto& name : names) {
    out += (out.empty() ? "" : ",") + IdOf(name);
  }
  return out;
}

std::string DayText(const google::type::Date& date) {
  char text[16];
  if (date.year() == 0) {
    std::snprintf(text, sizeof text, "%02d-%02d", date.month(), date.day());
  } else {
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", date.year(), date.month(), date.day());
  }
  return text;
}

std::string WithoutPrefix(const std::string& name, const std::string& prefix) {
  return name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name;
}

}  // namespace regie::client
