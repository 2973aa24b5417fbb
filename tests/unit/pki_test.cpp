#include <boost/test/unit_test.hpp>

#include "auth/pki.hpp"
#include "crypto.hpp"

namespace regie::auth {

BOOST_AUTO_TEST_SUITE(pki)

namespace {

CertificateSpec UserSpec() {
  CertificateSpec spec;
  spec.common_name = "Inkoper Duinhaven";
  spec.organisational_unit = "procurement";
  spec.organisation = "9901";
  spec.valid_days = 10;
  return spec;
}

}  // namespace

BOOST_AUTO_TEST_CASE(issued_certificate_names_person_role_and_organisation) {
  const auto ca = CreateCertificateAuthority("Test CA", 30);
  const auto issued = IssueCertificate(ca, UserSpec());
  const auto info = ParseCertificate(issued.material.certificate_pem);
  BOOST_TEST(info.common_name == "Inkoper Duinhaven");
  BOOST_TEST(info.organisational_unit == "procurement");
  BOOST_TEST(info.organisation == "9901");
  BOOST_TEST(info.serial_hex == issued.serial_hex);
  BOOST_TEST(info.serial_hex.front() != '0');
  BOOST_TEST(info.subject == "CN=Inkoper Duinhaven,OU=procurement,O=9901");
  const auto days =
      std::chrono::duration_cast<std::chrono::hours>(info.not_after - info.not_before);
  BOOST_TEST(days.count() >= 10 * 24);
  BOOST_TEST(KeyMatchesCertificate(issued.material.key_pem, issued.material.certificate_pem));
  BOOST_TEST(!KeyMatchesCertificate(ca.key_pem, issued.material.certificate_pem));
}

BOOST_AUTO_TEST_CASE(only_the_issuing_ca_verifies_a_certificate) {
  const auto ca = CreateCertificateAuthority("Test CA", 30);
  const auto other = CreateCertificateAuthority("Other CA", 30);
  const auto issued = IssueCertificate(ca, UserSpec());
  std::string why;
  BOOST_TEST(VerifyIssuedBy(issued.material.certificate_pem, ca.certificate_pem, why));
  BOOST_TEST(!VerifyIssuedBy(issued.material.certificate_pem, other.certificate_pem, why));
  BOOST_TEST(!why.empty());
  BOOST_TEST(!VerifyIssuedBy("not a certificate", ca.certificate_pem, why));
}

BOOST_AUTO_TEST_CASE(signatures_verify_only_for_the_signed_bytes_and_key) {
  const auto ca = CreateCertificateAuthority("Test CA", 30);
  const auto issued = IssueCertificate(ca, UserSpec());
  const auto other = IssueCertificate(ca, UserSpec());
  const auto signature = SignSha256(issued.material.key_pem, "checkpoint 17");
  BOOST_TEST(VerifySha256(issued.material.certificate_pem, "checkpoint 17", signature));
  BOOST_TEST(!VerifySha256(issued.material.certificate_pem, "checkpoint 18", signature));
  BOOST_TEST(!VerifySha256(other.material.certificate_pem, "checkpoint 17", signature));
  BOOST_TEST(!VerifySha256(issued.material.certificate_pem, "checkpoint 17", "garbage"));
}

BOOST_AUTO_TEST_CASE(unreadable_input_is_a_pki_error) {
  BOOST_CHECK_THROW(ParseCertificate("-----BEGIN CERTIFICATE-----\nxx\n"), PkiError);
  BOOST_CHECK_THROW(SignSha256("no key", "data"), PkiError);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::auth
