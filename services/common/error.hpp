#pragma once

// regie::Error is how domain code refuses a request. It carries everything the RPC boundary
// needs to build a google.rpc.Status: a canonical code, a message written for the client, a stable
// UPPER_SNAKE reason, and for invalid input the violated fields. It does not depend on gRPC, so
// rules code can throw it and be tested without a server.

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace regie {

// Mirrors the canonical gRPC status codes (same numeric values) without including gRPC.
enum class ErrorCode {
  kCancelled = 1,
  kUnknown = 2,
  kInvalidArgument = 3,
  kDeadlineExceeded = 4,
  kNotFound = 5,
  kAlreadyExists = 6,
  kPermissionDenied = 7,
  kResourceExhausted = 8,
  kFailedPrecondition = 9,
  kAborted = 10,
  kOutOfRange = 11,
  kUnimplemented = 12,
  kInternal = 13,
  kUnavailable = 14,
  kDataLoss = 15,
  kUnauthenticated = 16,
};

// The canonical name of a code, e.g. "INVALID_ARGUMENT".
const char* ErrorCodeName(ErrorCode code);

struct FieldViolation {
  std::string field;        // path in the request, e.g. "reason" or "lines[2].amount"
  std::string description;  // what is wrong, for a person
};

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, std::string reason, std::string message,
        std::vector<FieldViolation> violations = {});

  ErrorCode code() const { return code_; }
  const std::string& reason() const { return reason_; }
  const std::vector<FieldViolation>& violations() const { return violations_; }

  // INVALID_ARGUMENT for exactly one field.
  static Error InvalidField(std::string field, std::string description);
  static Error NotFound(std::string resource_name);
  static Error FailedPrecondition(std::string reason, std::string message);
  static Error PermissionDenied(std::string reason, std::string message);
  static Error Unauthenticated(std::string reason, std::string message);

 private:
  ErrorCode code_;
  std::string reason_;
  std::vector<FieldViolation> violations_;
};

// Collects every field violation of a request before refusing it, so that the client learns about
// all of them at once:
//   Validation v;
//   if (req.reason().empty()) v.Add("reason", "is required");
//   v.ThrowIfAny();
class Validation {
 public:
  void Add(std::string field, std::string description);
  bool empty() const { return violations_.empty(); }
  // Throws INVALID_ARGUMENT (reason INVALID_ARGUMENT) naming every field, if any was added.
  void ThrowIfAny() const;

 private:
  std::vector<FieldViolation> violations_;
};

}  // namespace regie
