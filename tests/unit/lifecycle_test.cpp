#include <boost/test/unit_test.hpp>

#include "deadlines.hpp"
#include "fixtures.hpp"
#include "lifecycle.hpp"

namespace regie::covenants {
namespace {

using S = CovenantState;

std::chrono::sys_days Day(const std::string& iso) { return ToDays(*ParseIsoDate(iso)); }

// The fixture: 2026-01-01 .. 2029-12-31, two extensions of 12 months.
const v1::CovenantTerms& Terms() {
  static const auto terms = testing::DuinstreekCovenant().covenant().terms();
  return terms;
}

std::string Due(S state, int extensions_used, const std::string& today) {
  const auto t = DueTransition(state, Terms(), extensions_used, Day(today));
  return t ? std::string(TransitionName(*t)) : "-";
}

bool Reason(const std::function<void()>& call, const std::string& reason) {
  try {
    call();
  } catch (const Error& e) {
    return e.reason() == reason;
  }
  return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lifecycle)

BOOST_AUTO_TEST_CASE(the_calendar_activates_on_the_start_date_and_ends_after_the_term) {
  BOOST_TEST(Due(S::kPublished, 0, "2025-12-31") == "-");
  BOOST_TEST(Due(S::kPublished, 0, "2026-01-01") == "activate");
  BOOST_TEST(Due(S::kPublished, 0, "2031-01-01") == "activate");  // one step at a time
  BOOST_TEST(Due(S::kActive, 0, "2029-12-31") == "-");            // the last day is in the term
  BOOST_TEST(Due(S::kActive, 0, "2030-01-01") == "end");
  BOOST_TEST(Due(S::kExtended, 1, "2030-01-01") == "-");  // one extension: ends 2030-12-31
  BOOST_TEST(Due(S::kExtended, 1, "2031-01-01") == "end");
  for (const auto state : {S::kDraft, S::kEnded, S::kTerminated}) {
    BOOST_TEST(Due(state, 0, "2040-01-01") == "-");
  }
  BOOST_TEST(IsoDate(ToDate(TermEnd(Terms(), 2))) == "2031-12-31");
}

BOOST_AUTO_TEST_CASE(extensions_only_within_the_options_and_the_term) {
  BOOST_CHECK_NO_THROW(CheckExtension(S::kActive, Terms(), 0, Day("2029-12-31")));
  BOOST_CHECK_NO_THROW(CheckExtension(S::kExtended, Terms(), 1, Day("2030-06-01")));
  BOOST_TEST(Reason([] { CheckExtension(S::kExtended, Terms(), 2, Day("2030-06-01")); },
                    "NO_EXTENSION_LEFT"));
  BOOST_TEST(
      Reason([] { CheckExtension(S::kActive, Terms(), 0, Day("2030-01-01")); }, "TERM_ENDED"));
  BOOST_TEST(Reason([] { CheckExtension(S::kPublished, Terms(), 0, Day("2026-01-01")); },
                    "COVENANT_STATE"));
}

BOOST_AUTO_TEST_CASE(termination_from_today_until_the_end_of_the_term) {
  BOOST_CHECK_NO_THROW(
      CheckTermination(S::kActive, Terms(), 0, Day("2027-03-01"), Day("2027-03-01")));
  BOOST_CHECK_NO_THROW(
      CheckTermination(S::kPublished, Terms(), 0, Day("2025-11-01"), Day("2029-12-31")));
  BOOST_CHECK_EXCEPTION(
      CheckTermination(S::kActive, Terms(), 0, Day("2027-03-01"), Day("2027-02-28")), Error,
      [](const Error& e) { return e.violations().at(0).field == "effective_date"; });
  BOOST_CHECK_EXCEPTION(
      CheckTermination(S::kActive, Terms(), 0, Day("2027-03-01"), Day("2030-01-01")), Error,
      [](const Error& e) { return e.violations().at(0).field == "effective_date"; });
  BOOST_TEST(
      Reason([] { CheckTermination(S::kEnded, Terms(), 0, Day("2030-03-01"), Day("2030-03-01")); },
             "COVENANT_STATE"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::covenants
