#include <boost/test/unit_test.hpp>

#include "reference_rules.hpp"
#include "violated_fields.hpp"

namespace regie::covenants {
namespace {

std::vector<std::string> Fields(const std::function<void()>& call) {
  return testing::ViolatedFields(call);
}

const std::vector<std::string> kDuinstreek = {"municipalities/9901", "municipalities/9902",
                                              "municipalities/9903"};

}  // namespace

BOOST_AUTO_TEST_SUITE(reference_rules)

BOOST_AUTO_TEST_CASE(a_municipality_needs_a_cbs_code_and_a_name) {
  BOOST_CHECK_NO_THROW(ValidateMunicipality("9901", "Duinhaven", ""));
  const auto fields = Fields([] { ValidateMunicipality("99", "", "bad id!"); });
  const std::vector<std::string> expected = {"municipality.code", "municipality.display_name",
                                             "request_id"};
  BOOST_TEST(fields == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_valid_region_keeps_its_members_in_order) {
  const auto region =
      ValidateRegion("duinstreek", "Regio Duinstreek", kDuinstreek, "municipalities/9901", "");
  const std::vector<std::string> expected = {"9901", "9902", "9903"};
  BOOST_TEST(region.members == expected, boost::test_tools::per_element());
  BOOST_TEST(region.lead == "9901");
}

BOOST_AUTO_TEST_CASE(every_bad_region_field_is_named) {
  struct Row {
    const char* what;
    std::function<void()> call;
    std::vector<std::string> fields;
  };
  const std::vector<Row> rows = {
      {"bad id",
       [] { ValidateRegion("Duin Streek", "R", kDuinstreek, kDuinstreek[0], ""); },
       {"region.region_id"}},
      {"no name",
       [] { ValidateRegion("d", "", kDuinstreek, kDuinstreek[0], ""); },
       {"region.display_name"}},
      {"no members",
       [] { ValidateRegion("d", "R", {}, "municipalities/9901", ""); },
       {"region.municipalities"}},
      {"bad member",
       [] {
         ValidateRegion("d", "R", {"municipalities/9901", "regions/x"}, "municipalities/9901", "");
       },
       {"region.municipalities[1]"}},
      {"twice",
       [] {
         ValidateRegion("d", "R", {"municipalities/9901", "municipalities/9901"},
                        "municipalities/9901", "");
       },
       {"region.municipalities[1]"}},
      {"no lead",
       [] { ValidateRegion("d", "R", kDuinstreek, "", ""); },
       {"region.lead_municipality"}},
      {"lead outside",
       [] { ValidateRegion("d", "R", kDuinstreek, "municipalities/0363", ""); },
       {"region.lead_municipality"}},
  };
  for (const auto& row : rows) {
    BOOST_TEST_CONTEXT(row.what) {
      const auto fields = Fields(row.call);
      BOOST_TEST(fields == row.fields, boost::test_tools::per_element());
    }
  }
}

BOOST_AUTO_TEST_CASE(names_parse_and_print) {
  Validation v;
  BOOST_TEST(ParseMunicipalityName("municipalities/0363", v, "name") == "0363");
  BOOST_TEST(ParseRegionName("regions/duinstreek", v, "name") == "duinstreek");
  BOOST_TEST(v.empty());
  ParseMunicipalityName("municipalities/363", v, "name");
  ParseRegionName("regions/Duin", v, "name");
  BOOST_TEST(!v.empty());
  BOOST_TEST(MunicipalityName("9901") == "municipalities/9901");
  BOOST_TEST(RegionName("duinstreek") == "regions/duinstreek");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::covenants
