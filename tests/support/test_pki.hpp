#pragma once

// Certificates for tests: a deployment CA with a server certificate and one user per role, and a
// foreign CA whose certificates the server must refuse. Written to a temporary directory.

#include <filesystem>
#include <string>

#include "auth/pki.hpp"
#include "profile.hpp"
#include "subprocess.hpp"

namespace regie::testing {

struct TestIdentity {
  std::filesystem::path certificate;
  std::filesystem::path key;
  std::string serial;
};

class TestPki {
 public:
  TestPki();

  const std::filesystem::path& dir() const { return dir_.path(); }
  std::filesystem::path ca_file() const { return dir_.path() / "ca.crt"; }
  const auth::KeyAndCertificate& ca() const { return ca_; }

  // A new certificate from the deployment CA (role may also be "server"), valid from now for
  // `valid_days` (the CA itself is valid for 30 days).
  TestIdentity Issue(const std::string& role, const std::string& organisation,
                     const std::string& name, int valid_days = 30);
  // A certificate from another CA, with a perfectly valid-looking subject.
  TestIdentity IssueForeign(const std::string& role, const std::string& organisation,
                            const std::string& name);

  // A profile for `identity` against `address`.
  client::Profile ProfileFor(const TestIdentity& identity, const std::string& address) const;

  TestIdentity server;
  TestIdentity procurement;
  TestIdentity provider;
  TestIdentity auditor;
  TestIdentity admin;

 private:
  TestIdentity Write(const auth::IssuedCertificate& issued, const std::string& stem);

  TempDir dir_;
  auth::KeyAndCertificate ca_;
  auth::KeyAndCertificate foreign_ca_;
  int counter_ = 0;
};

}  // namespace regie::testing
