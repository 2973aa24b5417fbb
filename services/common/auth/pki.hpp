#pragma once

// The deployment certificate authority and the certificate operations the rest of Regie needs,
// over OpenSSL 3. Keys are ECDSA P-256. A certificate's subject names the person (CN), the role
// (OU) and the organisation (O); see docs/adr/0004-access-model.md.

#include <openssl/types.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace regie::auth {

// An OpenSSL failure, with OpenSSL's own error text appended.
class PkiError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct KeyAndCertificate {
  std::string key_pem;          // PKCS#8 private key
  std::string certificate_pem;  // X.509
};

struct CertificateSpec {
  std::string common_name;          // the person, or the server's name
  std::string organisational_unit;  // the role
  std::string organisation;         // municipality code, region, KvK number, auditor scope
  int valid_days = 365;
  bool server = false;  // adds serverAuth and the subject alternative names below
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;
};

struct IssuedCertificate {
  KeyAndCertificate material;
  std::string serial_hex;  // upper-case hexadecimal
};

// A self-signed CA certificate and its key.
KeyAndCertificate CreateCertificateAuthority(const std::string& name, int valid_days);

// A new key and a certificate for it, signed by `ca`.
IssuedCertificate IssueCertificate(const KeyAndCertificate& ca, const CertificateSpec& spec);

struct CertificateInfo {
  std::string common_name;
  std::string organisation;
  std::string organisational_unit;
  std::string subject;     // RFC 2253
  std::string serial_hex;  // upper-case hexadecimal, no leading zeros
  std::chrono::system_clock::time_point not_before;
  std::chrono::system_clock::time_point not_after;
  std::string public_key_der;      // SubjectPublicKeyInfo, DER
  std::string sha256_fingerprint;  // SHA-256 of the certificate's DER: 32 raw bytes
};

// Throws PkiError when `pem` holds no certificate.
CertificateInfo ParseCertificate(std::string_view pem);

// True when `certificate_pem` is signed by `ca_pem` (and, unless `ignore_validity_period`, valid
// now); otherwise false with the reason in `why`.
bool VerifyIssuedBy(std::string_view certificate_pem, std::string_view ca_pem, std::string& why,
                    bool ignore_validity_period = false);

// True when the private key `key_pem` belongs to `certificate_pem`.
bool KeyMatchesCertificate(std::string_view key_pem, std::string_view certificate_pem);

// ECDSA/SHA-256 signature of `data` (DER), made with the private key `key_pem`.
std::string SignSha256(std::string_view key_pem, std::string_view data);

// A private key read once, for a client that signs many times: reading a PEM key costs OpenSSL 3
// far more than the signature itself.
class SigningKey {
 public:
  // Throws PkiError when `key_pem` holds no private key.
  explicit SigningKey(std::string_view key_pem);
  // What SignSha256(key_pem, data) returns.
  std::string SignSha256(std::string_view data) const;

 private:
  std::shared_ptr<EVP_PKEY> key_;
};

// True when `signature` over `data` verifies with the public key of `certificate_pem`.
bool VerifySha256(std::string_view certificate_pem, std::string_view data,
                  std::string_view signature);

}  // namespace regie::auth
