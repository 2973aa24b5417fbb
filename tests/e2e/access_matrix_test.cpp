// The access matrix of docs/security.md, held against the code: the matrix and the policy table
// agree row for row; every RPC is called as every role, and the role is refused exactly where the
// matrix says `-`; every cell that says `own` or `public` is called with one organisation's data,
// by a user of that organisation and by a user of another (access_matrix_calls.cpp).

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "access_matrix.hpp"
#include "auth/access_policy.hpp"

namespace regie::testing {
namespace {

using auth::Role;

}  // namespace

BOOST_AUTO_TEST_SUITE(access_matrix)

BOOST_AUTO_TEST_CASE(the_matrix_has_a_row_for_every_policy_rule_and_agrees_with_it) {
  const auto matrix = ReadAccessMatrix();
  const auto& policy = auth::AccessPolicy::Default();
  BOOST_TEST(matrix.size() == policy.rules().size());
  std::set<std::string> seen;
  for (const auto& row : matrix) {
    BOOST_TEST_CONTEXT(row.method) {
      BOOST_TEST(seen.insert(row.method).second, "listed twice");
      const auto* rule = policy.Find(row.method);
      BOOST_TEST_REQUIRE(rule != nullptr, "in the matrix but not in the policy table");
      for (Role role : auth::kAllRoles) {
        const bool allowed =
            std::find(rule->roles.begin(), rule->roles.end(), role) != rule->roles.end();
        BOOST_TEST_CONTEXT(auth::RoleName(role)) {
          BOOST_TEST(allowed == (row.CellFor(role) != Cell::kRefused));
        }
      }
    }
  }
  for (const auto& rule : policy.rules()) {
    BOOST_TEST(seen.count(rule.method) == 1, rule.method << " has no row in docs/security.md");
  }
}

BOOST_AUTO_TEST_CASE(a_matrix_with_a_missing_or_unknown_cell_is_refused) {
  const std::string head =
      "<!-- access-matrix:begin -->\n| RPC | procurement | provider | auditor | admin |\n"
      "|---|---|---|---|---|\n";
  const std::string tail = "<!-- access-matrix:end -->\n";
  BOOST_CHECK_NO_THROW(ParseAccessMatrix(head + "| /a.B/C | own | any | public | - |\n" + tail));
  BOOST_CHECK_THROW(ParseAccessMatrix(head + "| /a.B/C | own | any | public |\n" + tail),
                    std::runtime_error);
  BOOST_CHECK_THROW(ParseAccessMatrix(head + "| /a.B/C | own | all | public | - |\n" + tail),
                    std::runtime_error);
  BOOST_CHECK_THROW(ParseAccessMatrix("no matrix here"), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(every_rpc_called_as_every_role_is_refused_exactly_where_the_matrix_says) {
  const auto matrix = ReadAccessMatrix();
  TestPki pki;
  TestServer server(pki);
  const std::map<Role, const TestIdentity*> identities = {{Role::kProcurement, &pki.procurement},
                                                          {Role::kProvider, &pki.provider},
                                                          {Role::kAuditor, &pki.auditor},
                                                          {Role::kAdmin, &pki.admin}};
  for (const auto& [role, identity] : identities) {
    const auto channel = client::OpenChannel(pki.ProfileFor(*identity, server.address()));
    for (const auto& row : matrix) {
      // An empty message is a valid request of every type; what the service makes of it does not
      // matter here, only whether the policy let the role through.
      const auto outcome = CallRpc(*channel, row.method, {std::string()});
      const bool refused_by_role = outcome.status.error_code() == grpc::PERMISSION_DENIED &&
                                   outcome.reason == "ROLE_NOT_ALLOWED";
      BOOST_TEST_CONTEXT(row.method << " as " << auth::RoleName(role) << ": "
                                    << Describe(outcome)) {
        BOOST_TEST(refused_by_role == (row.CellFor(role) == Cell::kRefused));
        BOOST_TEST(outcome.status.error_code() != grpc::UNIMPLEMENTED);
        BOOST_TEST(outcome.status.error_code() != grpc::INTERNAL);
        BOOST_TEST(outcome.status.error_code() != grpc::UNKNOWN);
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::testing
