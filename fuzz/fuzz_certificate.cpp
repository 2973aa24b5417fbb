// Hostile certificates and signatures: any bytes given as a PEM certificate are read or refused
// with PkiError; a principal is made from a readable one or refused with an Error; checking an
// issuer or a report signature with it answers true or false; none of it crashes or leaks.

#include <cstddef>
#include <cstdint>
#include <string>

#include "auth/principal.hpp"
#include "error.hpp"
#include "fuzz_support.hpp"
#include "report_signing.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace regie;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto certificate = auth::ParseCertificate(text);
    try {
      auth::PrincipalFromCertificate(certificate);
    } catch (const Error&) {
    }
  } catch (const auth::PkiError&) {
  }
  try {
    std::string why;
    if (auth::VerifyIssuedBy(text, fuzz::TestKey().certificate_pem, why)) {
      // Only the CA's own certificate is issued by it among inputs nobody else signed.
      fuzz::Require(text == fuzz::TestKey().certificate_pem, "a stranger's certificate verified");
    }
  } catch (const auth::PkiError&) {
  }
  try {
    // The input as the signature over fixed bytes: a random signature never verifies.
    fuzz::Require(!reports::VerifyCanonicalSignature(fuzz::TestKey().certificate_pem,
                                                     reports::kCanonicalPrefix, text),
                  "a signature made of fuzz input verified");
  } catch (const auth::PkiError&) {
  }
  return 0;
}
