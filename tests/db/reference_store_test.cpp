#include <boost/test/unit_test.hpp>

#include <thread>

#include "crypto.hpp"
#include "db/session.hpp"
#include "db/unit_of_work.hpp"
#include "pg_cluster.hpp"
#include "reference_store.hpp"

namespace regie::covenants {
namespace {

db::Clock::time_point Deadline() { return db::Clock::now() + std::chrono::seconds(20); }

audit::AuditContext Context() {
  return {"CN=Beheerder,OU=admin,O=regie",
          "admin",
          "regie",
          "/regie.covenants.v1.ReferenceDataService/CreateRegion",
          "req",
          Sha256("req")};
}

bool Reason(const Error& e, ErrorCode code, const std::string& reason) {
  return e.code() == code && e.reason() == reason;
}

struct Fixture {
  Fixture()
      : pool({testing::PgCluster::Shared().CreateMigratedDatabase(), 3,
              [](pqxx::connection& c) { db::SetUpSession(c, "regie-reference-test"); }}),
        store(pool) {
    for (const auto& [code, name] : std::vector<std::pair<std::string, std::string>>{
             {"9901", "Duinhaven"}, {"9902", "Bollenveld"}, {"9903", "Zeewijk"}}) {
      store.CreateMunicipality(Deadline(), Context(), {code, name});
    }
  }

  int AuditEvents() {
    int n = 0;
    db::RunTransaction(pool, Deadline(), [&](db::Work& tx) {
      n = tx.exec1("SELECT count(*) FROM audit.events")[0].as<int>();
    });
    return n;
  }

  db::ConnectionPool pool;
  PgReferenceStore store;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(reference_store, Fixture)

BOOST_AUTO_TEST_CASE(municipalities_are_created_once_and_audited) {
  BOOST_TEST(AuditEvents() == 3);
  BOOST_CHECK_EXCEPTION(
      store.CreateMunicipality(Deadline(), Context(), {"9901", "Other"}), Error,
      [](const Error& e) { return Reason(e, ErrorCode::kAlreadyExists, "MUNICIPALITY_EXISTS"); });
  BOOST_TEST(AuditEvents() == 3);
  BOOST_TEST(store.GetMunicipality(Deadline(), "9901")->display_name == "Duinhaven");
  BOOST_TEST(!store.GetMunicipality(Deadline(), "0363").has_value());
}

BOOST_AUTO_TEST_CASE(municipality_pages_continue_after_the_last_code) {
  const auto first = store.ListMunicipalities(Deadline(), "", 2);
  BOOST_REQUIRE_EQUAL(first.size(), 2u);
  BOOST_TEST(first[1].code == "9902");
  store.CreateMunicipality(Deadline(), Context(), {"0001", "Inserted before the cursor"});
  const auto rest = store.ListMunicipalities(Deadline(), first[1].code, 2);
  BOOST_REQUIRE_EQUAL(rest.size(), 1u);  // a row inserted before the cursor does not shift pages
  BOOST_TEST(rest[0].code == "9903");
}

BOOST_AUTO_TEST_CASE(a_region_is_stored_with_its_members_and_audited) {
  const auto region = store.CreateRegion(
      Deadline(), Context(), {"duinstreek", "Regio Duinstreek", {"9903", "9901", "9902"}, "9901"});
  const std::vector<std::string> members = {"9901", "9902", "9903"};
  BOOST_TEST(region.members == members, boost::test_tools::per_element());
  BOOST_TEST(region.lead == "9901");
  BOOST_TEST(AuditEvents() == 4);
  BOOST_TEST(store.GetRegion(Deadline(), "duinstreek")->display_name == "Regio Duinstreek");
  BOOST_CHECK_EXCEPTION(
      store.CreateRegion(Deadline(), Context(), {"duinstreek", "Again", {"9901"}, "9901"}), Error,
      [](const Error& e) { return Reason(e, ErrorCode::kAlreadyExists, "REGION_EXISTS"); });
}

BOOST_AUTO_TEST_CASE(unknown_members_are_named_and_nothing_is_stored) {
  try {
    store.CreateRegion(Deadline(), Context(), {"noord", "Noord", {"9901", "8888", "7777"}, "9901"});
    BOOST_FAIL("expected INVALID_ARGUMENT");
  } catch (const Error& e) {
    BOOST_TEST(ErrorCodeName(e.code()) == "INVALID_ARGUMENT");
    BOOST_REQUIRE_EQUAL(e.violations().size(), 2u);
    BOOST_TEST(e.violations()[0].field == "region.municipalities[1]");
    BOOST_TEST(e.violations()[1].field == "region.municipalities[2]");
  }
  BOOST_TEST(!store.GetRegion(Deadline(), "noord").has_value());
  BOOST_TEST(AuditEvents() == 3);
}

BOOST_AUTO_TEST_CASE(regions_filter_by_member_municipality) {
  store.CreateRegion(Deadline(), Context(), {"duinstreek", "Duinstreek", {"9901", "9902"}, "9901"});
  store.CreateRegion(Deadline(), Context(), {"zee", "Zee", {"9903"}, "9903"});
  BOOST_TEST(store.ListRegions(Deadline(), "", "", 10).size() == 2u);
  const auto with_zeewijk = store.ListRegions(Deadline(), "", "9903", 10);
  BOOST_REQUIRE_EQUAL(with_zeewijk.size(), 1u);
  BOOST_TEST(with_zeewijk[0].region_id == "zee");
  BOOST_TEST(store.ListRegions(Deadline(), "duinstreek", "", 10).size() == 1u);
}

BOOST_AUTO_TEST_CASE(the_database_refuses_a_lead_outside_the_region) {
  // The rules refuse this first; the deferred constraint is the last line of defence.
  BOOST_CHECK_THROW(store.CreateRegion(Deadline(), Context(), {"odd", "Odd", {"9901"}, "9902"}),
                    pqxx::foreign_key_violation);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::covenants
