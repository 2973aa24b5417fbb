#include "provider_rules.hpp"

#include <algorithm>
#include <cctype>

#include "covenant_rules.hpp"
#include "deadlines.hpp"
#include "names.hpp"

namespace regie::providers {
namespace {

bool AllDigits(std::string_view text, std::size_t size) {
  return text.size() == size &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string At(const std::string& prefix, std::string_view list, int index) {
  return prefix + "." + std::string(list) + "[" + std::to_string(index) + "]";
}

void ValidateAddress(const v1::Address& a, Validation& v, const std::string& field) {
  CheckText(a.street(), 200, v, field + ".street");
  CheckText(a.house_number(), 20, v, field + ".house_number");
  if (!IsPostalCode(a.postal_code())) {
    v.Add(field + ".postal_code", "must be a Dutch postcode such as \"2201 AB\"");
  }
  CheckText(a.city(), 200, v, field + ".city");
  if (!a.municipality().empty()) {
    const auto code = ResourceId(a.municipality(), "municipalities");
    if (!code || !IsMunicipalityCode(*code)) {
      v.Add(field + ".municipality", "must be municipalities/{4-digit CBS code}, or empty");
    }
  }
}

void ValidateContact(const v1::ContactPerson& c, Validation& v, const std::string& field) {
  CheckText(c.full_name(), 200, v, field + ".full_name");
  CheckText(c.role(), 200, v, field + ".role");
  if (!IsEmailAddress(c.email())) {
    v.Add(field + ".email", "must be an e-mail address");
  }
  const bool phone_ok =
      c.phone().size() <= 30 && std::all_of(c.phone().begin(), c.phone().end(), [](char ch) {
        return (ch >= '0' && ch <= '9') || ch == ' ' || ch == '+' || ch == '-';
      });
  if (!phone_ok) {
    v.Add(field + ".phone", "may hold only digits, spaces, '+' and '-', at most 30 characters");
  }
}

}  // namespace

bool IsKvkNumber(std::string_view text) { return AllDigits(text, 8); }
bool IsAgbCode(std::string_view text) { return AllDigits(text, 8); }

bool IsPostalCode(std::string_view text) {
  std::string compact(text);
  if (compact.size() == 7 && compact[4] == ' ') {
    compact.erase(4, 1);
  }
  if (compact.size() != 6 || compact[0] == '0' || !AllDigits(compact.substr(0, 4), 4)) {
    return false;
  }
  const auto letters = compact.substr(4);
  if (!std::all_of(letters.begin(), letters.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return false;
  }
  return letters != "SA" && letters != "SD" && letters != "SS";
}

bool IsEmailAddress(std::string_view text) {
  const auto at = text.find('@');
  if (text.size() > 254 || at == std::string_view::npos || at == 0 ||
      text.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const auto domain = text.substr(at + 1);
  const auto dot = domain.rfind('.');
  return dot != std::string_view::npos && dot > 0 && dot + 1 < domain.size() &&
         std::none_of(text.begin(), text.end(), [](unsigned char c) { return c <= ' '; });
}

bool IsEvidenceId(std::string_view id) { return covenants::IsCovenantId(id); }

std::string ProviderName(const std::string& kvk) { return "providers/" + kvk; }

std::string KvkOf(const std::string& provider_name) {
  return ResourceId(provider_name, "providers").value_or("");
}

std::string ParseProviderName(const std::string& name, Validation& validation,
                              const std::string& field) {
  const auto kvk = ResourceId(name, "providers");
  if (!kvk || !IsKvkNumber(*kvk)) {
    validation.Add(field, "must be providers/{KvK number of 8 digits}");
    return {};
  }
  return *kvk;
}

std::string EvidenceName(const std::string& kvk, const std::string& evidence_id) {
  return ProviderName(kvk) + "/evidence/" + evidence_id;
}

std::pair<std::string, std::string> ParseEvidenceName(const std::string& name,
                                                      Validation& validation,
                                                      const std::string& field) {
  constexpr std::string_view kPrefix = "providers/";
  constexpr std::string_view kMiddle = "/evidence/";
  if (name.rfind(kPrefix, 0) == 0 && name.size() > kPrefix.size() + 8 + kMiddle.size()) {
    const auto kvk = name.substr(kPrefix.size(), 8);
    const auto id = name.substr(kPrefix.size() + 8 + kMiddle.size());
    if (IsKvkNumber(kvk) && name.compare(kPrefix.size() + 8, kMiddle.size(), kMiddle) == 0 &&
        IsEvidenceId(id)) {
      return {kvk, id};
    }
  }
  validation.Add(field, "must be providers/{kvk}/evidence/{id}");
  return {};
}

void ValidateProvider(const v1::Provider& p, Validation& v, const std::string& prefix) {
  if (!IsKvkNumber(p.kvk_number())) {
    v.Add(prefix + ".kvk_number", "must be a KvK number of 8 digits");
  }
  CheckText(p.display_name(), 200, v, prefix + ".display_name");
  if (p.legal_form() == v1::LEGAL_FORM_UNSPECIFIED) {
    v.Add(prefix + ".legal_form", "is required");
  }
  if (p.agb_codes_size() > 20) {
    v.Add(prefix + ".agb_codes", "at most 20");
  }
  std::set<std::string> seen;
  for (int i = 0; i < p.agb_codes_size(); ++i) {
    if (!IsAgbCode(p.agb_codes(i))) {
      v.Add(At(prefix, "agb_codes", i), "must be an AGB code of 8 digits");
    } else if (!seen.insert(p.agb_codes(i)).second) {
      v.Add(At(prefix, "agb_codes", i), "appears twice");
    }
  }
  if (p.addresses_size() < 1 || p.addresses_size() > 50) {
    v.Add(prefix + ".addresses", "must hold 1-50 addresses; the first is the registered office");
  }
  for (int i = 0; i < p.addresses_size() && i < 50; ++i) {
    ValidateAddress(p.addresses(i), v, At(prefix, "addresses", i));
  }
  if (p.contacts_size() < 1 || p.contacts_size() > 20) {
    v.Add(prefix + ".contacts", "must hold 1-20 contact persons");
  }
  for (int i = 0; i < p.contacts_size() && i < 20; ++i) {
    ValidateContact(p.contacts(i), v, At(prefix, "contacts", i));
  }
  if (p.relations_size() > 50) {
    v.Add(prefix + ".relations", "at most 50");
  }
  seen.clear();
  for (int i = 0; i < p.relations_size() && i < 50; ++i) {
    const auto& r = p.relations(i);
    const auto field = At(prefix, "relations", i);
    if (r.kind() == v1::ContractorRelation::KIND_UNSPECIFIED) {
      v.Add(field + ".kind", "must be MAIN_CONTRACTOR_OF or SUBCONTRACTOR_OF");
    }
    const auto other = ParseProviderName(r.provider(), v, field + ".provider");
    if (!other.empty() && other == p.kvk_number()) {
      v.Add(field + ".provider", "cannot be the provider itself");
    } else if (!other.empty() && !seen.insert(other).second) {
      v.Add(field + ".provider", "appears twice");
    }
  }
  seen.clear();
  for (int i = 0; i < p.working_area_size(); ++i) {
    const auto code = ResourceId(p.working_area(i), "municipalities");
    if (!code || !IsMunicipalityCode(*code)) {
      v.Add(At(prefix, "working_area", i), "must be municipalities/{4-digit CBS code}");
    } else if (!seen.insert(*code).second) {
      v.Add(At(prefix, "working_area", i), "appears twice");
    }
  }
}

void ValidateEvidence(const v1::Evidence& e, std::chrono::sys_days today, Validation& v,
                      const std::string& prefix) {
  if (e.kind() == covenants::v1::EVIDENCE_KIND_UNSPECIFIED) {
    v.Add(prefix + ".kind", "is required, e.g. EVIDENCE_KIND_CERTIFICATE_OF_CONDUCT");
  }
  CheckText(e.title(), 200, v, prefix + ".title");
  const bool issued = covenants::IsValidDate(e.issue_date());
  if (!issued) {
    v.Add(prefix + ".issue_date", "must be a calendar date");
  } else if (covenants::ToDays(e.issue_date()) > today) {
    v.Add(prefix + ".issue_date", "cannot be after today");
  }
  if (e.has_expiry_date()) {
    if (!covenants::IsValidDate(e.expiry_date())) {
      v.Add(prefix + ".expiry_date", "must be a calendar date, or unset when it does not expire");
    } else if (issued && covenants::ToDays(e.expiry_date()) <= covenants::ToDays(e.issue_date())) {
      v.Add(prefix + ".expiry_date", "must be after the issue date");
    }
  }
  if (!IsSha256Hex(e.sha256())) {
    v.Add(prefix + ".sha256", "must be the SHA-256 of the content in 64 lowercase hex digits");
  }
}

bool ValidOn(const v1::Evidence& e, std::chrono::sys_days day) {
  return covenants::ToDays(e.issue_date()) <= day &&
         (!e.has_expiry_date() || day < covenants::ToDays(e.expiry_date()));
}

std::set<int> ValidKinds(const std::vector<v1::Evidence>& evidence, std::chrono::sys_days day) {
  std::set<int> kinds;
  for (const auto& e : evidence) {
    if (ValidOn(e, day)) {
      kinds.insert(e.kind());
    }
  }
  return kinds;
}

void RequireOwnProvider(const auth::Principal& principal, const std::string& kvk) {
  if (principal.role != auth::Role::kProvider || principal.organisation != kvk) {
    throw Error::PermissionDenied("NOT_YOUR_ORGANISATION",
                                  "only users of " + ProviderName(kvk) + " may change its data");
  }
}

std::string ListFilterKvk(const auth::Principal& principal,
                          const covenants::Participants& participants,
                          const std::string& requested_kvk, const std::string& what) {
  if (principal.role == auth::Role::kProvider) {
    if (!requested_kvk.empty() && requested_kvk != principal.organisation) {
      throw Error::PermissionDenied("NOT_YOUR_ORGANISATION",
                                    "a provider lists only its own " + what);
    }
    return principal.organisation;
  }
  if (!CanReadAdmission(principal, participants, "")) {
    throw Error::PermissionDenied("NOT_A_COVENANT_READER",
                                  "only the covenant's managers and auditors list its " + what);
  }
  return requested_kvk;
}

bool CanReadAdmission(const auth::Principal& principal, const covenants::Participants& participants,
                      const std::string& kvk) {
  switch (principal.role) {
    case auth::Role::kProvider:
      return principal.organisation == kvk;
    case auth::Role::kProcurement:
      return covenants::CanManage(principal, participants);
    case auth::Role::kAuditor:
      return covenants::AuditsAny(principal, participants);
    case auth::Role::kAdmin:
      return false;
  }
  return false;
}

bool CanReadProvider(const auth::Principal& principal, const std::string& kvk) {
  return principal.role != auth::Role::kProvider || principal.organisation == kvk;
}

}  // namespace regie::providers
