#pragma once

// What a provider signs when it submits a report, shared by the server and `regie`
// (docs/adr/0009): the canonical bytes of a ReportContent, and signing and checking them.

#include <string>
#include <string_view>

#include "auth/pki.hpp"
#include "regie/reports/v1/reports.pb.h"

namespace regie::reports {

// The fixed prefix of the canonical bytes: it ties a signature to this purpose and layout.
inline constexpr std::string_view kCanonicalPrefix = "regie.reports.v1.ReportContent/1\n";

// `content` in canonical order: lines by municipality then lot, each line's amounts by product
// code and indicators by name. Equal contents give equal results whatever order they came in.
v1::ReportContent Canonical(v1::ReportContent content);

// kCanonicalPrefix followed by the deterministic protobuf serialization of Canonical(content).
std::string CanonicalReportBytes(const v1::ReportContent& content);

// The same bytes for content that is in canonical order already (the result of Canonical()),
// without sorting it again: what the server signs, digests and checks, computed once.
std::string SerializeCanonical(const v1::ReportContent& canonical);

// ECDSA/SHA-256 signature (DER) of CanonicalReportBytes(content) with the private key `key_pem`.
std::string SignReport(std::string_view key_pem, const v1::ReportContent& content);
// The same with a key read once, for a client that signs many reports.
std::string SignReport(const auth::SigningKey& key, const v1::ReportContent& content);

// True when `signature` over CanonicalReportBytes(content) verifies with `certificate_pem`'s key.
bool VerifyReportSignature(std::string_view certificate_pem, const v1::ReportContent& content,
                           std::string_view signature);

// True when `signature` over `canonical_bytes` (SerializeCanonical) verifies with
// `certificate_pem`'s key.
bool VerifyCanonicalSignature(std::string_view certificate_pem, std::string_view canonical_bytes,
                              std::string_view signature);

// What `regie report verify` found about a stored report version.
struct StoredReportCheck {
  bool ok = false;
  std::string failure;  // what failed, for people; empty when ok
  std::string signer;   // the signing certificate's subject
};

// Checks a stored version offline: its certificate has the stored fingerprint, was issued by
// `trusted_ca_pem` (expired since is fine: it was valid when the server accepted it), names the
// report's provider, and its key verifies the signature over the canonical bytes of the content.
StoredReportCheck CheckStoredReport(const v1::Report& report, std::string_view trusted_ca_pem);

}  // namespace regie::reports
