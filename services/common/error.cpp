#include "error.hpp"

namespace regie {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kCancelled:
      return "CANCELLED";
    case ErrorCode::kUnknown:
      return "UNKNOWN";
    case ErrorCode::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case ErrorCode::kDeadlineExceeded:
      return "DEADLINE_EXCEEDED";
    case ErrorCode::kNotFound:
      return "NOT_FOUND";
    case ErrorCode::kAlreadyExists:
      return "ALREADY_EXISTS";
    case ErrorCode::kPermissionDenied:
      return "PERMISSION_DENIED";
    case ErrorCode::kResourceExhausted:
      return "RESOURCE_EXHAUSTED";
    case ErrorCode::kFailedPrecondition:
      return "FAILED_PRECONDITION";
    case ErrorCode::kAborted:
      return "ABORTED";
    case ErrorCode::kOutOfRange:
      return "OUT_OF_RANGE";
    case ErrorCode::kUnimplemented:
      return "UNIMPLEMENTED";
    case ErrorCode::kInternal:
      return "INTERNAL";
    case ErrorCode::kUnavailable:
      return "UNAVAILABLE";
    case ErrorCode::kDataLoss:
      return "DATA_LOSS";
    case ErrorCode::kUnauthenticated:
      return "UNAUTHENTICATED";
  }
  return "UNKNOWN";
}

Error::Error(ErrorCode code, std::string reason, std::string message,
             std::vector<FieldViolation> violations)
    : std::runtime_error(std::move(message)),
      code_(code),
      reason_(std::move(reason)),
      violations_(std::move(violations)) {}

Error Error::InvalidField(std::string field, std::string description) {
  std::string message = field + ": " + description;
  return Error(ErrorCode::kInvalidArgument, "INVALID_ARGUMENT", std::move(message),
               {{std::move(field), std::move(description)}});
}

Error Error::NotFound(std::string resource_name) {
  return Error(ErrorCode::kNotFound, "NOT_FOUND", resource_name + " does not exist");
}

Error Error::FailedPrecondition(std::string reason, std::string message) {
  return Error(ErrorCode::kFailedPrecondition, std::move(reason), std::move(message));
}

Error Error::PermissionDenied(std::string reason, std::string message) {
  return Error(ErrorCode::kPermissionDenied, std::move(reason), std::move(message));
}

Error Error::Unauthenticated(std::string reason, std::string message) {
  return Error(ErrorCode::kUnauthenticated, std::move(reason), std::move(message));
}

void Validation::Add(std::string field, std::string description) {
  violations_.push_back({std::move(field), std::move(description)});
}

void Validation::ThrowIfAny() const {
  if (violations_.empty()) {
    return;
  }
  std::string message;
  for (const auto& v : violations_) {
    if (!message.empty()) {
      message += "; ";
    }
    message += v.field + ": " + v.description;
  }
  throw Error(ErrorCode::kInvalidArgument, "INVALID_ARGUMENT", message, violations_);
}

}  // namespace regie
