#include "auth/principal.hpp"

#include <algorithm>
#include <set>

#include "error.hpp"
#include "names.hpp"

namespace regie::auth {
namespace {

bool AllDigits(std::string_view s, std::size_t length) {
  return s.size() == length &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string> SplitComma(std::string_view s) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto comma = s.find(',', start);
    parts.emplace_back(s.substr(start, comma - start));
    if (comma == std::string_view::npos) {
      return parts;
    }
    start = comma + 1;
  }
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kProcurement:
      return "procurement";
    case Role::kProvider:
      return "provider";
    case Role::kAuditor:
      return "auditor";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role role : kAllRoles) {
    if (RoleName(role) == name) {
      return role;
    }
  }
  return std::nullopt;
}

std::string CheckOrganisation(Role role, std::string_view organisation) {
  switch (role) {
    case Role::kProcurement: {
      constexpr std::string_view kRegion = "region:";
      const bool region = organisation.substr(0, kRegion.size()) == kRegion &&
                          IsRegionId(organisation.substr(kRegion.size()));
      if (IsMunicipalityCode(organisation) || region) {
        return {};
      }
      return "must be a 4-digit CBS municipality code (e.g. 9901) or region:<slug> "
             "(e.g. region:duinstreek)";
    }
    case Role::kProvider:
      return AllDigits(organisation, 8) ? "" : "must be an 8-digit KvK number";
    case Role::kAuditor: {
      const auto codes = SplitComma(organisation);
      std::set<std::string> seen;
      for (const auto& code : codes) {
        if (!IsMunicipalityCode(code) || !seen.insert(code).second) {
          return "must be a comma-separated list of distinct 4-digit municipality codes "
                 "(e.g. 9901,9902)";
        }
      }
      return {};
    }
    case Role::kAdmin: {
      const bool ok = !organisation.empty() && organisation.size() <= 64 &&
                      std::all_of(organisation.begin(), organisation.end(), [](char c) {
                        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                               (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
                               c == ' ';
                      });
      return ok ? "" : "must be 1-64 characters of letters, digits, space, '.', '-' or '_'";
    }
  }
  return "unknown role";
}

std::string CheckDisplayName(std::string_view name) { return CheckText(name, 128); }

Principal PrincipalFromCertificate(const CertificateInfo& certificate) {
  const auto role = ParseRole(certificate.organisational_unit);
  if (!role) {
    throw Error::Unauthenticated(
        "INVALID_CERTIFICATE_SUBJECT",
        "the client certificate names no Regie role (OU=" + certificate.organisational_unit + ")");
  }
  if (const auto problem = CheckOrganisation(*role, certificate.organisation); !problem.empty()) {
    throw Error::Unauthenticated("INVALID_CERTIFICATE_SUBJECT",
                                 "the client certificate's organisation (O) " + problem);
  }
  if (const auto problem = CheckDisplayName(certificate.common_name); !problem.empty()) {
    throw Error::Unauthenticated("INVALID_CERTIFICATE_SUBJECT",
                                 "the client certificate's name (CN) " + problem);
  }
  Principal principal;
  principal.display_name = certificate.common_name;
  principal.role = *role;
  principal.organisation = certificate.organisation;
  if (*role == Role::kAuditor) {
    principal.scope = SplitComma(certificate.organisation);
  }
  principal.certificate_serial = certificate.serial_hex;
  principal.subject = certificate.subject;
  principal.certificate_not_after = certificate.not_after;
  principal.certificate_fingerprint = certificate.sha256_fingerprint;
  return principal;
}

}  // namespace regie::auth
