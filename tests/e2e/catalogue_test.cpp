// Lots, product catalogues, tariffs and admission requirements over gRPC: served from the terms in
// force, hidden with their draft, and validated field by field on the way in.

#include <boost/test/unit_test.hpp>

#include "fixtures.hpp"
#include "test_server.hpp"

namespace regie::testing {
namespace {

using client::RpcError;
namespace v1 = covenants::v1;

std::vector<std::string> RequirementIds(const v1::ListRequirementsResponse& response) {
  std::vector<std::string> ids;
  for (const auto& r : response.requirements()) {
    ids.push_back(r.requirement_id());
  }
  return ids;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(server_catalogue)

BOOST_AUTO_TEST_CASE(lots_and_requirements_are_served_from_the_terms) {
  TestPki pki;
  TestServer server(pki);
  auto admin = server.Client(pki.admin);
  LoadDuinstreekReferenceData(admin);
  auto inkoop = server.Client(pki.procurement);
  auto provider = server.Client(pki.provider);
  const auto name = inkoop.CreateCovenant(DuinstreekCovenant()).name();

  v1::GetLotRequest get_lot;
  get_lot.set_name(name + "/lots/P1");
  // A draft's lots are as hidden as the draft.
  BOOST_CHECK_EXCEPTION(provider.Unary(&v1::CovenantService::Stub::GetLot, get_lot), RpcError,
                        [](const RpcError& e) { return e.code() == grpc::NOT_FOUND; });
  inkoop.PublishCovenant(name, "", "");

  const auto lot = provider.Unary(&v1::CovenantService::Stub::GetLot, get_lot);
  BOOST_TEST(lot.name() == name + "/lots/P1");
  BOOST_TEST(lot.funding_model() == v1::FUNDING_MODEL_EFFORT);
  BOOST_REQUIRE_EQUAL(lot.products_size(), 2);
  BOOST_TEST(lot.products(0).code() == "45A48");
  BOOST_TEST(lot.products(0).tariffs(0).amount_cents() == 7800);

  v1::ListLotsRequest list_lots;
  list_lots.set_parent(name);
  const auto lots = provider.Unary(&v1::CovenantService::Stub::ListLots, list_lots);
  BOOST_REQUIRE_EQUAL(lots.lots_size(), 6);
  BOOST_TEST(lots.version() == 1);
  BOOST_TEST(lots.lots(5).name() == name + "/lots/P6");
  BOOST_TEST(lots.lots(5).budgets(0).amount_cents() == 240000000);

  get_lot.set_name(name + "/lots/P9");
  BOOST_CHECK_EXCEPTION(provider.Unary(&v1::CovenantService::Stub::GetLot, get_lot), RpcError,
                        [](const RpcError& e) { return e.code() == grpc::NOT_FOUND; });
  get_lot.set_name(name + "/lots/P 1");
  BOOST_CHECK_EXCEPTION(
      provider.Unary(&v1::CovenantService::Stub::GetLot, get_lot), RpcError, [](const RpcError& e) {
        return e.code() == grpc::INVALID_ARGUMENT && e.violations().at(0).rfind("name: ", 0) == 0;
      });

  v1::ListRequirementsRequest list_requirements;
  list_requirements.set_parent(name);
  list_requirements.set_lot_id("P5");
  const auto for_p5 =
      provider.Unary(&v1::CovenantService::Stub::ListRequirements, list_requirements);
  BOOST_TEST(RequirementIds(for_p5) == (std::vector<std::string>{"R1", "R2", "R4"}),
             boost::test_tools::per_element());
  for (const auto& r : for_p5.requirements()) {
    BOOST_TEST(r.revision() == 1);
    BOOST_TEST(r.name() == name + "/requirements/" + r.requirement_id());
  }
  list_requirements.set_lot_id("P9");
  BOOST_CHECK_EXCEPTION(
      provider.Unary(&v1::CovenantService::Stub::ListRequirements, list_requirements), RpcError,
      [](const RpcError& e) { return e.code() == grpc::NOT_FOUND; });

  v1::GetRequirementRequest get_requirement;
  get_requirement.set_name(name + "/requirements/R5");
  const auto eed = provider.Unary(&v1::CovenantService::Stub::GetRequirement, get_requirement);
  BOOST_TEST(eed.lots(0) == "P4");
  BOOST_TEST(eed.criterion().find("EED") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_bad_catalogue_is_refused_field_by_field_and_nothing_is_stored) {
  TestPki pki;
  TestServer server(pki);
  auto admin = server.Client(pki.admin);
  LoadDuinstreekReferenceData(admin);
  auto inkoop = server.Client(pki.procurement);
  auto request = DuinstreekCovenant();
  auto* terms = request.mutable_covenant()->mutable_terms();
  terms->mutable_lots(0)->mutable_products(1)->set_code("45A48");
  terms->mutable_lots(1)->mutable_products(0)->set_category("60");
  terms->mutable_lots(2)->mutable_products(0)->mutable_tariffs(0)->set_amount_cents(0);
  terms->mutable_lots(5)->mutable_budgets(0)->set_municipality("municipalities/0363");
  const std::vector<std::string> fields = {
      "covenant.terms.lots[0].products[1].code", "covenant.terms.lots[1].products[0].category",
      "covenant.terms.lots[2].products[0].tariffs[0].amount_cents",
      "covenant.terms.lots[5].budgets[0].municipality"};
  const auto names_each_field = [&](const RpcError& e) {
    if (e.code() != grpc::INVALID_ARGUMENT || e.violations().size() != fields.size()) {
      return false;
    }
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (e.violations()[i].rfind(fields[i] + ": ", 0) != 0) {
        return false;
      }
    }
    return true;
  };
  BOOST_CHECK_EXCEPTION(inkoop.CreateCovenant(request), RpcError, names_each_field);
  BOOST_TEST(inkoop.ListCovenants().empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::testing
