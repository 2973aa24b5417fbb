#include <boost/test/unit_test.hpp>

#include "admission_rules.hpp"
#include "deadlines.hpp"
#include "lot_rules.hpp"
#include "provider_rules.hpp"
#include "terms_validation.hpp"

namespace regie::providers {
namespace {

using covenants::CovenantState;
using covenants::Day;
using covenants::ToDays;
using std::chrono::days;
using std::chrono::sys_days;

cv1::CovenantTerms Terms() { return testing::DuinstreekCovenant().covenant().terms(); }

sys_days D(int year, int month, int day) { return ToDays(Day(year, month, day)); }

std::string IsoDateOf(sys_days day) { return covenants::IsoDate(covenants::ToDate(day)); }

bool Reason(const Error& e, const std::string& reason) { return e.reason() == reason; }

// An application for P1 and P4 with every applicable requirement assessed by "assessor": R5
// (P4 only) as `r5`, the rest PASS.
v1::Application Assessed(v1::Assessment::Result r5) {
  v1::Application a;
  a.set_name("covenants/c/applications/1");
  a.set_provider("providers/12345678");
  a.set_state(v1::Application::UNDER_REVIEW);
  *a.mutable_window_date() = Day(2026, 7, 1);
  for (const char* lot : {"P1", "P4"}) {
    a.add_lot_ids(lot);
    a.add_lots()->set_lot_id(lot);
  }
  for (const char* id : {"R1", "R2", "R3", "R4", "R5"}) {
    auto* s = a.add_assessments();
    s->set_requirement_id(id);
    s->set_requirement_revision(1);
    s->set_result(std::string(id) == "R5" ? r5 : v1::Assessment::PASS);
    s->set_motivation(std::string(id) == "R5" ? "R5: nobody is registered for EED." : "");
    s->set_assessor("CN=Assessor");
  }
  return a;
}

v1::Participation Active(sys_days from) {
  v1::Participation p;
  p.set_name("covenants/c/participations/12345678-P1");
  p.set_lot_id("P1");
  p.set_state(v1::Participation::ACTIVE);
  *p.mutable_in_force_from() = covenants::ToDate(from);
  return p;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(admission_rules)

BOOST_AUTO_TEST_CASE(identifiers_of_providers) {
  BOOST_TEST(IsKvkNumber("12345678"));
  BOOST_TEST(!IsKvkNumber("1234567"));
  BOOST_TEST(!IsKvkNumber("1234567a"));
  BOOST_TEST(IsAgbCode("41410001"));
  BOOST_TEST(!IsAgbCode("4141000"));
  BOOST_TEST(IsPostalCode("2201 AB"));
  BOOST_TEST(IsPostalCode("2201AB"));
  BOOST_TEST(!IsPostalCode("0201 AB"));
  BOOST_TEST(!IsPostalCode("2201 SS"));
  BOOST_TEST(!IsPostalCode("2201 ab"));
  BOOST_TEST(IsEmailAddress("a@b.nl"));
  BOOST_TEST(!IsEmailAddress("a@b"));
  BOOST_TEST(!IsEmailAddress("a b@c.nl"));
}

BOOST_AUTO_TEST_CASE(the_window_an_application_is_for) {
  const auto terms = Terms();  // windows 1 Jan and 1 Jul, deadline 90 days, term 2026-2029
  // The first still open: 1 Jul 2026 closes on 2 Apr 2026.
  BOOST_TEST(IsoDateOf(AccessionWindow(terms, CovenantState::kActive, 0, D(2026, 4, 2), {})) ==
             "2026-07-01");
  BOOST_TEST(IsoDateOf(AccessionWindow(terms, CovenantState::kActive, 0, D(2026, 4, 3), {})) ==
             "2027-01-01");
  // The term's start is the first admission round.
  BOOST_TEST(IsoDateOf(AccessionWindow(terms, CovenantState::kPublished, 0, D(2025, 9, 1), {})) ==
             "2026-01-01");
  // A passed deadline names the next window and its deadline.
  BOOST_CHECK_EXCEPTION(
      AccessionWindow(terms, CovenantState::kActive, 0, D(2026, 4, 3), D(2026, 7, 1)), Error,
      [](const Error& e) {
        return Reason(e, "ACCESSION_CLOSED") &&
               std::string(e.what()).find(
                   "the next window is 2027-01-01, open for applications "
                   "until 2026-10-03") != std::string::npos;
      });
  // No window after the last deadline of the term.
  BOOST_CHECK_EXCEPTION(AccessionWindow(terms, CovenantState::kActive, 0, D(2029, 4, 3), {}), Error,
                        [](const Error& e) {
                          return std::string(e.what()).find("no later window") != std::string::npos;
                        });
  BOOST_CHECK_EXCEPTION(
      AccessionWindow(terms, CovenantState::kActive, 0, D(2026, 1, 2), D(2026, 8, 1)), Error,
      [](const Error& e) { return e.code() == ErrorCode::kInvalidArgument; });
  BOOST_CHECK_EXCEPTION(AccessionWindow(terms, CovenantState::kDraft, 0, D(2026, 1, 2), {}), Error,
                        [](const Error& e) { return Reason(e, "ACCESSION_CLOSED"); });
  auto closed = terms;
  closed.mutable_accession_policy()->set_mode(cv1::AccessionPolicy::CLOSED);
  BOOST_CHECK_EXCEPTION(AccessionWindow(closed, CovenantState::kActive, 0, D(2026, 1, 2), {}),
                        Error, [](const Error& e) { return Reason(e, "ACCESSION_CLOSED"); });
  auto open = terms;
  open.mutable_accession_policy()->set_mode(cv1::AccessionPolicy::ALWAYS_OPEN);
  BOOST_TEST(IsoDateOf(AccessionWindow(open, CovenantState::kActive, 0, D(2026, 5, 5), {})) ==
             "2026-05-05");
}

BOOST_AUTO_TEST_CASE(an_earlier_admission_is_from_a_day_that_has_come) {
  const auto terms = Terms();  // windows 1 Jan and 1 Jul, term 2026-2029
  const auto today = D(2026, 11, 23);
  const auto day = [&](sys_days requested) {
    return IsoDateOf(EarlierAdmissionDay(terms, CovenantState::kActive, 0, today, requested));
  };
  BOOST_TEST(day(D(2026, 1, 1)) == "2026-01-01");  // the term's start
  BOOST_TEST(day(D(2026, 7, 1)) == "2026-07-01");  // a window that has come
  const auto refused_on_the_day = [](const Error& e) {
    return e.code() == ErrorCode::kInvalidArgument && e.violations().size() == 1 &&
           e.violations()[0].field == "in_force_from";
  };
  BOOST_CHECK_EXCEPTION(day(D(2027, 1, 1)), Error, refused_on_the_day);   // to come: apply
  BOOST_CHECK_EXCEPTION(day(D(2026, 3, 15)), Error, refused_on_the_day);  // no window
  BOOST_CHECK_EXCEPTION(day(D(2025, 7, 1)), Error, refused_on_the_day);   // before the term
  BOOST_CHECK_EXCEPTION(EarlierAdmissionDay(terms, CovenantState::kDraft, 0, today, D(2026, 1, 1)),
                        Error, [](const Error& e) { return Reason(e, "ACCESSION_CLOSED"); });
  auto open = terms;
  open.mutable_accession_policy()->set_mode(cv1::AccessionPolicy::ALWAYS_OPEN);
  BOOST_TEST(IsoDateOf(EarlierAdmissionDay(open, CovenantState::kActive, 0, today,
                                           D(2026, 3, 15))) == "2026-03-15");
}

BOOST_AUTO_TEST_CASE(a_fail_cites_the_requirement) {
  const auto terms = Terms();
  const auto* r5 = covenants::FindRequirement(terms, "R5");
  v1::Assessment a;
  a.set_requirement_id("R5");
  a.set_result(v1::Assessment::FAIL);
  const auto fields = [&] {
    Validation v;
    ValidateAssessment(a, r5, "12345678", v);
    try {
      v.ThrowIfAny();
    } catch (const Error& e) {
      return e.violations().at(0).field;
    }
    return std::string();
  };
  BOOST_TEST(fields() == "assessment.motivation");
  a.set_motivation("The provider employs nobody qualified for this.");
  BOOST_TEST(fields() == "assessment.motivation");
  a.set_motivation("R5: the provider employs nobody registered for EED.");
  BOOST_TEST(fields() == "");
  a.add_evidence()->set_evidence("providers/87654321/evidence/vog");
  BOOST_TEST(fields() == "assessment.evidence[0].evidence");
}

BOOST_AUTO_TEST_CASE(decisions_follow_the_assessments_with_four_eyes) {
  const auto terms = Terms();
  const auto passed = Assessed(v1::Assessment::PASS);
  const auto failed = Assessed(v1::Assessment::FAIL);
  const auto decide = [&](const v1::Application& a, const char* lot,
                          v1::LotDecision::Outcome outcome, const char* who) {
    return Decide(a, terms, lot, outcome, "", who, D(2026, 5, 1));
  };
  BOOST_CHECK_EXCEPTION(decide(passed, "P1", v1::LotDecision::ADMITTED, "CN=Assessor"), Error,
                        [](const Error& e) { return Reason(e, "FOUR_EYES"); });
  BOOST_CHECK_EXCEPTION(decide(passed, "P4", v1::LotDecision::REJECTED, "CN=Decider"), Error,
                        [](const Error& e) { return Reason(e, "REQUIREMENTS_MET"); });
  BOOST_CHECK_EXCEPTION(decide(failed, "P4", v1::LotDecision::ADMITTED, "CN=Decider"), Error,
                        [](const Error& e) { return Reason(e, "REQUIREMENT_FAILED"); });
  auto missing = passed;
  missing.mutable_assessments()->RemoveLast();  // R5
  BOOST_CHECK_EXCEPTION(decide(missing, "P4", v1::LotDecision::ADMITTED, "CN=Decider"), Error,
                        [](const Error& e) { return Reason(e, "NOT_ASSESSED"); });
  // P1 does not need R5.
  const auto p1 = decide(missing, "P1", v1::LotDecision::ADMITTED, "CN=Decider");
  BOOST_TEST(p1.lots(0).outcome() == v1::LotDecision::ADMITTED);
  BOOST_TEST(IsoDateOf(ToDays(p1.lots(0).in_force_from())) == "2026-07-01");
  BOOST_TEST(p1.state() == v1::Application::UNDER_REVIEW);  // P4 still open
  const auto both = decide(decide(failed, "P1", v1::LotDecision::ADMITTED, "CN=Decider"), "P4",
                           v1::LotDecision::REJECTED, "CN=Decider");
  BOOST_TEST(both.state() == v1::Application::DECIDED);
  BOOST_TEST(both.lots(1).letter().find("R5: nobody is registered for EED.") != std::string::npos);
  BOOST_CHECK_EXCEPTION(decide(both, "P4", v1::LotDecision::REJECTED, "CN=Decider"), Error,
                        [](const Error& e) { return Reason(e, "APPLICATION_STATE"); });
  // Decided after the window: in force from the decision day.
  const auto late =
      Decide(passed, terms, "P1", v1::LotDecision::ADMITTED, "", "CN=Decider", D(2026, 8, 3));
  BOOST_TEST(IsoDateOf(ToDays(late.lots(0).in_force_from())) == "2026-08-03");
}

BOOST_AUTO_TEST_CASE(the_monitor_suspends_reinstates_and_ends) {
  const auto terms = Terms();
  v1::Evidence insurance;
  insurance.set_kind(cv1::EVIDENCE_KIND_LIABILITY_INSURANCE);
  *insurance.mutable_issue_date() = Day(2026, 1, 1);
  *insurance.mutable_expiry_date() = Day(2027, 1, 1);
  v1::Evidence vog;
  vog.set_kind(cv1::EVIDENCE_KIND_CERTIFICATE_OF_CONDUCT);
  *vog.mutable_issue_date() = Day(2026, 1, 1);
  const std::vector<v1::Evidence> evidence{insurance, vog};
  BOOST_TEST(EvidenceGaps(terms, "P1", ValidKinds(evidence, D(2026, 12, 31))).empty());
  const auto gaps = EvidenceGaps(terms, "P1", ValidKinds(evidence, D(2027, 1, 1)));
  BOOST_REQUIRE_EQUAL(gaps.size(), 1u);
  BOOST_TEST(gaps[0]->requirement_id() == "R2");

  const auto p = Active(D(2026, 7, 1));
  BOOST_TEST(!MonitorStep(p, true, {}, D(2027, 1, 1)));
  BOOST_TEST(!MonitorStep(p, true, gaps, D(2026, 6, 30)));  // not in force yet
  const auto suspended = MonitorStep(p, true, gaps, D(2027, 1, 1));
  BOOST_REQUIRE(suspended);
  BOOST_TEST(suspended->state() == v1::Participation::SUSPENDED);
  BOOST_TEST(suspended->suspension().automatic());
  BOOST_TEST(!MonitorStep(*suspended, true, gaps, D(2027, 1, 2)));
  BOOST_TEST(MonitorStep(*suspended, true, {}, D(2027, 1, 2))->state() ==
             v1::Participation::ACTIVE);
  // A manual suspension ends on its until-date, not when evidence arrives.
  auto manual = Suspend(p, "Inspection report pending.", nullptr, D(2027, 1, 1));
  BOOST_TEST(!MonitorStep(manual, true, {}, D(2027, 3, 1)));
  BOOST_CHECK_EXCEPTION(Reinstate(*suspended, false), Error,
                        [](const Error& e) { return Reason(e, "EVIDENCE_MISSING"); });
  BOOST_TEST(Reinstate(manual, false).state() == v1::Participation::ACTIVE);
  BOOST_TEST(MonitorStep(p, false, {}, D(2030, 1, 1))->ending().kind() == v1::Ending::COVENANT_END);
}

BOOST_AUTO_TEST_CASE(notice_respects_the_notice_period) {
  const auto p = Active(D(2026, 1, 1));
  const auto today = D(2026, 3, 1);
  BOOST_CHECK_EXCEPTION(
      End(p, v1::Ending::NOTICE_BY_PROVIDER, Day(2026, 8, 31), "Stopping.", true, 6, today), Error,
      [](const Error& e) {
        return e.violations().at(0).field == "end_date" &&
               e.violations().at(0).description.find("2026-09-01") != std::string::npos;
      });
  const auto noticed =
      End(p, v1::Ending::NOTICE_BY_PROVIDER, Day(2026, 9, 1), "Stopping.", true, 6, today);
  BOOST_TEST(noticed.state() == v1::Participation::ACTIVE);
  BOOST_TEST(MonitorStep(noticed, true, {}, D(2026, 9, 1))->state() == v1::Participation::ENDED);
  // The provider gives notice; the municipality may also dissolve at once.
  BOOST_CHECK_EXCEPTION(End(p, v1::Ending::DISSOLUTION, Day(2026, 3, 1), "Fraud.", true, 6, today),
                        Error, [](const Error& e) { return e.violations().at(0).field == "kind"; });
  BOOST_TEST(End(p, v1::Ending::DISSOLUTION, Day(2026, 3, 1), "Fraud.", false, 6, today).state() ==
             v1::Participation::ENDED);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::providers
