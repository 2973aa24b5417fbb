#include "test_pki.hpp"

#include <fstream>

namespace regie::testing {
namespace {

void WriteText(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

auth::CertificateSpec Spec(const std::string& role, const std::string& organisation,
                           const std::string& name, int valid_days = 30) {
  auth::CertificateSpec spec;
  spec.common_name = name;
  spec.organisational_unit = role;
  spec.organisation = organisation;
  spec.valid_days = valid_days;
  spec.server = role == "server";
  if (spec.server) {
    spec.dns_names = {"localhost"};
    spec.ip_addresses = {"127.0.0.1"};
  }
  return spec;
}

}  // namespace

TestPki::TestPki()
    : ca_(auth::CreateCertificateAuthority("Regie test CA", 30)),
      foreign_ca_(auth::CreateCertificateAuthority("Some other CA", 30)) {
  WriteText(ca_file(), ca_.certificate_pem);
  server = Issue("server", "regie", "regie-server");
  procurement = Issue("procurement", "9901", "Inkoper Duinhaven");
  provider = Issue("provider", "12345678", "Aanbieder Voorbeeld");
  auditor = Issue("auditor", "9901,9902", "Accountant Duinstreek");
  admin = Issue("admin", "regie", "Beheerder");
}

TestIdentity TestPki::Write(const auth::IssuedCertificate& issued, const std::string& stem) {
  TestIdentity identity{dir_.path() / (stem + ".crt"), dir_.path() / (stem + ".key"),
                        issued.serial_hex};
  WriteText(identity.certificate, issued.material.certificate_pem);
  WriteText(identity.key, issued.material.key_pem);
  return identity;
}

TestIdentity TestPki::Issue(const std::string& role, const std::string& organisation,
                            const std::string& name, int valid_days) {
  return Write(auth::IssueCertificate(ca_, Spec(role, organisation, name, valid_days)),
               role + "-" + std::to_string(++counter_));
}

TestIdentity TestPki::IssueForeign(const std::string& role, const std::string& organisation,
                                   const std::string& name) {
  return Write(auth::IssueCertificate(foreign_ca_, Spec(role, organisation, name)),
               "foreign-" + role + "-" + std::to_string(++counter_));
}

client::Profile TestPki::ProfileFor(const TestIdentity& identity,
                                    const std::string& address) const {
  return {address, identity.certificate.string(), identity.key.string(), ca_file().string()};
}

}  // namespace regie::testing
