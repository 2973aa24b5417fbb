#include <boost/test/unit_test.hpp>

#include "auth/principal.hpp"
#include "error.hpp"

namespace regie::auth {

BOOST_AUTO_TEST_SUITE(principal)

BOOST_AUTO_TEST_CASE(organisation_rules_per_role) {
  struct Row {
    Role role;
    const char* organisation;
    bool ok;
  };
  const Row rows[] = {
      {Role::kProcurement, "9901", true},
      {Role::kProcurement, "region:duinstreek", true},
      {Role::kProcurement, "990", false},
      {Role::kProcurement, "region:", false},
      {Role::kProcurement, "region:Duin Streek", false},
      {Role::kProvider, "12345678", true},
      {Role::kProvider, "1234567", false},
      {Role::kProvider, "1234567a", false},
      {Role::kAuditor, "9901", true},
      {Role::kAuditor, "9901,9902,9903", true},
      {Role::kAuditor, "9901,9901", false},
      {Role::kAuditor, "9901,", false},
      {Role::kAuditor, "", false},
      {Role::kAdmin, "regie", true},
      {Role::kAdmin, "", false},
      {Role::kAdmin, "a;b", false},
  };
  for (const auto& row : rows) {
    BOOST_TEST_CONTEXT(RoleName(row.role) << " " << row.organisation) {
      BOOST_TEST(CheckOrganisation(row.role, row.organisation).empty() == row.ok);
    }
  }
}

BOOST_AUTO_TEST_CASE(roles_parse_from_their_names_only) {
  BOOST_TEST((ParseRole("auditor") == Role::kAuditor));
  BOOST_TEST(!ParseRole("server").has_value());
  BOOST_TEST(!ParseRole("Admin").has_value());
}

BOOST_AUTO_TEST_CASE(principal_comes_from_the_certificate_subject) {
  CertificateInfo cert;
  cert.common_name = "Accountant";
  cert.organisational_unit = "auditor";
  cert.organisation = "9901,9902";
  cert.serial_hex = "ABC";
  const auto p = PrincipalFromCertificate(cert);
  BOOST_TEST((p.role == Role::kAuditor));
  BOOST_TEST(p.scope.size() == 2u);
  BOOST_TEST(p.scope[1] == "9902");
  BOOST_TEST(p.certificate_serial == "ABC");
}

BOOST_AUTO_TEST_CASE(a_subject_without_a_valid_role_or_organisation_is_refused) {
  CertificateInfo cert;
  cert.common_name = "Server";
  cert.organisational_unit = "server";
  cert.organisation = "regie";
  BOOST_CHECK_EXCEPTION(PrincipalFromCertificate(cert), Error, [](const Error& e) {
    return e.code() == ErrorCode::kUnauthenticated && e.reason() == "INVALID_CERTIFICATE_SUBJECT";
  });
  cert.organisational_unit = "provider";
  cert.organisation = "not-a-kvk";
  BOOST_CHECK_THROW(PrincipalFromCertificate(cert), Error);
  cert.organisation = "12345678";
  cert.common_name = "";
  BOOST_CHECK_THROW(PrincipalFromCertificate(cert), Error);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::auth
