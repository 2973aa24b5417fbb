// The work of statements that a pooled connection plans once and then runs for every covenant.
//
// PostgreSQL replaces a prepared statement's plan by a generic one, built without the parameters'
// values, after five executions, and a connection of the pool keeps it until the tables'
// statistics change. Such a plan was built for an average covenant, or while the tables were
// small, and must still do work in proportion to the covenant at hand: listing 1,000 agreements
// once checked every agreement version against every agreement of the covenant (500,000 rows;
// docs/performance.md). These tests force the generic plan with statistics gathered while the
// tables were nearly empty, run the statement under EXPLAIN ANALYZE, and count the rows its plan
// handled. They count rows, not time, so a slow machine cannot fail them.

#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "covenant_rules.hpp"
#include "covenant_store.hpp"
#include "crypto.hpp"
#include "db/embedded_sql.hpp"
#include "db/pool.hpp"
#include "db/session.hpp"
#include "deadlines.hpp"
#include "fixtures.hpp"
#include "pg_cluster.hpp"
#include "reference_store.hpp"

namespace regie {
namespace {

db::Clock::time_point Deadline() { return db::Clock::now() + std::chrono::seconds(20); }

audit::AuditContext Context() {
  return {"CN=Inkoper,OU=procurement,O=9901",
          "procurement",
          "9901",
          "/regie.covenants.v1.CovenantService/CreateCovenant",
          "req",
          Sha256("req")};
}

const std::string& QueryText(const std::string& name) {
  for (const auto& query : db::EmbeddedQueries()) {
    if (query.name == name) {
      return query.text;
    }
  }
  throw std::runtime_error("no query " + name);
}

// The rows a plan node and the nodes below it produced or filtered out, over all their loops
// (EXPLAIN gives both per loop).
double RowsHandled(const nlohmann::json& node) {
  const double loops = node.value("Actual Loops", 0.0);
  double rows =
      loops * (node.value("Actual Rows", 0.0) + node.value("Rows Removed by Filter", 0.0) +
               node.value("Rows Removed by Join Filter", 0.0));
  for (const auto& child : node.value("Plans", nlohmann::json::array())) {
    rows += RowsHandled(child);
  }
  return rows;
}

struct Fixture {
  Fixture() : dsn(testing::PgCluster::Shared().CreateMigratedDatabase()) {
    db::ConnectionPool pool({dsn, 1, [](pqxx::connection& c) { db::SetUpSession(c, "plans"); }});
    covenants::PgReferenceStore reference(pool);
    for (const auto& m : testing::DuinstreekMunicipalities()) {
      reference.CreateMunicipality(Deadline(), Context(), {m.code, m.display_name});
    }
    reference.CreateRegion(Deadline(), Context(),
                           {"duinstreek", "Regio Duinstreek", {"9901", "9902", "9903"}, "9901"});
    covenants::PgCovenantStore(pool).Create(
        Deadline(), Context(),
        {"plans", "", "duinstreek",
         covenants::MakeTermsRow(testing::DuinstreekCovenant().covenant().terms())});
  }

  // Lot-wide agreements first .. last of covenant "plans", each with one version.
  void AddAgreements(int first, int last) {
    pqxx::connection c(dsn);
    pqxx::work tx(c);
    tx.exec_params0(
        "INSERT INTO outcomes.agreements (covenant_id, lot_id, agreement_id, created_by) "
        "SELECT 'plans', 'P6', 'results-' || i, 'test' FROM generate_series($1::int, $2::int) i",
        first, last);
    tx.exec_params0(
        "INSERT INTO outcomes.agreement_versions "
        "  (covenant_id, lot_id, agreement_id, version, effective_date, content, created_by) "
        "SELECT 'plans', 'P6', 'results-' || i, 1, '2026-01-01', '{}', 'test' "
        "  FROM generate_series($1::int, $2::int) i",
        first, last);
    tx.commit();
  }

  // Runs `query` with `arguments` (SQL literals) under its generic plan: the rows returned and the
  // rows its plan handled.
  std::pair<std::size_t, double> RunGeneric(const std::string& query,
                                            const std::string& arguments) {
    pqxx::connection c(dsn);
    pqxx::nontransaction tx(c);
    tx.exec0("SET plan_cache_mode = force_generic_plan");
    tx.exec0("PREPARE q AS " + QueryText(query));
    const auto returned = tx.exec("EXECUTE q(" + arguments + ")").size();
    const auto plan = nlohmann::json::parse(
        tx.exec1("EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE q(" + arguments + ")")[0]
            .as<std::string>());
    return {returned, RowsHandled(plan.at(0).at("Plan"))};
  }

  std::string dsn;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(query_plans, Fixture)

BOOST_AUTO_TEST_CASE(listing_a_covenants_agreements_handles_each_version_a_few_times) {
  AddAgreements(1, 3);
  pqxx::connection c(dsn);
  pqxx::nontransaction(c).exec0("ANALYZE outcomes.agreements, outcomes.agreement_versions");
  constexpr int kAgreements = 400;
  AddAgreements(4, kAgreements);

  // Every agreement (a page of 500), and those of one provider (lot-wide ones count).
  for (const auto* provider : {"", "70000001"}) {
    const auto [returned, handled] =
        RunGeneric("outcomes/select_agreements", std::string("'plans', '', '', '") + provider +
                                                     "', '2026-06-01', 0, '', '', 500, false");
    BOOST_TEST_INFO("provider '" << provider << "'");
    BOOST_TEST(returned == static_cast<std::size_t>(kAgreements));
    // A handful of passes over the versions (scan, sort, distinct, sort); a plan that compares
    // each version with each agreement handles about kAgreements^2 / 2 = 80,000 rows.
    BOOST_TEST(handled <= 10.0 * kAgreements);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie
