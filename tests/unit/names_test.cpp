#include <boost/test/unit_test.hpp>

#include "names.hpp"

namespace regie {

BOOST_AUTO_TEST_SUITE(names)

BOOST_AUTO_TEST_CASE(codes_and_region_ids) {
  BOOST_TEST(IsMunicipalityCode("0363"));
  BOOST_TEST(!IsMunicipalityCode("363"));
  BOOST_TEST(!IsMunicipalityCode("03a3"));
  BOOST_TEST(IsRegionId("duinstreek"));
  BOOST_TEST(IsRegionId("holland-rijnland-2"));
  BOOST_TEST(!IsRegionId(""));
  BOOST_TEST(!IsRegionId("Duinstreek"));
  BOOST_TEST(!IsRegionId(std::string(41, 'a')));
}

BOOST_AUTO_TEST_CASE(resource_ids_need_their_collection) {
  BOOST_TEST(ResourceId("municipalities/9901", "municipalities").value() == "9901");
  BOOST_TEST(!ResourceId("regions/9901", "municipalities").has_value());
  BOOST_TEST(!ResourceId("municipalities/", "municipalities").has_value());
  BOOST_TEST(!ResourceId("municipalities/99/01", "municipalities").has_value());
  BOOST_TEST(!ResourceId("municipalitiesX9901", "municipalities").has_value());
}

BOOST_AUTO_TEST_CASE(text_checks) {
  BOOST_TEST(CheckText("Duinhaven", 100).empty());
  BOOST_TEST(CheckText("", 100) == "is required");
  BOOST_TEST(!CheckText(std::string(101, 'x'), 100).empty());
  BOOST_TEST(!CheckText("tab\there", 100).empty());
}

BOOST_AUTO_TEST_CASE(text_array_literals_quote_every_element) {
  BOOST_TEST(TextArrayLiteral({}) == "{}");
  BOOST_TEST(TextArrayLiteral({"9901", "9902"}) == R"({"9901","9902"})");
  BOOST_TEST(TextArrayLiteral({R"(a"b\c)", "d,e"}) == R"({"a\"b\\c","d,e"})");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie
