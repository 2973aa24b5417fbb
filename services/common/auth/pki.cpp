#include "auth/pki.hpp"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <ctime>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

namespace regie::auth {
namespace {

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* p) const {
    Free(p);
  }
};
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;
using StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;

[[noreturn]] void Fail(const std::string& what) {
  std::string detail;
  while (unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    detail += detail.empty() ? ": " : "; ";
    detail += buffer;
  }
  throw PkiError(what + detail);
}

void Check(int ok, const char* what) {
  if (ok != 1) {
    Fail(what);
  }
}

BioPtr ReadBio(std::string_view data) {
  BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
  if (!bio) {
    Fail("cannot allocate a memory BIO");
  }
  return bio;
}

std::string DrainBio(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  return {data, static_cast<std::size_t>(length)};
}

KeyPtr GenerateKey() {
  KeyPtr key(EVP_EC_gen("P-256"));
  if (!key) {
    Fail("cannot generate a P-256 key");
  }
  return key;
}

KeyPtr ReadKey(std::string_view pem) {
  auto bio = ReadBio(pem);
  KeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) {
    Fail("not a PEM private key");
  }
  return key;
}

X509Ptr ReadCertificate(std::string_view pem) {
  auto bio = ReadBio(pem);
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) {
    Fail("not a PEM certificate");
  }
  return cert;
}

std::string KeyToPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  Check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr),
        "cannot write the private key");
  return DrainBio(bio.get());
}

std::string CertificateToPem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  Check(PEM_write_bio_X509(bio.get(), cert), "cannot write the certificate");
  return DrainBio(bio.get());
}

void AddNameEntry(X509_NAME* name, const char* field, const std::string& value) {
  if (value.empty()) {
    return;
  }
  Check(
      X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1, 0),
      "cannot set a subject field");
}

void AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  if (!ext) {
    Fail("cannot build extension " + value);
  }
  Check(X509_add_ext(cert, ext.get(), -1), "cannot add an extension");
}

// A new certificate with a random positive 127-bit serial, for `key`, valid from five minutes ago
// (tolerating clock skew) for `valid_days`.
X509Ptr NewCertificate(EVP_PKEY* key, int valid_days) {
  X509Ptr cert(X509_new());
  Check(X509_set_version(cert.get(), 2), "cannot set the version");
  BignumPtr serial(BN_new());
  Check(BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY), "cannot draw a serial");
  if (BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr) {
    Fail("cannot set the serial");
  }
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -300);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(valid_days) * 86400L);
  Check(X509_set_pubkey(cert.get(), key), "cannot set the public key");
  return cert;
}

std::string SerialHex(X509* cert) {
  BignumPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  if (!bn) {
    Fail("cannot read the serial");
  }
  char* hex = BN_bn2hex(bn.get());
  std::string out(hex);
  OPENSSL_free(hex);
  // BN_bn2hex prints whole bytes; the canonical form has no leading zeros.
  out.erase(0, std::min(out.find_first_not_of('0'), out.size() - 1));
  return out;
}

std::string NameField(X509_NAME* name, int nid) {
  const int index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0) {
    return {};
  }
  unsigned char* utf8 = nullptr;
  const int length =
      ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index)));
  if (length < 0) {
    Fail("cannot read a subject field");
  }
  std::string out(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(length));
  OPENSSL_free(utf8);
  return out;
}

std::chrono::system_clock::time_point ToTimePoint(const ASN1_TIME* time) {
  using Clock = std::chrono::system_clock;
  std::tm tm{};
  Check(ASN1_TIME_to_tm(time, &tm), "cannot read a validity date");
  const std::time_t seconds = timegm(&tm);
  // The clock counts nanoseconds, so it ends in the year 2262; a later date (RFC 5280's
  // 99991231235959Z, "no well-defined expiry") is the latest time it can hold. Found by
  // fuzz_certificate: from_time_t overflowed.
  const auto limit =
      std::chrono::duration_cast<std::chrono::seconds>(Clock::duration::max()).count();
  if (seconds >= limit) {
    return Clock::time_point::max();
  }
  if (seconds <= -limit) {
    return Clock::time_point::min();
  }
  return Clock::from_time_t(seconds);
}

}  // namespace

KeyAndCertificate CreateCertificateAuthority(const std::string& name, int valid_days) {
  auto key = GenerateKey();
  auto cert = NewCertificate(key.get(), valid_days);
  X509_NAME* subject = X509_get_subject_name(cert.get());
  AddNameEntry(subject, "CN", name);
  AddNameEntry(subject, "O", "Regie deployment CA");
  Check(X509_set_issuer_name(cert.get(), subject), "cannot set the issuer");
  AddExtension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
  AddExtension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  AddExtension(cert.get(), cert.get(), NID_subject_key_identifier, "hash");
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
    Fail("cannot sign the CA certificate");
  }
  return {KeyToPem(key.get()), CertificateToPem(cert.get())};
}

IssuedCertificate IssueCertificate(const KeyAndCertificate& ca, const CertificateSpec& spec) {
  auto ca_key = ReadKey(ca.key_pem);
  auto ca_cert = ReadCertificate(ca.certificate_pem);
  auto key = GenerateKey();
  auto cert = NewCertificate(key.get(), spec.valid_days);
  X509_NAME* subject = X509_get_subject_name(cert.get());
  AddNameEntry(subject, "O", spec.organisation);
  AddNameEntry(subject, "OU", spec.organisational_unit);
  AddNameEntry(subject, "CN", spec.common_name);
  Check(X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert.get())),
        "cannot set the issuer");
  AddExtension(cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  AddExtension(cert.get(), ca_cert.get(), NID_key_usage, "critical,digitalSignature");
  AddExtension(cert.get(), ca_cert.get(), NID_ext_key_usage,
               spec.server ? "serverAuth,clientAuth" : "clientAuth");
  AddExtension(cert.get(), ca_cert.get(), NID_subject_key_identifier, "hash");
  AddExtension(cert.get(), ca_cert.get(), NID_authority_key_identifier, "keyid:always");
  std::string alt_names;
  for (const auto& dns : spec.dns_names) {
    alt_names += (alt_names.empty() ? "DNS:" : ",DNS:") + dns;
  }
  for (const auto& ip : spec.ip_addresses) {
    alt_names += (alt_names.empty() ? "IP:" : ",IP:") + ip;
  }
  if (!alt_names.empty()) {
    AddExtension(cert.get(), ca_cert.get(), NID_subject_alt_name, alt_names);
  }
  if (X509_sign(cert.get(), ca_key.get(), EVP_sha256()) == 0) {
    Fail("cannot sign the certificate");
  }
  return {{KeyToPem(key.get()), CertificateToPem(cert.get())}, SerialHex(cert.get())};
}

namespace {

CertificateInfo ReadCertificateInfo(X509* cert) {
  CertificateInfo info;
  X509_NAME* subject = X509_get_subject_name(cert);
  info.common_name = NameField(subject, NID_commonName);
  info.organisation = NameField(subject, NID_organizationName);
  info.organisational_unit = NameField(subject, NID_organizationalUnitName);
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (X509_NAME_print_ex(bio.get(), subject, 0, XN_FLAG_RFC2253) < 0) {
    Fail("cannot print the subject");
  }
  info.subject = DrainBio(bio.get());
  info.serial_hex = SerialHex(cert);
  info.not_before = ToTimePoint(X509_get0_notBefore(cert));
  info.not_after = ToTimePoint(X509_get0_notAfter(cert));
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(X509_get0_pubkey(cert), &der);
  if (length <= 0) {
    Fail("cannot encode the public key");
  }
  info.public_key_der.assign(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  unsigned char fingerprint[EVP_MAX_MD_SIZE];
  unsigned int fingerprint_length = 0;
  if (X509_digest(cert, EVP_sha256(), fingerprint, &fingerprint_length) == 0) {
    Fail("cannot compute the certificate's fingerprint");
  }
  info.sha256_fingerprint.assign(reinterpret_cast<char*>(fingerprint), fingerprint_length);
  return info;
}

// A certificate read once: what ParseCertificate returns, and its public key for verifying.
struct ParsedCertificate {
  CertificateInfo info;
  KeyPtr public_key;
};

// Certificates by their PEM text. The server reads the caller's certificate on every call, and a
// report's signer certificate again to verify it; OpenSSL 3's decoders take about 0.3 ms for each
// read (docs/performance.md). The text determines everything read from it, so an entry never
// goes stale; the cache is bounded and starts afresh when full.
class CertificateCache {
 public:
  std::shared_ptr<const ParsedCertificate> Get(std::string_view pem) {
    {
      std::shared_lock lock(mutex_);
      if (const auto found = entries_.find(std::string(pem)); found != entries_.end()) {
        return found->second;
      }
    }
    auto cert = ReadCertificate(pem);
    auto parsed = std::make_shared<ParsedCertificate>();
    parsed->info = ReadCertificateInfo(cert.get());
    parsed->public_key.reset(X509_get_pubkey(cert.get()));
    if (!parsed->public_key) {
      Fail("cannot read the certificate's public key");
    }
    std::unique_lock lock(mutex_);
    if (entries_.size() >= kCapacity) {
      entries_.clear();
    }
    entries_.emplace(std::string(pem), parsed);
    return parsed;
  }

 private:
  static constexpr std::size_t kCapacity = 4096;
  std::shared_mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const ParsedCertificate>> entries_;
};

// Never destroyed: its keys must not be freed after OpenSSL's own clean-up at exit.
CertificateCache& Certificates() {
  static auto* cache = new CertificateCache();
  return *cache;
}

}  // namespace

CertificateInfo ParseCertificate(std::string_view pem) { return Certificates().Get(pem)->info; }

bool VerifyIssuedBy(std::string_view certificate_pem, std::string_view ca_pem, std::string& why,
                    bool ignore_validity_period) {
  X509Ptr cert;
  X509Ptr ca;
  try {
    cert = ReadCertificate(certificate_pem);
    ca = ReadCertificate(ca_pem);
  } catch (const PkiError& e) {
    why = e.what();
    return false;
  }
  StorePtr store(X509_STORE_new());
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!store || !ctx || X509_STORE_add_cert(store.get(), ca.get()) != 1 ||
      X509_STORE_CTX_init(ctx.get(), store.get(), cert.get(), nullptr) != 1) {
    Fail("cannot set up certificate verification");
  }
  if (ignore_validity_period) {
    X509_STORE_CTX_set_flags(ctx.get(), X509_V_FLAG_NO_CHECK_TIME);
  }
  if (X509_verify_cert(ctx.get()) != 1) {
    why = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
    return false;
  }
  return true;
}

bool KeyMatchesCertificate(std::string_view key_pem, std::string_view certificate_pem) {
  auto key = ReadKey(key_pem);
  auto cert = ReadCertificate(certificate_pem);
  return EVP_PKEY_eq(key.get(), X509_get0_pubkey(cert.get())) == 1;
}

std::string SignSha256(std::string_view key_pem, std::string_view data) {
  return SigningKey(key_pem).SignSha256(data);
}

SigningKey::SigningKey(std::string_view key_pem)
    : key_(ReadKey(key_pem).release(), EVP_PKEY_free) {}

std::string SigningKey::SignSha256(std::string_view data) const {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  Check(EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()),
        "cannot start signing");
  std::size_t length = 0;
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  Check(EVP_DigestSign(ctx.get(), nullptr, &length, bytes, data.size()), "cannot size signature");
  std::string signature(length, '\0');
  Check(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                       bytes, data.size()),
        "cannot sign");
  signature.resize(length);
  return signature;
}

bool VerifySha256(std::string_view certificate_pem, std::string_view data,
                  std::string_view signature) {
  const auto certificate = Certificates().Get(certificate_pem);
  MdCtxPtr ctx(EVP_MD_CTX_new());
  Check(EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr,
                             certificate->public_key.get()),
        "cannot start verifying");
  const int result = EVP_DigestVerify(
      ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
      reinterpret_cast<const unsigned char*>(data.data()), data.size());
  ERR_clear_error();  // a bad signature leaves an error on the queue
  return result == 1;
}

}  // namespace regie::auth
