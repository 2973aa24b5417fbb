#include <boost/test/unit_test.hpp>

#include <set>

#include "crypto.hpp"
#include "db/session.hpp"
#include "db/unit_of_work.hpp"
#include "identity_store.hpp"
#include "pg_cluster.hpp"

namespace regie::identity {
namespace {

db::Clock::time_point Deadline() { return db::Clock::now() + std::chrono::seconds(20); }

audit::AuditContext Context() {
  return {"CN=Beheerder,OU=admin,O=regie",
          "admin",
          "regie",
          "/regie.identity.v1.IdentityService/RevokeCertificate",
          "req-1",
          Sha256("req")};
}

struct Fixture {
  Fixture()
      : pool({testing::PgCluster::Shared().CreateMigratedDatabase(), 2,
              [](pqxx::connection& c) { db::SetUpSession(c, "regie-identity-test"); }}),
        store(pool) {}

  int AuditEvents() {
    int n = 0;
    db::RunTransaction(pool, Deadline(), [&](db::Work& tx) {
      n = tx.exec1("SELECT count(*) FROM audit.events")[0].as<int>();
    });
    return n;
  }

  db::ConnectionPool pool;
  PgIdentityStore store;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(identity_store, Fixture)

BOOST_AUTO_TEST_CASE(a_revocation_is_stored_once_and_audited_once) {
  const auto first = store.Revoke(Deadline(), Context(), {"ABC", "key lost", "req-1"});
  BOOST_TEST(first.serial == "ABC");
  BOOST_TEST(first.revoked_by == "CN=Beheerder,OU=admin,O=regie");
  BOOST_TEST(AuditEvents() == 1);
  const auto again = store.Revoke(Deadline(), Context(), {"ABC", "another reason", "req-2"});
  BOOST_TEST(again.reason == "key lost");
  BOOST_TEST(again.revoked_at_us == first.revoked_at_us);
  BOOST_TEST(AuditEvents() == 1);
  db::RunTransaction(pool, Deadline(), [](db::Work& tx) {
    const auto row = tx.exec1("SELECT resource, rpc, change->>'reason' FROM audit.events");
    BOOST_TEST(row[0].as<std::string>() == "revokedCertificates/ABC");
    BOOST_TEST(row[1].as<std::string>() == "/regie.identity.v1.IdentityService/RevokeCertificate");
    BOOST_TEST(row[2].as<std::string>() == "key lost");
  });
}

BOOST_AUTO_TEST_CASE(pages_cover_every_revocation_once_newest_first) {
  for (int i = 1; i <= 5; ++i) {
    store.Revoke(Deadline(), Context(), {"A" + std::to_string(i), "left", ""});
  }
  std::vector<std::string> seen;
  std::optional<RevocationCursor> cursor;
  int pages = 0;
  do {
    const auto page = store.ListRevoked(Deadline(), 2, cursor);
    for (const auto& r : page.items) {
      seen.push_back(r.serial);
    }
    cursor = page.next;
    ++pages;
  } while (cursor);
  BOOST_TEST(pages == 3);
  BOOST_REQUIRE_EQUAL(seen.size(), 5u);
  BOOST_TEST(seen.front() == "A5");
  BOOST_TEST(seen.back() == "A1");
  BOOST_TEST(std::set<std::string>(seen.begin(), seen.end()).size() == 5u);
  BOOST_TEST(store.RevokedSerials(Deadline()).size() == 5u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::identity
