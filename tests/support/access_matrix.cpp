#include "access_matrix.hpp"

#include <google/protobuf/util/json_util.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/byte_buffer.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace regie::testing {
namespace {

constexpr std::string_view kBegin = "<!-- access-matrix:begin -->";
constexpr std::string_view kEnd = "<!-- access-matrix:end -->";

std::string Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return "";
  }
  const auto last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

std::vector<std::string> Columns(const std::string& line) {
  std::vector<std::string> columns;
  std::stringstream in(line);
  std::string column;
  std::getline(in, column, '|');  // before the first bar
  while (std::getline(in, column, '|')) {
    columns.push_back(Trim(column));
  }
  if (!columns.empty() && columns.back().empty()) {
    columns.pop_back();  // after the last bar
  }
  return columns;
}

constexpr Cell kCells[] = {Cell::kAny, Cell::kOwn, Cell::kPublic, Cell::kRefused};

Cell ParseCell(const std::string& text, const std::string& line) {
  for (Cell cell : kCells) {
    if (text == CellName(cell)) {
      return cell;
    }
  }
  throw std::runtime_error("access matrix: unknown cell '" + text + "' in: " + line);
}

}  // namespace

std::string_view CellName(Cell cell) {
  switch (cell) {
    case Cell::kAny:
      return "any";
    case Cell::kOwn:
      return "own";
    case Cell::kPublic:
      return "public";
    case Cell::kRefused:
      return "-";
  }
  return "?";
}

Cell MatrixRow::CellFor(auth::Role role) const {
  const auto* it = std::find(std::begin(auth::kAllRoles), std::end(auth::kAllRoles), role);
  return cells.at(static_cast<std::size_t>(it - std::begin(auth::kAllRoles)));
}

std::vector<MatrixRow> ParseAccessMatrix(const std::string& markdown) {
  const auto begin = markdown.find(kBegin);
  const auto end = markdown.find(kEnd);
  if (begin == std::string::npos || end == std::string::npos || end < begin) {
    throw std::runtime_error("access matrix: no table between " + std::string(kBegin) + " and " +
                             std::string(kEnd));
  }
  std::stringstream table(markdown.substr(begin + kBegin.size(), end - begin - kBegin.size()));
  std::vector<MatrixRow> rows;
  std::string line;
  while (std::getline(table, line)) {
    const auto columns = Columns(line);
    if (columns.empty() || columns[0] == "RPC" || columns[0].rfind("---", 0) == 0) {
      continue;
    }
    if (columns.size() != 1 + std::size(auth::kAllRoles) || columns[0].rfind('/', 0) != 0) {
      throw std::runtime_error("access matrix: expected an RPC and " +
                               std::to_string(std::size(auth::kAllRoles)) + " cells in: " + line);
    }
    MatrixRow row;
    row.method = columns[0];
    for (std::size_t i = 0; i < row.cells.size(); ++i) {
      row.cells[i] = ParseCell(columns[i + 1], line);
    }
    rows.push_back(std::move(row));
  }
  if (rows.empty()) {
    throw std::runtime_error("access matrix: the table has no rows");
  }
  return rows;
}

std::vector<MatrixRow> ReadAccessMatrix() {
  const char* source = std::getenv("REGIE_SOURCE_DIR");
  if (source == nullptr) {
    throw std::runtime_error("REGIE_SOURCE_DIR is not set (run through ctest)");
  }
  return ParseAccessMatrix(
      client::ReadTextFile(std::string(source) + "/docs/security.md", "docs/security.md"));
}

std::string Describe(const CallOutcome& outcome) {
  std::string text = client::StatusCodeName(outcome.status.error_code());
  if (!outcome.reason.empty()) {
    text += " [" + outcome.reason + "]";
  }
  if (!outcome.status.ok()) {
    text += ": " + outcome.status.error_message();
  }
  return text + " (" + std::to_string(outcome.responses.size()) + " responses)";
}

CallOutcome CallRpc(grpc::Channel& channel, const std::string& method,
                    const std::vector<std::string>& requests) {
  grpc::GenericStub stub(std::shared_ptr<grpc::Channel>(&channel, [](grpc::Channel*) {}));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  grpc::CompletionQueue queue;
  // Each step waits for its own completion before the next starts, so one tag is enough.
  auto step = [&queue](auto&& start) {
    void* tag = nullptr;
    bool ok = false;
    start();
    if (!queue.Next(&tag, &ok)) {
      throw std::runtime_error("completion queue shut down");
    }
    return ok;
  };
  auto call = stub.PrepareCall(&context, method, &queue);
  step([&] { call->StartCall(call.get()); });
  for (const auto& request : requests) {
    grpc::Slice slice(request);
    const grpc::ByteBuffer buffer(&slice, 1);
    if (!step([&] { call->Write(buffer, call.get()); })) {
      break;  // the server has already answered; Finish says how
    }
  }
  step([&] { call->WritesDone(call.get()); });
  CallOutcome outcome;
  grpc::ByteBuffer response;
  if (step([&] { call->Read(&response, call.get()); })) {
    grpc::Slice whole;
    if (response.TrySingleSlice(&whole).ok() || response.DumpToSingleSlice(&whole).ok()) {
      outcome.responses.emplace_back(reinterpret_cast<const char*>(whole.begin()), whole.size());
    }
    if (method == "/grpc.health.v1.Health/Watch") {
      context.TryCancel();
    }
  }
  step([&] { call->Finish(&outcome.status, call.get()); });
  queue.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (queue.Next(&tag, &ok)) {
  }
  outcome.reason = client::RpcError(outcome.status).reason();
  return outcome;
}

const google::protobuf::MethodDescriptor* FindMethod(const std::string& method) {
  // "/package.Service/Method" is "package.Service.Method" in the descriptor pool.
  std::string full_name = method.substr(method.empty() ? 0 : 1);
  std::replace(full_name.begin(), full_name.end(), '/', '.');
  return google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(full_name);
}

std::unique_ptr<google::protobuf::Message> MessageFromJson(const google::protobuf::Descriptor& type,
                                                           const std::string& json) {
  std::unique_ptr<google::protobuf::Message> message(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(&type)->New());
  const auto status = google::protobuf::util::JsonStringToMessage(json, message.get());
  if (!status.ok()) {
    throw std::runtime_error(type.full_name() + " from " + json + ": " + status.ToString());
  }
  return message;
}

std::string JsonOf(const google::protobuf::Descriptor& type, const std::string& serialised) {
  std::unique_ptr<google::protobuf::Message> message(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(&type)->New());
  std::string json;
  if (!message->ParseFromString(serialised) ||
      !google::protobuf::util::MessageToJsonString(*message, &json).ok()) {
    return "";
  }
  return json;
}

}  // namespace regie::testing
