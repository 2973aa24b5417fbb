#include <boost/test/unit_test.hpp>

#include "covenant_rules.hpp"
#include "deadlines.hpp"
#include "fixtures.hpp"

namespace regie::covenants {
namespace {

using std::chrono::sys_days;

sys_days Day(const std::string& iso) { return ToDays(*ParseIsoDate(iso)); }

// "2027-01-01 ACCESSION_WINDOW"-style lines for the fixture's deadlines in [from, to].
std::vector<std::string> Lines(const std::string& from, const std::string& to,
                               int extensions_used = 0) {
  const auto terms = testing::DuinstreekCovenant().covenant().terms();
  std::vector<std::string> lines;
  for (const auto& d : Deadlines(terms, extensions_used, Day(from), Day(to))) {
    static const char* kNames[] = {"TERM_END",         "NOTICE",    "ACCESSION_APPLICATION",
                                   "ACCESSION_WINDOW", "QUARTERLY", "ANNUAL_STATEMENT",
                                   "AUDIT_OPINION",    "COMPLAINTS"};
    lines.push_back(IsoDate(ToDate(d.date)) + " " + kNames[static_cast<int>(d.kind)]);
  }
  return lines;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(deadlines)

BOOST_AUTO_TEST_CASE(the_winter_of_2026) {
  const std::vector<std::string> expected = {"2027-01-01 ACCESSION_WINDOW", "2027-01-30 QUARTERLY"};
  BOOST_TEST(Lines("2026-12-01", "2027-02-28") == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(applications_close_ninety_days_before_a_window) {
  const std::vector<std::string> expected = {"2026-04-02 ACCESSION_APPLICATION"};
  BOOST_TEST(Lines("2026-03-01", "2026-04-29") == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(yearly_statements_about_the_year_before) {
  const std::vector<std::string> expected = {"2027-03-01 ANNUAL_STATEMENT",
                                             "2027-04-01 AUDIT_OPINION", "2027-04-01 COMPLAINTS",
                                             "2027-04-02 ACCESSION_APPLICATION"};
  BOOST_TEST(Lines("2027-02-15", "2027-04-15") == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_end_of_the_term_with_its_notice_deadline) {
  const auto lines = Lines("2029-06-01", "2029-12-31");
  BOOST_TEST(lines.front() == "2029-06-30 NOTICE");  // six months before 31 December
  BOOST_TEST(lines.back() == "2029-12-31 TERM_END");
  const auto terms = testing::DuinstreekCovenant().covenant().terms();
  const auto items = Deadlines(terms, 0, Day("2029-12-31"), Day("2029-12-31"));
  BOOST_TEST(items.at(0).description.find("2 extension option(s) left") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_extension_moves_the_end) {
  const auto lines = Lines("2030-12-01", "2030-12-31", /*extensions_used=*/1);
  BOOST_TEST(lines.back() == "2030-12-31 TERM_END");
  BOOST_TEST(Lines("2029-12-31", "2029-12-31", 1).empty());
}

BOOST_AUTO_TEST_CASE(months_are_added_on_the_calendar) {
  BOOST_TEST(IsoDate(ToDate(AddMonths(Day("2026-01-31"), 1))) == "2026-02-28");
  BOOST_TEST(IsoDate(ToDate(AddMonths(Day("2029-12-31"), -6))) == "2029-06-30");
  BOOST_TEST(IsoDate(ToDate(AddMonths(Day("2028-02-29"), 12))) == "2029-02-28");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::covenants
