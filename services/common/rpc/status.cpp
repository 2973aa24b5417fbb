#include "rpc/status.hpp"

#include <spdlog/spdlog.h>
#include <pqxx/except>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace regie::rpc {

grpc::Status ToGrpcStatus(const Error& error) {
  google::rpc::Status status;
  status.set_code(static_cast<int>(error.code()));
  status.set_message(error.what());
  google::rpc::ErrorInfo info;
  info.set_reason(error.reason());
  info.set_domain(kErrorDomain);
  status.add_details()->PackFrom(info);
  if (!error.violations().empty()) {
    google::rpc::BadRequest bad_request;
    for (const auto& v : error.violations()) {
      auto* violation = bad_request.add_field_violations();
      violation->set_field(v.field);
      violation->set_description(v.description);
    }
    status.add_details()->PackFrom(bad_request);
  }
  return grpc::Status(static_cast<grpc::StatusCode>(error.code()), error.what(),
                      status.SerializeAsString());
}

Error ErrorFromCurrentException(const std::string& method) {
  try {
    throw;
  } catch (const Error& e) {
    return e;
  } catch (const pqxx::in_doubt_error& e) {
    spdlog::error("{}: commit outcome unknown: {}", method, e.what());
    return Error(ErrorCode::kUnknown, "COMMIT_OUTCOME_UNKNOWN",
                 "the database connection was lost while committing; the change may or may not "
                 "have been stored");
  } catch (const pqxx::statement_completion_unknown& e) {
    // Derives from transaction_rollback: must come before the conflict cases.
    spdlog::error("{}: statement outcome unknown: {}", method, e.what());
    return Error(ErrorCode::kUnknown, "COMMIT_OUTCOME_UNKNOWN",
                 "the database connection was lost; the change may or may not have been stored");
  } catch (const pqxx::serialization_failure&) {
    return Error(ErrorCode::kAborted, "TRANSACTION_CONFLICT",
                 "the request conflicted with concurrent changes; retry it");
  } catch (const pqxx::deadlock_detected&) {
    return Error(ErrorCode::kAborted, "TRANSACTION_CONFLICT",
                 "the request conflicted with concurrent changes; retry it");
  } catch (const pqxx::broken_connection& e) {
    spdlog::warn("{}: database unavailable: {}", method, e.what());
    return Error(ErrorCode::kUnavailable, "DATABASE_UNAVAILABLE",
                 "the database is not reachable; retry later");
  } catch (const pqxx::unique_violation& e) {
    spdlog::warn("{}: unique violation: {}", method, e.what());
    return Error(ErrorCode::kAlreadyExists, "ALREADY_EXISTS", "the resource already exists");
  } catch (const pqxx::foreign_key_violation& e) {
    spdlog::warn("{}: foreign key violation: {}", method, e.what());
    return Error(ErrorCode::kFailedPrecondition, "REFERENCED_RESOURCE_MISSING",
                 "a resource the request refers to does not exist or is still in use");
  } catch (const pqxx::integrity_constraint_violation& e) {
    spdlog::warn("{}: integrity violation (a validator let this through): {}", method, e.what());
    return Error(ErrorCode::kInvalidArgument, "CONSTRAINT_VIOLATION",
                 "the request violates a data constraint");
  } catch (const pqxx::data_exception& e) {
    spdlog::warn("{}: data exception (a validator let this through): {}", method, e.what());
    return Error(ErrorCode::kInvalidArgument, "INVALID_DATA",
                 "the request contains a value the database cannot store");
  } catch (const pqxx::sql_error& e) {
    if (e.sqlstate() == "57014") {
      return Error(ErrorCode::kDeadlineExceeded, "DEADLINE_EXCEEDED",
                   "the database work did not finish before the deadline");
    }
    // The server is shutting down, crashed, or still starting (57P01-57P03), or the connection
    // failed (class 08): as unavailable as a connection that broke. So is an error without a
    // SQLSTATE: libpq's own, such as "server closed the connection unexpectedly" when the
    // connection is lost during a statement (seen in e2e.faults), which libpqxx 6.4 can throw as
    // a plain sql_error rather than broken_connection.
    if (const auto state = e.sqlstate(); state.empty() || state == "57P01" || state == "57P02" ||
                                         state == "57P03" || state.rfind("08", 0) == 0) {
      spdlog::warn("{}: database unavailable ({}): {}", method, state, e.what());
      return Error(ErrorCode::kUnavailable, "DATABASE_UNAVAILABLE",
                   "the database is not reachable; retry later");
    }
    spdlog::error("{}: SQL error {}: {} (query: {})", method, e.sqlstate(), e.what(), e.query());
    return Error(ErrorCode::kInternal, "INTERNAL", "internal error");
  } catch (const std::exception& e) {
    spdlog::error("{}: unexpected exception: {}", method, e.what());
    return Error(ErrorCode::kInternal, "INTERNAL", "internal error");
  } catch (...) {
    spdlog::error("{}: unexpected non-standard exception", method);
    return Error(ErrorCode::kInternal, "INTERNAL", "internal error");
  }
}

}  // namespace regie::rpc
