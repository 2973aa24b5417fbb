#include <boost/test/unit_test.hpp>

#include "consultation_rules.hpp"
#include "deadlines.hpp"
#include "lot_rules.hpp"
#include "terms_validation.hpp"

namespace regie::covenants {
namespace {

std::chrono::sys_days D(int year, int month, int day) { return ToDays(Day(year, month, day)); }

std::string ReasonOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.reason();
  }
  return "";
}

std::vector<std::string> FieldsOf(const std::function<void()>& action) {
  std::vector<std::string> fields;
  try {
    action();
  } catch (const Error& e) {
    for (const auto& violation : e.violations()) {
      fields.push_back(violation.field);
    }
  }
  return fields;
}

v1::Amendment Proposal() {
  v1::Amendment amendment;
  amendment.set_title("Notice");
  amendment.set_rationale("Agreed at the table.");
  *amendment.mutable_effective_date() = Day(2027, 1, 1);
  amendment.mutable_terms_change()->mutable_terms()->mutable_term()->set_notice_period_months(3);
  amendment.mutable_terms_change()->mutable_update_mask()->add_paths("term.notice_period_months");
  return amendment;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(consultation_rules)

BOOST_AUTO_TEST_CASE(an_amendment_takes_effect_from_today_within_the_term_only) {
  const auto today = D(2026, 11, 23);
  const auto newest = D(2026, 1, 1);
  const auto end = D(2029, 12, 31);
  BOOST_TEST(ReasonOf([&] { CheckEffectiveDate(today, today, newest, end); }).empty());
  BOOST_TEST(ReasonOf([&] { CheckEffectiveDate(end, today, newest, end); }).empty());
  BOOST_TEST(ReasonOf([&] { CheckEffectiveDate(D(2026, 11, 22), today, newest, end); }) ==
             "EFFECTIVE_DATE");
  BOOST_TEST(ReasonOf([&] { CheckEffectiveDate(D(2027, 1, 1), today, D(2027, 2, 1), end); }) ==
             "EFFECTIVE_DATE");
  BOOST_TEST(ReasonOf([&] { CheckEffectiveDate(D(2030, 1, 1), today, newest, end); }) ==
             "EFFECTIVE_DATE");
}

BOOST_AUTO_TEST_CASE(a_terms_change_replaces_only_the_masked_fields) {
  const auto base = testing::DuinstreekCovenant().covenant().terms();
  auto amendment = Proposal();
  amendment.mutable_terms_change()->mutable_terms()->set_title("ignored: not in the mask");
  const auto amended = ApplyAmendment(base, amendment);
  BOOST_TEST(amended.term().notice_period_months() == 3);
  BOOST_TEST(amended.title() == base.title());
  BOOST_TEST(amended.lots_size() == base.lots_size());

  // Requirements replaced whole: a changed criterion gets the next revision.
  auto requirements = Proposal();
  auto* change = requirements.mutable_terms_change();
  change->mutable_update_mask()->set_paths(0, "requirements");
  *change->mutable_terms()->mutable_requirements() = base.requirements();
  change->mutable_terms()->mutable_requirements(1)->set_criterion("At least EUR 5,000,000.");
  auto first = base;
  SetServerFields(nullptr, first);
  const auto revised = ApplyAmendment(first, requirements);
  BOOST_TEST(revised.requirements(0).revision() == 1);
  BOOST_TEST(revised.requirements(1).revision() == 2);
}

BOOST_AUTO_TEST_CASE(every_proposal_rule_names_its_field) {
  using A = v1::Amendment;
  const std::vector<std::pair<std::function<void(A&)>, std::string>> rows = {
      {[](A& a) { a.clear_title(); }, "amendment.title"},
      {[](A& a) { a.set_rationale(std::string(4001, 'r')); }, "amendment.rationale"},
      {[](A& a) {
         a.mutable_effective_date()->set_month(2);
         a.mutable_effective_date()->set_day(30);
       },
       "amendment.effective_date"},
      {[](A& a) { a.clear_terms_change(); }, "amendment.change"},
      {[](A& a) { a.mutable_tariff_indexation()->set_basis_points(2001); },
       "amendment.tariff_indexation.basis_points"},
      {[](A& a) { a.mutable_agreement_change(); }, "amendment.agreement_change.agreements"},
      {[](A& a) { a.mutable_agreement_change()->add_agreements("covenants/c1/lots/P1"); },
       "amendment.agreement_change.agreements[0]"},
      {[](A& a) {
         a.mutable_agreement_change()->add_agreements("covenants/other/lots/P1/agreements/a");
       },
       "amendment.agreement_change.agreements[0]"},
      {[](A& a) {
         a.mutable_agreement_change()->add_agreements("covenants/c1/lots/P1/agreements/a");
         a.mutable_agreement_change()->add_agreements("covenants/c1/lots/P1/agreements/a");
       },
       "amendment.agreement_change.agreements[1]"},
  };
  for (const auto& [change, field] : rows) {
    BOOST_TEST_CONTEXT(field) {
      auto amendment = Proposal();
      change(amendment);
      Validation v;
      ValidateProposal("c1", amendment, v);
      BOOST_TEST(FieldsOf([&] { v.ThrowIfAny(); }) == std::vector<std::string>{field},
                 boost::test_tools::per_element());
    }
  }
  const auto base = testing::DuinstreekCovenant().covenant().terms();
  auto empty_mask = Proposal();
  empty_mask.mutable_terms_change()->clear_update_mask();
  BOOST_TEST(FieldsOf([&] { ApplyAmendment(base, empty_mask); }) ==
                 std::vector<std::string>{"amendment.terms_change.update_mask"},
             boost::test_tools::per_element());
  auto invalid_result = Proposal();
  invalid_result.mutable_terms_change()->mutable_terms()->mutable_term()->set_notice_period_months(
      61);
  BOOST_TEST(FieldsOf([&] { ApplyAmendment(base, invalid_result); }) ==
                 std::vector<std::string>{"amendment.terms_change.terms.term.notice_period_months"},
             boost::test_tools::per_element());
  auto indexation = Proposal();
  indexation.mutable_tariff_indexation()->set_basis_points(325);
  *indexation.mutable_effective_date() = Day(2025, 6, 1);  // before any tariff
  BOOST_TEST(FieldsOf([&] { ApplyAmendment(base, indexation); }) ==
                 std::vector<std::string>{"amendment.tariff_indexation"},
             boost::test_tools::per_element());
  auto agreements = Proposal();
  agreements.mutable_agreement_change()->add_agreements("covenants/c1/lots/P1/agreements/a");
  agreements.mutable_agreement_change()->add_agreements("covenants/c1/lots/P9/agreements/a");
  BOOST_TEST(FieldsOf([&] { ApplyAmendment(base, agreements); }) ==
                 std::vector<std::string>{"amendment.agreement_change.agreements[1]"},
             boost::test_tools::per_element());
  agreements.mutable_agreement_change()->mutable_agreements()->RemoveLast();
  BOOST_TEST(ApplyAmendment(base, agreements).DebugString() == base.DebugString());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::covenants
