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

// INVALID_ARGUMENT with a violation of each of `fields`, in order, and nothing else.
bool NamesExactly(const RpcError& e, const std::vector<std::string>& fields) {
  if (e.code() != grpc::INVALID_ARGUMENT || e.violations().size() != fields.size()) {
    return false;
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (e.violations()[i].rfind(fields[i] + ": ", 0) != 0) {
      return false;
    }
  }
  return true;
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
  BOOST_CHECK_EXCEPTION(inkoop.CreateCovenant(request), RpcError,
                        [&](const RpcError& e) { return NamesExactly(e, fields); });
  BOOST_TEST(inkoop.ListCovenants().empty());
}

BOOST_AUTO_TEST_CASE(documents_are_recorded_by_hash_and_named_field_by_field) {
  TestPki pki;
  TestServer server(pki);
  auto admin = server.Client(pki.admin);
  LoadDuinstreekReferenceData(admin);
  auto inkoop = server.Client(pki.procurement);
  auto provider = server.Client(pki.provider);
  const auto name = inkoop.CreateCovenant(DuinstreekCovenant()).name();
  using Stub = v1::DocumentService::Stub;

  v1::RecordDocumentRequest request;
  request.set_parent(name);
  request.set_document_id("Base agreement");
  request.mutable_document()->set_sha256("ABC");
  const std::vector<std::string> fields = {"document_id",         "document.kind",
                                           "document.title",      "document.sha256",
                                           "document.size_bytes", "document.media_type"};
  BOOST_CHECK_EXCEPTION(inkoop.Unary(&Stub::RecordDocument, request), RpcError,
                        [&](const RpcError& e) { return NamesExactly(e, fields); });
  request.set_document_id("base-agreement");
  auto* d = request.mutable_document();
  d->set_kind(v1::Document::BASE_AGREEMENT);
  d->set_title("Basisovereenkomst");
  d->set_sha256(std::string(64, 'a'));
  d->set_size_bytes(1200);
  d->set_media_type("application/pdf");
  BOOST_TEST(inkoop.Unary(&Stub::RecordDocument, request).revision() == 1);
  // A draft's documents are as hidden as the draft; a provider never records them.
  v1::ListDocumentsRequest list;
  list.set_parent(name);
  BOOST_CHECK_EXCEPTION(provider.Unary(&Stub::ListDocuments, list), RpcError,
                        [](const RpcError& e) { return e.code() == grpc::NOT_FOUND; });
  inkoop.PublishCovenant(name, "", "");
  BOOST_TEST(provider.Unary(&Stub::ListDocuments, list).documents_size() == 1);
  BOOST_CHECK_EXCEPTION(provider.Unary(&Stub::RecordDocument, request), RpcError,
                        [](const RpcError& e) { return e.code() == grpc::PERMISSION_DENIED; });

  d->set_kind(v1::Document::OTHER);
  d->set_sha256(std::string(64, 'b'));
  BOOST_CHECK_EXCEPTION(inkoop.Unary(&Stub::RecordDocument, request), RpcError,
                        [](const RpcError& e) {
                          return e.code() == grpc::INVALID_ARGUMENT &&
                                 e.violations().at(0).rfind("document.kind: ", 0) == 0;
                        });
  d->set_kind(v1::Document::BASE_AGREEMENT);
  BOOST_TEST(inkoop.Unary(&Stub::RecordDocument, request).revision() == 2);
  v1::GetDocumentRequest get;
  get.set_name(name + "/documents/base-agreement");
  get.set_revision(1);
  BOOST_TEST(provider.Unary(&Stub::GetDocument, get).sha256() == std::string(64, 'a'));
  get.set_revision(0);
  BOOST_TEST(provider.Unary(&Stub::GetDocument, get).revision() == 2);
  get.set_revision(3);
  BOOST_CHECK_EXCEPTION(provider.Unary(&Stub::GetDocument, get), RpcError,
                        [](const RpcError& e) { return e.code() == grpc::NOT_FOUND; });
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::testing
