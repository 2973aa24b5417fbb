#include <boost/test/unit_test.hpp>

#include <functional>
#include <map>

#include "covenant_rules.hpp"
#include "fixtures.hpp"
#include "question_rules.hpp"
#include "terms_validation.hpp"

namespace regie::covenants {
namespace {

using S = CovenantState;
using T = Transition;

auth::Principal Who(auth::Role role, const std::string& organisation,
                    std::vector<std::string> scope = {}) {
  auth::Principal p;
  p.role = role;
  p.organisation = organisation;
  p.scope = std::move(scope);
  return p;
}

const Participants kDuinstreek{{"9901", "9902", "9903"}, "duinstreek"};

}  // namespace

BOOST_AUTO_TEST_SUITE(covenant_rules)

// Every (state, transition) pair: the allowed ones lead where the lifecycle says, every other one
// is refused with FAILED_PRECONDITION naming the current state.
BOOST_AUTO_TEST_CASE(the_state_machine_over_every_state_and_transition) {
  const std::map<std::pair<S, T>, S> allowed = {
      {{S::kDraft, T::kPublish}, S::kPublished},
      {{S::kPublished, T::kActivate}, S::kActive},
      {{S::kActive, T::kExtend}, S::kExtended},
      {{S::kExtended, T::kExtend}, S::kExtended},
      {{S::kActive, T::kEnd}, S::kEnded},
      {{S::kExtended, T::kEnd}, S::kEnded},
      {{S::kPublished, T::kTerminate}, S::kTerminated},
      {{S::kActive, T::kTerminate}, S::kTerminated},
      {{S::kExtended, T::kTerminate}, S::kTerminated},
  };
  int refused = 0;
  for (const auto state : kAllStates) {
    for (const auto transition : kAllTransitions) {
      BOOST_TEST_CONTEXT(StateName(state) << " + " << TransitionName(transition)) {
        const auto it = allowed.find({state, transition});
        if (it != allowed.end()) {
          BOOST_TEST((ApplyTransition(state, transition) == it->second));
          continue;
        }
        ++refused;
        BOOST_CHECK_EXCEPTION(ApplyTransition(state, transition), Error, [&](const Error& e) {
          return e.code() == ErrorCode::kFailedPrecondition && e.reason() == "COVENANT_STATE" &&
                 std::string(e.what()).find("in state " + std::string(StateName(state))) !=
                     std::string::npos;
        });
      }
    }
  }
  BOOST_TEST(refused == 6 * 5 - 9);
}

BOOST_AUTO_TEST_CASE(only_drafts_are_editable) {
  BOOST_CHECK_NO_THROW(RequireDraft(S::kDraft));
  for (const auto state : {S::kPublished, S::kActive, S::kExtended, S::kEnded, S::kTerminated}) {
    BOOST_CHECK_EXCEPTION(RequireDraft(state), Error, [&](const Error& e) {
      return std::string(e.what()).find("is " + std::string(StateName(state))) != std::string::npos;
    });
  }
}

BOOST_AUTO_TEST_CASE(states_round_trip_through_their_names_and_the_api) {
  for (const auto state : kAllStates) {
    BOOST_TEST((ParseState(StateName(state)) == state));
    BOOST_TEST((FromProto(ToProto(state)) == state));
  }
  BOOST_TEST(!ParseState("archived").has_value());
  BOOST_TEST(!FromProto(v1::Covenant::STATE_UNSPECIFIED).has_value());
}

BOOST_AUTO_TEST_CASE(who_manages_and_who_sees) {
  const auto inkoop = Who(auth::Role::kProcurement, "9902");
  const auto region = Who(auth::Role::kProcurement, "region:duinstreek");
  const auto outsider = Who(auth::Role::kProcurement, "0363");
  const auto provider = Who(auth::Role::kProvider, "12345678");
  const auto auditor_in = Who(auth::Role::kAuditor, "9903", {"9903"});
  const auto auditor_out = Who(auth::Role::kAuditor, "0363", {"0363"});
  const auto admin = Who(auth::Role::kAdmin, "regie");

  BOOST_TEST(CanManage(inkoop, kDuinstreek));
  BOOST_TEST(CanManage(region, kDuinstreek));
  for (const auto* p : {&outsider, &provider, &auditor_in, &admin}) {
    BOOST_TEST(!CanManage(*p, kDuinstreek));
  }
  BOOST_TEST(!CanManage(region, Participants{{"9901"}, ""}));

  for (const auto* p : {&inkoop, &region, &auditor_in}) {
    BOOST_TEST(CanSee(*p, S::kDraft, kDuinstreek));
  }
  for (const auto* p : {&outsider, &provider, &auditor_out, &admin}) {
    BOOST_TEST(!CanSee(*p, S::kDraft, kDuinstreek));
    BOOST_TEST(CanSee(*p, S::kPublished, kDuinstreek));
  }

  BOOST_TEST(DraftVisibility(inkoop).municipalities == std::vector<std::string>{"9902"});
  BOOST_TEST(DraftVisibility(region).region_id == "duinstreek");
  BOOST_TEST(DraftVisibility(auditor_in).municipalities == std::vector<std::string>{"9903"});
  BOOST_TEST(DraftVisibility(provider).municipalities.empty());
  BOOST_TEST(DraftVisibility(provider).region_id.empty());
}

BOOST_AUTO_TEST_CASE(the_fixture_is_valid) {
  BOOST_TEST(FieldsAfter([](auto&) {}).empty());
}

// Every validation rule, each with one bad value, naming its field.
BOOST_AUTO_TEST_CASE(every_rule_names_its_field) {
  using Terms = v1::CovenantTerms;
  const std::vector<std::pair<std::function<void(Terms&)>, std::string>> rows = {
      {[](Terms& t) { t.clear_title(); }, "covenant.terms.title"},
      {[](Terms& t) { t.set_title(std::string(201, 'x')); }, "covenant.terms.title"},
      // (without lots, whose laws must be among the covenant's)
      {[](Terms& t) {
         t.clear_legal_bases();
         t.clear_lots();
         t.clear_requirements();
       },
       "covenant.terms.legal_bases"},
      {[](Terms& t) { t.add_legal_bases(v1::LEGAL_BASIS_JEUGDWET); },
       "covenant.terms.legal_bases[2]"},
      {[](Terms& t) {
         t.set_legal_bases(0, v1::LEGAL_BASIS_UNSPECIFIED);
         t.clear_lots();
         t.clear_requirements();
       },
       "covenant.terms.legal_bases[0]"},
      {[](Terms& t) { t.clear_procurement_model(); }, "covenant.terms.procurement_model"},
      // (without lots, whose budgets must be of participants)
      {[](Terms& t) {
         t.clear_municipalities();
         t.clear_lots();
         t.clear_requirements();
       },
       "covenant.terms.municipalities"},
      {[](Terms& t) { t.set_municipalities(1, "municipalities/99"); },
       "covenant.terms.municipalities[1]"},
      {[](Terms& t) { t.add_municipalities("municipalities/9901"); },
       "covenant.terms.municipalities[3]"},
      {[](Terms& t) { t.set_region("duinstreek"); }, "covenant.terms.region"},
      {[](Terms& t) { t.mutable_term()->mutable_start_date()->set_month(13); },
       "covenant.terms.term.start_date"},
      {[](Terms& t) { *t.mutable_term()->mutable_end_date() = Day(2025, 12, 31); },
       "covenant.terms.term.end_date"},
      {[](Terms& t) { *t.mutable_term()->mutable_end_date() = Day(2029, 2, 29); },
       "covenant.terms.term.end_date"},
      {[](Terms& t) { t.mutable_term()->set_extension_options(11); },
       "covenant.terms.term.extension_options"},
      {[](Terms& t) { t.mutable_term()->set_extension_months(0); },
       "covenant.terms.term.extension_months"},
      {[](Terms& t) {
         t.mutable_term()->set_extension_options(0);
         t.mutable_term()->set_extension_months(12);
       },
       "covenant.terms.term.extension_months"},
      {[](Terms& t) { t.mutable_term()->set_notice_period_months(-1); },
       "covenant.terms.term.notice_period_months"},
      {[](Terms& t) { t.mutable_accession_policy()->clear_mode(); },
       "covenant.terms.accession_policy.mode"},
      {[](Terms& t) { t.mutable_accession_policy()->clear_window_dates(); },
       "covenant.terms.accession_policy.window_dates"},
      {[](Terms& t) { t.mutable_accession_policy()->mutable_window_dates(1)->set_year(2026); },
       "covenant.terms.accession_policy.window_dates[1]"},
      {[](Terms& t) { t.mutable_accession_policy()->mutable_window_dates(1)->set_month(1); },
       "covenant.terms.accession_policy.window_dates[1]"},
      {[](Terms& t) { t.mutable_accession_policy()->set_application_deadline_days(400); },
       "covenant.terms.accession_policy.application_deadline_days"},
      {[](Terms& t) {
         t.mutable_accession_policy()->set_mode(v1::AccessionPolicy::CLOSED);
         t.mutable_accession_policy()->clear_window_dates();
       },
       "covenant.terms.accession_policy.application_deadline_days"},
      {[](Terms& t) { t.clear_change_procedure(); }, "covenant.terms.change_procedure"},
      {[](Terms& t) { t.set_dispute_route("a\nb"); }, "covenant.terms.dispute_route"},
      {[](Terms& t) { t.mutable_reporting_calendar()->set_quarterly_report_due_days(0); },
       "covenant.terms.reporting_calendar.quarterly_report_due_days"},
      {[](Terms& t) {
         t.mutable_reporting_calendar()->mutable_annual_statement_due()->set_day(32);
       },
       "covenant.terms.reporting_calendar.annual_statement_due"},
      {[](Terms& t) { t.mutable_reporting_calendar()->clear_audit_opinion_due(); },
       "covenant.terms.reporting_calendar.audit_opinion_due"},
      {[](Terms& t) { t.mutable_reporting_calendar()->clear_complaints_report_due(); },
       "covenant.terms.reporting_calendar.complaints_report_due"},
  };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    BOOST_TEST_CONTEXT("row " << i << ": " << rows[i].second) {
      const auto fields = FieldsAfter(rows[i].first);
      BOOST_TEST(fields == std::vector<std::string>{rows[i].second},
                 boost::test_tools::per_element());
    }
  }
}

BOOST_AUTO_TEST_CASE(a_diff_names_each_changed_field_with_before_and_after) {
  const auto v1 = R"({"title": "A", "term": {"start_date": {"year": 2026, "month": 1, "day": 1},
                      "end_date": {"year": 2029, "month": 12, "day": 31}},
                      "municipalities": ["municipalities/9901"], "region": "regions/x"})";
  const auto v2 = R"({"title": "B", "term": {"start_date": {"year": 2026, "month": 1, "day": 1},
                      "end_date": {"year": 2030, "month": 12, "day": 31}},
                      "municipalities": ["municipalities/9901", "municipalities/9902"],
                      "dispute_route": "court"})";
  const auto changes = DiffTerms(v1, v2);
  std::vector<std::string> fields;
  for (const auto& c : changes) {
    fields.push_back(c.field);
  }
  const std::vector<std::string> expected = {"terms.dispute_route", "terms.municipalities",
                                             "terms.region", "terms.term.end_date.year",
                                             "terms.title"};
  BOOST_TEST(fields == expected, boost::test_tools::per_element());
  BOOST_TEST(changes[0].before.empty());  // unset before
  BOOST_TEST(changes[0].after == R"("court")");
  BOOST_TEST(changes[2].after.empty());  // unset after
  BOOST_TEST(changes[3].before == "2029");
  BOOST_TEST(changes[3].after == "2030");
  BOOST_TEST(DiffTerms(v1, v1).empty());
}

BOOST_AUTO_TEST_CASE(lots_requirements_and_products_are_compared_by_id) {
  const auto terms = testing::DuinstreekCovenant().covenant().terms();
  auto changed = terms;
  changed.mutable_lots(0)->mutable_products(1)->mutable_tariffs(0)->set_amount_cents(5200);
  changed.mutable_lots(1)->set_title("Day treatment (dagbehandeling)");
  changed.mutable_lots()->SwapElements(2, 3);  // order alone is no change
  changed.mutable_requirements()->DeleteSubrange(4, 1);
  changed.mutable_lots(5)->add_products()->set_code("40T01");
  const auto changes = DiffTerms(TermsToJson(terms), TermsToJson(changed));
  std::vector<std::string> fields;
  for (const auto& c : changes) {
    fields.push_back(c.field);
  }
  const std::vector<std::string> expected = {
      "terms.lots[P1].products[45A49].tariffs", "terms.lots[P2].title",
      "terms.lots[P6].products[40T01]", "terms.requirements[R5]"};
  BOOST_TEST(fields == expected, boost::test_tools::per_element());
  BOOST_TEST(changes[0].after.find("5200") != std::string::npos);
  BOOST_TEST(changes[2].before.empty());  // a new product appears whole
  BOOST_TEST(changes[2].after.find(R"("code":"40T01")") != std::string::npos);
  BOOST_TEST(changes[3].after.empty());  // R5 is gone
  BOOST_TEST(changes[3].before.find("EED") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(stored_terms_are_parsed_once_per_text_and_shared) {
  const auto terms = testing::DuinstreekCovenant().covenant().terms();
  auto changed = terms;
  changed.mutable_lots(0)->set_title("Changed");
  const auto json = TermsToJson(terms);
  const auto first = SharedTermsFromJson(json);
  BOOST_TEST(first == SharedTermsFromJson(std::string(json)));  // the same object
  BOOST_TEST(first->SerializeAsString() == terms.SerializeAsString());
  BOOST_TEST(TermsFromJson(json).SerializeAsString() == terms.SerializeAsString());
  const auto other = SharedTermsFromJson(TermsToJson(changed));
  BOOST_TEST(other != first);
  BOOST_TEST(other->lots(0).title() == "Changed");
  BOOST_CHECK_THROW(SharedTermsFromJson("{\"lots\": 5}"), std::runtime_error);
  BOOST_CHECK_THROW(SharedTermsFromJson("{\"lots\": 5}"), std::runtime_error);  // not kept
}

BOOST_AUTO_TEST_CASE(who_sees_every_question_and_question_names) {
  BOOST_TEST(SeesAllQuestions(Who(auth::Role::kProcurement, "9901"), kDuinstreek));
  BOOST_TEST(SeesAllQuestions(Who(auth::Role::kAuditor, "9902", {"9902"}), kDuinstreek));
  BOOST_TEST(!SeesAllQuestions(Who(auth::Role::kProvider, "12345678"), kDuinstreek));
  BOOST_TEST(!SeesAllQuestions(Who(auth::Role::kProcurement, "0363"), kDuinstreek));
  BOOST_TEST(!OpenForQuestions(S::kDraft));
  BOOST_TEST(OpenForQuestions(S::kActive));
  BOOST_TEST(!OpenForQuestions(S::kEnded));
  Validation v;
  const auto [covenant, number] = ParseQuestionName("covenants/jeugd/questions/12", v, "name");
  BOOST_TEST(covenant == "jeugd");
  BOOST_TEST(number == 12);
  BOOST_TEST(v.empty());
  for (const std::string bad :
       {"covenants/jeugd/questions/x", "covenants/Jeugd/questions/1", "covenants/jeugd",
        "covenants/jeugd/questions/1234567890123456789", ""}) {
    Validation refused;
    ParseQuestionName(bad, refused, "name");
    BOOST_TEST(!refused.empty(), "accepted '" << bad << "'");
  }
  BOOST_TEST(QuestionName("jeugd", 3) == "covenants/jeugd/questions/3");
}

BOOST_AUTO_TEST_CASE(dates_and_names) {
  BOOST_TEST(IsValidDate(Day(2028, 2, 29)));
  BOOST_TEST(!IsValidDate(Day(2029, 2, 29)));
  BOOST_TEST(IsValidDate(Day(0, 2, 29), /*yearly=*/true));
  BOOST_TEST(!IsValidDate(Day(0, 4, 31), /*yearly=*/true));
  BOOST_TEST(IsoDate(Day(2026, 1, 1)) == "2026-01-01");
  BOOST_TEST(ParseIsoDate("2026-07-01").value().month() == 7);
  BOOST_TEST(!ParseIsoDate("2026-02-30").has_value());
  BOOST_TEST(!ParseIsoDate("2026-7-1").has_value());
  BOOST_TEST(IsCovenantId("jeugd-wmo-duinstreek-2026"));
  BOOST_TEST(!IsCovenantId("2026-jeugd"));
  BOOST_TEST(!IsCovenantId("Jeugd"));
  Validation v;
  BOOST_TEST(ParseCovenantName("covenants/jeugd", v, "name") == "jeugd");
  ParseCovenantName("covenant/jeugd", v, "name");
  BOOST_TEST(!v.empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::covenants
