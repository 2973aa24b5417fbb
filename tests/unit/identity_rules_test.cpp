#include <boost/test/unit_test.hpp>

#include "identity_rules.hpp"

namespace regie::identity {

BOOST_AUTO_TEST_SUITE(identity_rules)

BOOST_AUTO_TEST_CASE(serials_are_normalised) {
  BOOST_TEST(ValidateRevokeRequest("00ab:cd", "lost", "").serial == "ABCD");
  BOOST_TEST(ValidateRevokeRequest("0", "lost", "").serial == "0");
  BOOST_TEST(ValidateRevokeRequest("6209374E1BD8B3BA", "left", "r-1").request_id == "r-1");
}

BOOST_AUTO_TEST_CASE(every_bad_field_is_named) {
  try {
    ValidateRevokeRequest("xyz", "", "bad id!");
    BOOST_FAIL("expected INVALID_ARGUMENT");
  } catch (const Error& e) {
    BOOST_REQUIRE_EQUAL(e.violations().size(), 3u);
    BOOST_TEST(e.violations()[0].field == "serial");
    BOOST_TEST(e.violations()[1].field == "reason");
    BOOST_TEST(e.violations()[2].field == "request_id");
  }
  BOOST_CHECK_THROW(ValidateRevokeRequest("", "x", ""), Error);
  BOOST_CHECK_THROW(ValidateRevokeRequest("AB", std::string(501, 'x'), ""), Error);
  BOOST_CHECK_THROW(ValidateRevokeRequest(std::string(65, 'A'), "x", ""), Error);
}

BOOST_AUTO_TEST_CASE(cursor_round_trips) {
  Validation v;
  const auto token = EncodeRevocationCursor({1700000000123456, "ABC"});
  const auto cursor = DecodeRevocationCursor(token, v);
  BOOST_REQUIRE(cursor.has_value());
  BOOST_TEST(cursor->revoked_at_us == 1700000000123456);
  BOOST_TEST(cursor->serial == "ABC");
  BOOST_TEST(!DecodeRevocationCursor("", v).has_value());
  BOOST_TEST(v.empty());
  DecodeRevocationCursor("Zm9v", v);
  BOOST_TEST(!v.empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::identity
