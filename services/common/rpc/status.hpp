#pragma once

// The one place where errors become gRPC statuses (docs/adr/0002-error-model.md).

#include <grpcpp/support/status.h>

#include "error.hpp"

namespace regie::rpc {

// The domain of every google.rpc.ErrorInfo Regie sends.
inline constexpr char kErrorDomain[] = "regie";

// A status with google.rpc.Status details: ErrorInfo (reason) always, BadRequest (field
// violations) when there are any.
grpc::Status ToGrpcStatus(const Error& error);

// Maps the exception being handled (call only inside a catch block) to the error a client may
// see, following the table in style.md. Unexpected failures are logged with their detail under
// `method` and reach the client as INTERNAL without any SQL text.
Error ErrorFromCurrentException(const std::string& method);

}  // namespace regie::rpc
