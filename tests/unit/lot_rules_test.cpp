#include <boost/test/unit_test.hpp>

#include "deadlines.hpp"
#include "lot_rules.hpp"
#include "terms_validation.hpp"

namespace regie::covenants {
namespace {

using Terms = v1::CovenantTerms;

v1::Product& FirstProduct(Terms& t) { return *t.mutable_lots(0)->mutable_products(0); }

v1::Tariff& FirstTariff(Terms& t) { return *FirstProduct(t).mutable_tariffs(0); }

// Lot P6 (task-based) holds the fixture's one budget.
v1::Budget& P6Budget(Terms& t) { return *t.mutable_lots(5)->mutable_budgets(0); }

std::vector<std::int64_t> Amounts(const v1::Product& product) {
  std::vector<std::int64_t> amounts;
  for (const auto& tariff : product.tariffs()) {
    amounts.push_back(tariff.amount_cents());
  }
  return amounts;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lot_rules)

BOOST_AUTO_TEST_CASE(national_product_categories) {
  BOOST_TEST(IsNationalCategory(v1::LEGAL_BASIS_WMO_2015, "01"));
  BOOST_TEST(IsNationalCategory(v1::LEGAL_BASIS_WMO_2015, "18"));
  BOOST_TEST(!IsNationalCategory(v1::LEGAL_BASIS_WMO_2015, "00"));
  BOOST_TEST(!IsNationalCategory(v1::LEGAL_BASIS_WMO_2015, "19"));
  BOOST_TEST(!IsNationalCategory(v1::LEGAL_BASIS_WMO_2015, "45"));
  BOOST_TEST(IsNationalCategory(v1::LEGAL_BASIS_JEUGDWET, "40"));
  BOOST_TEST(IsNationalCategory(v1::LEGAL_BASIS_JEUGDWET, "50"));
  BOOST_TEST(!IsNationalCategory(v1::LEGAL_BASIS_JEUGDWET, "39"));
  BOOST_TEST(!IsNationalCategory(v1::LEGAL_BASIS_JEUGDWET, "51"));
  BOOST_TEST(!IsNationalCategory(v1::LEGAL_BASIS_JEUGDWET, "4"));
  BOOST_TEST(!IsNationalCategory(v1::LEGAL_BASIS_JEUGDWET, "4a"));
  BOOST_TEST(IsNationalCategory(v1::LEGAL_BASIS_PARTICIPATIEWET, ""));
  BOOST_TEST(!IsNationalCategory(v1::LEGAL_BASIS_PARTICIPATIEWET, "01"));
}

// Every rule of lots, products, tariffs, budgets and requirements, each with one bad value in the
// Duinstreek fixture, naming exactly its field.
BOOST_AUTO_TEST_CASE(every_catalogue_rule_names_its_field) {
  const std::vector<std::pair<std::function<void(Terms&)>, std::string>> rows = {
      {[](Terms& t) { t.mutable_lots(4)->set_lot_id("5P"); }, "covenant.terms.lots[4].lot_id"},
      {[](Terms& t) { t.mutable_lots(4)->set_lot_id("P1"); }, "covenant.terms.lots[4].lot_id"},
      {[](Terms& t) { t.mutable_lots(0)->clear_title(); }, "covenant.terms.lots[0].title"},
      {[](Terms& t) { t.mutable_lots(0)->set_scope(std::string(4001, 's')); },
       "covenant.terms.lots[0].scope"},
      {[](Terms& t) { t.mutable_lots(4)->set_legal_basis(v1::LEGAL_BASIS_PARTICIPATIEWET); },
       "covenant.terms.lots[4].legal_basis"},
      {[](Terms& t) { t.mutable_lots(0)->clear_funding_model(); },
       "covenant.terms.lots[0].funding_model"},
      {[](Terms& t) { t.mutable_lots(0)->clear_products(); }, "covenant.terms.lots[0].products"},
      {[](Terms& t) { t.mutable_lots(4)->mutable_products(0)->set_category("19"); },
       "covenant.terms.lots[4].products[0].category"},
      {[](Terms& t) { FirstProduct(t).set_category("39"); },
       "covenant.terms.lots[0].products[0].category"},
      {[](Terms& t) { FirstProduct(t).set_category("02"); },
       "covenant.terms.lots[0].products[0].category"},
      {[](Terms& t) { FirstProduct(t).set_code("45a48"); },
       "covenant.terms.lots[0].products[0].code"},
      {[](Terms& t) { FirstProduct(t).set_code("45A4"); },
       "covenant.terms.lots[0].products[0].code"},
      {[](Terms& t) { FirstProduct(t).set_code("46A48"); },
       "covenant.terms.lots[0].products[0].code"},
      {[](Terms& t) { t.mutable_lots(0)->mutable_products(1)->set_code("45A48"); },
       "covenant.terms.lots[0].products[1].code"},
      {[](Terms& t) { FirstProduct(t).clear_description(); },
       "covenant.terms.lots[0].products[0].description"},
      {[](Terms& t) { FirstProduct(t).set_unit(v1::UNIT_MONTH); },
       "covenant.terms.lots[0].products[0].unit"},
      {[](Terms& t) { t.mutable_lots(4)->mutable_products(0)->set_unit(v1::UNIT_HOUR); },
       "covenant.terms.lots[4].products[0].unit"},
      {[](Terms& t) { FirstProduct(t).clear_tariffs(); },
       "covenant.terms.lots[0].products[0].tariffs"},
      {[](Terms& t) { FirstTariff(t).set_amount_cents(0); },
       "covenant.terms.lots[0].products[0].tariffs[0].amount_cents"},
      {[](Terms& t) { FirstTariff(t).set_amount_cents(-7800); },
       "covenant.terms.lots[0].products[0].tariffs[0].amount_cents"},
      {[](Terms& t) { FirstTariff(t).mutable_valid_from()->set_day(0); },
       "covenant.terms.lots[0].products[0].tariffs[0].valid_from"},
      {[](Terms& t) { *FirstTariff(t).mutable_valid_until() = Day(2025, 12, 31); },
       "covenant.terms.lots[0].products[0].tariffs[0].valid_until"},
      {[](Terms& t) {
         auto* later = FirstProduct(t).add_tariffs();
         later->set_amount_cents(8000);
         *later->mutable_valid_from() = Day(2027, 1, 1);
       },
       "covenant.terms.lots[0].products[0].tariffs[1]"},
      {[](Terms& t) { P6Budget(t).set_municipality("municipalities/9904"); },
       "covenant.terms.lots[5].budgets[0].municipality"},
      {[](Terms& t) { P6Budget(t).set_municipality("9901"); },
       "covenant.terms.lots[5].budgets[0].municipality"},
      {[](Terms& t) { P6Budget(t).set_year(2032); }, "covenant.terms.lots[5].budgets[0].year"},
      {[](Terms& t) { P6Budget(t).set_year(2025); }, "covenant.terms.lots[5].budgets[0].year"},
      {[](Terms& t) { P6Budget(t).set_amount_cents(0); },
       "covenant.terms.lots[5].budgets[0].amount_cents"},
      {[](Terms& t) { *t.mutable_lots(5)->add_budgets() = t.lots(5).budgets(0); },
       "covenant.terms.lots[5].budgets[1]"},
      {[](Terms& t) { t.mutable_requirements(0)->set_requirement_id("R 1"); },
       "covenant.terms.requirements[0].requirement_id"},
      {[](Terms& t) { t.mutable_requirements(1)->set_requirement_id("R1"); },
       "covenant.terms.requirements[1].requirement_id"},
      {[](Terms& t) { t.mutable_requirements(2)->set_lots(0, "P9"); },
       "covenant.terms.requirements[2].lots[0]"},
      {[](Terms& t) { t.mutable_requirements(2)->set_lots(1, "P1"); },
       "covenant.terms.requirements[2].lots[1]"},
      {[](Terms& t) { t.mutable_requirements(0)->clear_title(); },
       "covenant.terms.requirements[0].title"},
      {[](Terms& t) { t.mutable_requirements(0)->clear_criterion(); },
       "covenant.terms.requirements[0].criterion"},
      {[](Terms& t) {
         t.mutable_requirements(0)->add_evidence_kinds(v1::EVIDENCE_KIND_UNSPECIFIED);
       },
       "covenant.terms.requirements[0].evidence_kinds[1]"},
      {[](Terms& t) {
         t.mutable_requirements(0)->add_evidence_kinds(v1::EVIDENCE_KIND_CERTIFICATE_OF_CONDUCT);
       },
       "covenant.terms.requirements[0].evidence_kinds[1]"},
      {[](Terms& t) { t.mutable_requirements(4)->set_suspend_on_expiry(true); },
       "covenant.terms.requirements[4].suspend_on_expiry"},
  };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    BOOST_TEST_CONTEXT("row " << i << ": " << rows[i].second) {
      const auto fields = FieldsAfter(rows[i].first);
      BOOST_TEST(fields == std::vector<std::string>{rows[i].second},
                 boost::test_tools::per_element());
    }
  }
}

BOOST_AUTO_TEST_CASE(a_participatiewet_lot_has_free_product_codes) {
  const auto fields = FieldsAfter([](Terms& t) {
    t.add_legal_bases(v1::LEGAL_BASIS_PARTICIPATIEWET);
    auto* lot = t.add_lots();
    lot->set_lot_id("W1");
    lot->set_title("Job coaching");
    lot->set_scope("Coaching towards paid work.");
    lot->set_legal_basis(v1::LEGAL_BASIS_PARTICIPATIEWET);
    lot->set_funding_model(v1::FUNDING_MODEL_OUTPUT);
    auto* product = lot->add_products();
    product->set_code("JC1");
    product->set_description("Job coaching trajectory");
    product->set_unit(v1::UNIT_PIECE);
    product->add_tariffs()->set_amount_cents(350000);
    *product->mutable_tariffs(0)->mutable_valid_from() = Day(2026, 1, 1);
  });
  BOOST_TEST(fields.empty(), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(requirement_revisions_follow_their_content) {
  auto first = testing::DuinstreekCovenant().covenant().terms();
  first.mutable_requirements(0)->set_revision(7);  // whatever a client sends is ignored
  first.mutable_lots(0)->set_name("covenants/x/lots/P1");
  SetServerFields(nullptr, first);
  for (const auto& requirement : first.requirements()) {
    BOOST_TEST(requirement.revision() == 1);
  }
  BOOST_TEST(first.lots(0).name().empty());

  auto second = first;
  second.mutable_requirements(1)->set_criterion("At least EUR 5,000,000 per claim.");
  second.mutable_requirements(2)->set_revision(0);  // unchanged content, revision lost in transit
  auto* added = second.add_requirements();
  added->set_requirement_id("R6");
  added->set_title("Wtza notification");
  added->set_criterion("The provider has notified its care under the Wtza.");
  SetServerFields(&first, second);
  BOOST_TEST(second.requirements(0).revision() == 1);
  BOOST_TEST(second.requirements(1).revision() == 2);
  BOOST_TEST(second.requirements(2).revision() == 1);
  BOOST_TEST(second.requirements(5).revision() == 1);

  auto third = second;
  third.mutable_requirements(1)->set_title("Liability insurance, raised");
  SetServerFields(&second, third);
  BOOST_TEST(third.requirements(1).revision() == 3);
}

BOOST_AUTO_TEST_CASE(indexation_rounds_to_the_cent) {
  BOOST_TEST(Indexed(7800, 325) == 8054);  // 8053.5 -> 8054
  BOOST_TEST(Indexed(6882, 325) == 7106);  // 7105.665 -> 7106
  BOOST_TEST(Indexed(1436, 325) == 1483);  // 1482.67 -> 1483
  BOOST_TEST(Indexed(5100, 0) == 5100);
  BOOST_TEST(Indexed(10000, -150) == 9850);
  BOOST_TEST(Indexed(201, -2500) == 151);  // 150.75 -> 151
  BOOST_TEST(Indexed(2, -2500) == 2);      // 1.5 -> 2, halves away from zero
}

BOOST_AUTO_TEST_CASE(indexation_splits_the_tariff_in_force) {
  auto terms = testing::DuinstreekCovenant().covenant().terms();
  const auto from = ToDays(Day(2027, 1, 1));
  BOOST_TEST(IndexTariffs(terms, {"P1", "P5"}, 325, from) == 5);

  const auto& individual = terms.lots(0).products(0);  // 45A48, EUR 78.00 from 2026
  BOOST_TEST(Amounts(individual) == (std::vector<std::int64_t>{7800, 8054}),
             boost::test_tools::per_element());
  BOOST_TEST(IsoDate(individual.tariffs(0).valid_until()) == "2026-12-31");
  BOOST_TEST(IsoDate(individual.tariffs(1).valid_from()) == "2027-01-01");
  BOOST_TEST(!individual.tariffs(1).has_valid_until());
  BOOST_TEST(Amounts(terms.lots(4).products(2)) == (std::vector<std::int64_t>{125000, 129063}),
             boost::test_tools::per_element());
  BOOST_TEST(Amounts(terms.lots(1).products(0)) == std::vector<std::int64_t>{6882},
             boost::test_tools::per_element());  // P2 not chosen

  // A second indexation the same day replaces the new tariff rather than splitting it again.
  BOOST_TEST(IndexTariffs(terms, {"P1"}, 100, from) == 2);
  BOOST_TEST(Amounts(terms.lots(0).products(0)) == (std::vector<std::int64_t>{7800, 8135}),
             boost::test_tools::per_element());

  // Every lot when none is named; a product without a tariff on the day keeps what it has.
  FirstProduct(terms).mutable_tariffs(1)->mutable_valid_until()->CopyFrom(Day(2027, 6, 30));
  BOOST_TEST(IndexTariffs(terms, {}, 200, ToDays(Day(2027, 7, 1))) == 10);
  BOOST_TEST(Amounts(terms.lots(0).products(0)) == (std::vector<std::int64_t>{7800, 8135}),
             boost::test_tools::per_element());
  Validation v;
  ValidateTerms(terms, v, "terms");
  BOOST_TEST(v.empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::covenants
