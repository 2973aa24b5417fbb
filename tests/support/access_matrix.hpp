#pragma once

// The access matrix of docs/security.md as data, and a way to call any RPC by its method name
// with serialised messages, for tests that go through every RPC without a stub per service.

#include <grpcpp/channel.h>
#include <grpcpp/support/status.h>

#include <array>
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

struct MatrixRow {
  std::string method;           // "/package.Service/Method"
  std::array<Cell, 4> cells{};  // in the order of auth::kAllRoles
  Cell CellFor(auth::Role role) const;
};

// The rows between `<!-- access-matrix:begin -->` and `<!-- access-matrix:end -->`. Throws
// std::runtime_error naming the line when the table is missing or a row is malformed.
std::vector<MatrixRow> ParseAccessMatrix(const std::string& markdown);

struct CallOutcome {
  grpc::Status status;
  std::string reason;                  // ErrorInfo reason, if any
  std::vector<std::string> responses;  // serialised response messages
  // OK, or a streaming call that answered before it was cut off.
  bool Succeeded() const { return status.ok() || !responses.empty(); }
};

// Calls `method` on `channel` with `requests` (serialised messages; one for a unary call), reads
// the first response and the status. Works for every kind of RPC: on the wire they are all
// streams. A call that keeps streaming (Health/Watch) is cancelled after its first answer.
CallOutcome CallRpc(grpc::Channel& channel, const std::string& method,
                    const std::vector<std::string>& requests);

}  // namespace regie::testing
