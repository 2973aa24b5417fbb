#include <boost/test/unit_test.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

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

// Found by fuzz_certificate: a validity date after 2262 overflowed the conversion to the clock.
BOOST_AUTO_TEST_CASE(a_validity_date_beyond_the_clock_reads_as_its_latest_time) {
  const auto ca = CreateCertificateAuthority("Test CA", 30);
  auto spec = UserSpec();
  spec.valid_days = 365 * 600;  // the year 2626
  const auto info = ParseCertificate(IssueCertificate(ca, spec).material.certificate_pem);
  BOOST_TEST((info.not_after == std::chrono::system_clock::time_point::max()));
  BOOST_TEST((info.not_before < std::chrono::system_clock::now()));
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

// Certificates are parsed once per PEM text and shared between threads; a key read once signs
// many times. Neither may change what is read, verified or signed.
BOOST_AUTO_TEST_CASE(cached_certificates_and_keys_read_as_fresh_ones) {
  const auto ca = CreateCertificateAuthority("Test CA", 30);
  const auto issued = IssueCertificate(ca, UserSpec());
  const auto other = IssueCertificate(ca, UserSpec());
  const SigningKey key(issued.material.key_pem);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        const auto data = "report " + std::to_string(t) + "/" + std::to_string(i);
        const auto signature = key.SignSha256(data);
        const bool right =
            VerifySha256(issued.material.certificate_pem, data, signature) &&
            !VerifySha256(other.material.certificate_pem, data, signature) &&
            !VerifySha256(issued.material.certificate_pem, data + ".", signature) &&
            ParseCertificate(issued.material.certificate_pem).serial_hex == issued.serial_hex &&
            ParseCertificate(other.material.certificate_pem).serial_hex == other.serial_hex;
        failures += right ? 0 : 1;
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  BOOST_TEST(failures.load() == 0);
  BOOST_TEST(VerifySha256(issued.material.certificate_pem, "checkpoint 17",
                          SignSha256(issued.material.key_pem, "checkpoint 17")));
}

BOOST_AUTO_TEST_CASE(unreadable_input_is_a_pki_error) {
  BOOST_CHECK_THROW(ParseCertificate("-----BEGIN CERTIFICATE-----\nxx\n"), PkiError);
  BOOST_CHECK_THROW(ParseCertificate("-----BEGIN CERTIFICATE-----\nxx\n"), PkiError);  // again
  BOOST_CHECK_THROW(VerifySha256("not a certificate", "data", "signature"), PkiError);
  BOOST_CHECK_THROW(SignSha256("no key", "data"), PkiError);
  BOOST_CHECK_THROW(SigningKey("no key"), PkiError);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::auth
