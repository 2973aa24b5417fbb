#include <boost/test/unit_test.hpp>

#include "request.hpp"

#include <vector>

namespace regie {

BOOST_AUTO_TEST_SUITE(request)

BOOST_AUTO_TEST_CASE(page_size_defaults_caps_and_refuses_negative) {
  Validation v;
  BOOST_TEST(PageSize(0, 100, 1000, v) == 100);
  BOOST_TEST(PageSize(5, 100, 1000, v) == 5);
  BOOST_TEST(PageSize(5000, 100, 1000, v) == 1000);
  BOOST_TEST(v.empty());
  PageSize(-1, 100, 1000, v);
  BOOST_TEST(!v.empty());
}

BOOST_AUTO_TEST_CASE(page_tokens_round_trip_only_for_their_own_list) {
  Validation v;
  const auto token = EncodePageToken("entries", "17");
  BOOST_TEST(DecodePageToken("entries", token, v) == "17");
  BOOST_TEST(v.empty());
  BOOST_TEST(DecodePageToken("entries", "", v).empty());
  BOOST_TEST(v.empty());
  BOOST_TEST(DecodePageToken("checkpoints", token, v).empty());
  BOOST_TEST(!v.empty());
  Validation garbage;
  DecodePageToken("entries", "not a token!", garbage);
  BOOST_TEST(!garbage.empty());
}

BOOST_AUTO_TEST_CASE(take_page_trims_the_extra_row_into_a_token) {
  std::vector<int> rows = {10, 20, 30};  // asked for page_size + 1 = 3
  const auto token = TakePage(rows, 2, "things", [](int r) { return std::to_string(r); });
  BOOST_TEST(rows == (std::vector<int>{10, 20}), boost::test_tools::per_element());
  Validation v;
  BOOST_TEST(DecodePageToken("things", token, v) == "20");  // continues after the last kept row
  std::vector<int> last = {40};
  BOOST_TEST(TakePage(last, 2, "things", [](int r) { return std::to_string(r); }).empty());
  BOOST_TEST(last.size() == 1u);
}

BOOST_AUTO_TEST_CASE(request_ids_are_limited_to_a_safe_alphabet) {
  Validation v;
  BOOST_TEST(CheckRequestId("", v));
  BOOST_TEST(CheckRequestId("0f3a-retry_1.x", v));
  BOOST_TEST(v.empty());
  BOOST_TEST(!CheckRequestId("has space", v));
  BOOST_TEST(!CheckRequestId(std::string(65, 'a'), v));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie
