#pragma once

// Shared by the fuzz targets: a property that must hold, and a key pair made once per process.

#include <string_view>

#include "auth/pki.hpp"

namespace regie::fuzz {

// Aborts with `what` on standard error when `holds` is false: libFuzzer then keeps the input.
void Require(bool holds, std::string_view what);

// A CA certificate and key, made at the first call.
const auth::KeyAndCertificate& TestKey();

}  // namespace regie::fuzz
