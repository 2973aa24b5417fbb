#pragma once

// The access matrix of docs/security.md as data, and a way to call any RPC by its method name
// with serialised messages, for tests that go through every RPC without a stub per service.

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/channel.h>
#include <grpcpp/support/status.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "auth/principal.hpp"
#include "regie_client.hpp"
#include "test_server.hpp"

namespace regie::testing {

// What a role may do with one organisation's data through one RPC (docs/security.md).
enum class Cell {
  kAny,      // every organisation of the role
  kOwn,      // only the caller's own organisation
  kPublic,   // only what is public; nobody of the role reads the private data
  kRefused,  // refused by the policy table
};

// "any", "own", "public" or "-", as the matrix writes it.
std::string_view CellName(Cell cell);

struct MatrixRow {
  std::string method;           // "/package.Service/Method"
  std::array<Cell, 4> cells{};  // in the order of auth::kAllRoles
  Cell CellFor(auth::Role role) const;
};

// The rows between `<!-- access-matrix:begin -->` and `<!-- access-matrix:end -->`. Throws
// std::runtime_error naming the line when the table is missing or a row is malformed.
std::vector<MatrixRow> ParseAccessMatrix(const std::string& markdown);

// The matrix of $REGIE_SOURCE_DIR/docs/security.md.
std::vector<MatrixRow> ReadAccessMatrix();

struct CallOutcome {
  grpc::Status status;
  std::string reason;                  // ErrorInfo reason, if any
  std::vector<std::string> responses;  // serialised response messages
  // OK, or a streaming call that answered before it was cut off.
  bool Succeeded() const { return status.ok() || !responses.empty(); }
};

// "PERMISSION_DENIED [ROLE_NOT_ALLOWED]: role admin may not call ... (0 responses)".
std::string Describe(const CallOutcome& outcome);

// Calls `method` on `channel` with `requests` (serialised messages; one for a unary call), reads
// the first response and the status. Works for every kind of RPC: on the wire they are all
// streams. A call that keeps streaming (Health/Watch) is cancelled after its first answer.
CallOutcome CallRpc(grpc::Channel& channel, const std::string& method,
                    const std::vector<std::string>& requests);

// The generated descriptor of `method` ("/package.Service/Method"), or nullptr for a method whose
// messages are not compiled into this program (gRPC's own health and reflection services).
const google::protobuf::MethodDescriptor* FindMethod(const std::string& method);

// A message of `type` read from protobuf JSON; throws std::runtime_error with the parser's error.
std::unique_ptr<google::protobuf::Message> MessageFromJson(const google::protobuf::Descriptor& type,
                                                           const std::string& json);

// A serialised message of `type` as protobuf JSON ("" when it does not parse).
std::string JsonOf(const google::protobuf::Descriptor& type, const std::string& serialised);

}  // namespace regie::testing
