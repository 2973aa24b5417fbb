#include <boost/test/unit_test.hpp>

#include <vector>

#include "crypto.hpp"

namespace regie {

BOOST_AUTO_TEST_SUITE(crypto)

BOOST_AUTO_TEST_CASE(sha256_matches_the_published_test_vector) {
  BOOST_TEST(ToHex(Sha256("abc")) ==
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(Sha256("").size() == 32u);
}

BOOST_AUTO_TEST_CASE(base64url_round_trips_and_rejects_foreign_characters) {
  for (const std::string& text : std::vector<std::string>{"", "a", "ab", "abc", "entries:12345",
                                                          std::string("\0\xff\x10", 3)}) {
    std::string decoded;
    BOOST_TEST(Base64UrlDecode(Base64UrlEncode(text), decoded));
    BOOST_TEST(decoded == text);
  }
  std::string out;
  BOOST_TEST(!Base64UrlDecode("abc=", out));
  BOOST_TEST(!Base64UrlDecode("a+b/", out));
}

BOOST_AUTO_TEST_CASE(length_prefix_makes_field_boundaries_unambiguous) {
  std::string a;
  AppendLengthPrefixed(a, "ab");
  AppendLengthPrefixed(a, "c");
  std::string b;
  AppendLengthPrefixed(b, "a");
  AppendLengthPrefixed(b, "bc");
  BOOST_TEST(a != b);
  std::string n;
  AppendUint64(n, 0x0102030405060708ULL);
  BOOST_TEST(ToHex(n) == "0102030405060708");
}

BOOST_AUTO_TEST_CASE(request_ids_are_random_hex) {
  const auto a = NewRequestId();
  BOOST_TEST(a.size() == 32u);
  BOOST_TEST(a != NewRequestId());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie
