#include <boost/test/unit_test.hpp>

#include "error.hpp"

namespace regie {

BOOST_AUTO_TEST_SUITE(error)

BOOST_AUTO_TEST_CASE(validation_reports_every_field_at_once) {
  Validation v;
  BOOST_TEST(v.empty());
  BOOST_CHECK_NO_THROW(v.ThrowIfAny());
  v.Add("serial", "is required");
  v.Add("reason", "must be at most 500 characters");
  try {
    v.ThrowIfAny();
    BOOST_FAIL("expected an error");
  } catch (const Error& e) {
    BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(ErrorCode::kInvalidArgument));
    BOOST_TEST(e.reason() == "INVALID_ARGUMENT");
    BOOST_REQUIRE_EQUAL(e.violations().size(), 2u);
    BOOST_TEST(e.violations()[0].field == "serial");
    BOOST_TEST(e.violations()[1].field == "reason");
    BOOST_TEST(std::string(e.what()) ==
               "serial: is required; reason: must be at most 500 characters");
  }
}

BOOST_AUTO_TEST_CASE(factories_set_code_and_reason) {
  const auto not_found = Error::NotFound("covenants/42");
  BOOST_TEST(static_cast<int>(not_found.code()) == 5);
  BOOST_TEST(std::string(not_found.what()) == "covenants/42 does not exist");
  const auto field = Error::InvalidField("page_size", "must not be negative");
  BOOST_TEST(field.violations().size() == 1u);
  BOOST_TEST(field.violations()[0].field == "page_size");
  BOOST_TEST(Error::FailedPrecondition("COVENANT_CLOSED", "closed").reason() == "COVENANT_CLOSED");
  BOOST_TEST(std::string(ErrorCodeName(ErrorCode::kFailedPrecondition)) == "FAILED_PRECONDITION");
  BOOST_TEST(std::string(ErrorCodeName(ErrorCode::kUnauthenticated)) == "UNAUTHENTICATED");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie
