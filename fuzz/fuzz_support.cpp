#include "fuzz_support.hpp"

#include <cstdio>
#include <cstdlib>

namespace regie::fuzz {

void Require(bool holds, std::string_view what) {
  if (!holds) {
    std::fprintf(stderr, "property broken: %.*s\n", static_cast<int>(what.size()), what.data());
    std::abort();
  }
}

const auth::KeyAndCertificate& TestKey() {
  static const auto key = auth::CreateCertificateAuthority("Regie fuzz CA", 30);
  return key;
}

}  // namespace regie::fuzz
