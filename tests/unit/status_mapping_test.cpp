#include <pqxx/except>

#include <boost/test/unit_test.hpp>

#include <functional>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "rpc/boundary.hpp"
#include "rpc/status.hpp"

namespace regie::rpc {
namespace {

const char kSql[] = "INSERT INTO secret_table VALUES (1)";

Error Map(const std::function<void()>& thrower) {
  try {
    thrower();
  } catch (...) {
    return ErrorFromCurrentException("/test.Service/Method");
  }
  BOOST_FAIL("nothing was thrown");
  throw std::logic_error("unreachable");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(status_mapping)

// The table of docs/style.md, row by row.
BOOST_AUTO_TEST_CASE(every_row_of_the_error_table) {
  struct Row {
    const char* name;
    std::function<void()> thrower;
    ErrorCode code;
    const char* reason;
  };
  const std::vector<Row> rows = {
      {"regie::Error",
       [] { throw Error::FailedPrecondition("COVENANT_CLOSED", "the covenant is closed"); },
       ErrorCode::kFailedPrecondition, "COVENANT_CLOSED"},
      {"unique_violation", [] { throw pqxx::unique_violation("dup", kSql, "23505"); },
       ErrorCode::kAlreadyExists, "ALREADY_EXISTS"},
      {"foreign_key_violation", [] { throw pqxx::foreign_key_violation("fk", kSql, "23503"); },
       ErrorCode::kFailedPrecondition, "REFERENCED_RESOURCE_MISSING"},
      {"check_violation", [] { throw pqxx::check_violation("check", kSql, "23514"); },
       ErrorCode::kInvalidArgument, "CONSTRAINT_VIOLATION"},
      {"not_null_violation", [] { throw pqxx::not_null_violation("null", kSql, "23502"); },
       ErrorCode::kInvalidArgument, "CONSTRAINT_VIOLATION"},
      {"data_exception", [] { throw pqxx::data_exception("bad", kSql, "22P02"); },
       ErrorCode::kInvalidArgument, "INVALID_DATA"},
      {"statement_completion_unknown", [] { throw pqxx::statement_completion_unknown("lost"); },
       ErrorCode::kUnknown, "COMMIT_OUTCOME_UNKNOWN"},
      {"in_doubt_error", [] { throw pqxx::in_doubt_error("lost during commit"); },
       ErrorCode::kUnknown, "COMMIT_OUTCOME_UNKNOWN"},
      {"serialization_failure", [] { throw pqxx::serialization_failure("40001"); },
       ErrorCode::kAborted, "TRANSACTION_CONFLICT"},
      {"deadlock_detected", [] { throw pqxx::deadlock_detected("40P01"); }, ErrorCode::kAborted,
       "TRANSACTION_CONFLICT"},
      {"broken_connection", [] { throw pqxx::broken_connection("server closed"); },
       ErrorCode::kUnavailable, "DATABASE_UNAVAILABLE"},
      {"pool exhausted",
       [] { throw Error(ErrorCode::kResourceExhausted, "POOL_EXHAUSTED", "no connection"); },
       ErrorCode::kResourceExhausted, "POOL_EXHAUSTED"},
      {"statement timeout 57014", [] { throw pqxx::sql_error("canceling", kSql, "57014"); },
       ErrorCode::kDeadlineExceeded, "DEADLINE_EXCEEDED"},
      {"database shutting down 57P01",
       [] { throw pqxx::sql_error("terminating connection", kSql, "57P01"); },
       ErrorCode::kUnavailable, "DATABASE_UNAVAILABLE"},
      {"database starting up 57P03",
       [] { throw pqxx::sql_error("the database system is starting up", kSql, "57P03"); },
       ErrorCode::kUnavailable, "DATABASE_UNAVAILABLE"},
      {"connection failure 08006", [] { throw pqxx::sql_error("lost", kSql, "08006"); },
       ErrorCode::kUnavailable, "DATABASE_UNAVAILABLE"},
      {"connection lost during a statement, no SQLSTATE",
       [] { throw pqxx::sql_error("server closed the connection unexpectedly", kSql, ""); },
       ErrorCode::kUnavailable, "DATABASE_UNAVAILABLE"},
      {"other sql_error", [] { throw pqxx::sql_error("syntax", kSql, "42601"); },
       ErrorCode::kInternal, "INTERNAL"},
      {"std::exception", [] { throw std::runtime_error("boom in " + std::string(kSql)); },
       ErrorCode::kInternal, "INTERNAL"},
      {"non-standard", [] { throw 42; }, ErrorCode::kInternal, "INTERNAL"},
  };
  for (const auto& row : rows) {
    BOOST_TEST_CONTEXT(row.name) {
      const auto error = Map(row.thrower);
      BOOST_TEST(ErrorCodeName(error.code()) == ErrorCodeName(row.code));
      BOOST_TEST(error.reason() == row.reason);
      const auto status = ToGrpcStatus(error);
      BOOST_TEST(static_cast<int>(status.error_code()) == static_cast<int>(row.code));
      // No SQL text ever reaches a client.
      BOOST_TEST(status.error_message().find("secret_table") == std::string::npos);
      BOOST_TEST(status.error_details().find("secret_table") == std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(details_carry_error_info_and_field_violations) {
  Validation v;
  v.Add("serial", "is required");
  v.Add("reason", "is required");
  try {
    v.ThrowIfAny();
  } catch (const Error& e) {
    const auto status = ToGrpcStatus(e);
    google::rpc::Status details;
    BOOST_REQUIRE(details.ParseFromString(status.error_details()));
    BOOST_TEST(details.code() == 3);
    BOOST_REQUIRE_EQUAL(details.details_size(), 2);
    google::rpc::ErrorInfo info;
    BOOST_REQUIRE(details.details(0).UnpackTo(&info));
    BOOST_TEST(info.reason() == "INVALID_ARGUMENT");
    BOOST_TEST(info.domain() == kErrorDomain);
    google::rpc::BadRequest bad;
    BOOST_REQUIRE(details.details(1).UnpackTo(&bad));
    BOOST_REQUIRE_EQUAL(bad.field_violations_size(), 2);
    BOOST_TEST(bad.field_violations(0).field() == "serial");
    BOOST_TEST(bad.field_violations(1).field() == "reason");
  }
}

BOOST_AUTO_TEST_CASE(missing_or_distant_client_deadlines_are_capped) {
  using namespace std::chrono;
  const auto now_system = system_clock::now();
  const auto now_steady = db::Clock::now();
  const milliseconds cap(30000);
  // No deadline at all (gRPC reports time_point::max()).
  BOOST_TEST((CapDeadline(system_clock::time_point::max(), cap, now_system, now_steady) ==
              now_steady + cap));
  // A deadline an hour away.
  BOOST_TEST((CapDeadline(now_system + hours(1), cap, now_system, now_steady) == now_steady + cap));
  // A near deadline is kept, translated to the steady clock.
  BOOST_TEST((CapDeadline(now_system + milliseconds(250), cap, now_system, now_steady) ==
              now_steady + milliseconds(250)));
  // A deadline already past stays past.
  BOOST_TEST((CapDeadline(now_system - seconds(1), cap, now_system, now_steady) < now_steady));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::rpc
