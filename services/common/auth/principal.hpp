#pragma once

// Who is calling: read from the verified client certificate and nothing else
// (docs/adr/0004-access-model.md).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/pki.hpp"

namespace regie::auth {

enum class Role {
  kProcurement,  // municipal procurement staff (inkoop); org = municipality code or region
  kProvider,     // care provider (zorgaanbieder); org = KvK number
  kAuditor,      // accountant; org = comma-separated municipality codes in scope
  kAdmin,        // operates the deployment
};

inline constexpr Role kAllRoles[] = {Role::kProcurement, Role::kProvider, Role::kAuditor,
                                     Role::kAdmin};

// "procurement", "provider", "auditor", "admin".
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

// Checks that `organisation` is well formed for `role`. Returns an empty string when it is,
// otherwise what is wrong (for a person, without the field name).
std::string CheckOrganisation(Role role, std::string_view organisation);

// Checks a person's name for a certificate: non-empty, at most 128 characters, no control
// characters. Returns an empty string when fine.
std::string CheckDisplayName(std::string_view name);

struct Principal {
  std::string display_name;
  Role role = Role::kAdmin;
  std::string organisation;
  std::vector<std::string> scope;  // auditor: municipality codes; empty otherwise
  std::string certificate_serial;  // upper-case hex
  std::string subject;             // RFC 2253
  std::chrono::system_clock::time_point certificate_not_after;
  // The certificate itself (PEM) and its SHA-256 fingerprint (32 raw bytes), for checking what
  // the caller signed (report signatures) and recording which certificate signed it.
  std::string certificate_pem;
  std::string certificate_fingerprint;
};

// The principal a certificate names. Throws Error(UNAUTHENTICATED, INVALID_CERTIFICATE_SUBJECT)
// when the subject names no valid role or organisation.
Principal PrincipalFromCertificate(const CertificateInfo& certificate);

}  // namespace regie::auth
