#pragma once

// The rules of providers and their evidence, without gRPC or a database: identifiers (KvK, AGB,
// postcode), the validation of a registration and of evidence, and when evidence is valid.

#include <chrono>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.hpp"
#include "covenant_rules.hpp"
#include "error.hpp"
#include "regie/providers/v1/providers.pb.h"

namespace regie::providers {

// KvK number (Kamer van Koophandel): exactly 8 digits.
bool IsKvkNumber(std::string_view text);
// AGB code (Vektis): exactly 8 digits.
bool IsAgbCode(std::string_view text);
// Dutch postcode: "2201 AB" or "2201AB"; four digits not starting with 0, two capital letters,
// never SA, SD or SS.
bool IsPostalCode(std::string_view text);
// Something@something.tld without spaces, at most 254 characters.
bool IsEmailAddress(std::string_view text);
// An evidence id: 1-63 characters of a-z, 0-9 and '-', starting with a letter.
bool IsEvidenceId(std::string_view id);

std::string ProviderName(const std::string& kvk);
// The KvK number of a valid `providers/{kvk}` name (as the server writes them).
std::string KvkOf(const std::string& provider_name);
// The KvK number in `providers/{kvk}`; adds a violation of `field` otherwise.
std::string ParseProviderName(const std::string& name, Validation& validation,
                              const std::string& field);
std::string EvidenceName(const std::string& kvk, const std::string& evidence_id);
// (kvk, evidence id) of `providers/{kvk}/evidence/{id}`, or empty strings and a violation.
std::pair<std::string, std::string> ParseEvidenceName(const std::string& name,
                                                      Validation& validation,
                                                      const std::string& field);

// Checks every input field of a registration under `prefix` ("provider"): KvK and AGB format,
// texts, addresses, contacts, relations (not to itself, each provider once), working area.
void ValidateProvider(const v1::Provider& provider, Validation& validation,
                      const std::string& prefix);

// Checks an evidence revision under `prefix` ("evidence"): kind, title, dates ordered and the
// issue date not after `today`, the hash.
void ValidateEvidence(const v1::Evidence& evidence, std::chrono::sys_days today,
                      Validation& validation, const std::string& prefix);

// Whether evidence is valid on `day`: issued on or before it, and not yet expired (the expiry
// date is the first day it is no longer valid).
bool ValidOn(const v1::Evidence& evidence, std::chrono::sys_days day);

// The kinds of which some evidence is valid on `day`.
std::set<int> ValidKinds(const std::vector<v1::Evidence>& evidence, std::chrono::sys_days day);

// A provider's own data may be changed only by that provider's users; PERMISSION_DENIED
// (NOT_YOUR_ORGANISATION) otherwise.
void RequireOwnProvider(const auth::Principal& principal, const std::string& kvk);

// Who reads a provider's applications and participations in a covenant: the provider itself, the
// covenant's managers and auditors whose scope includes one of its municipalities.
bool CanReadAdmission(const auth::Principal& principal, const covenants::Participants& participants,
                      const std::string& kvk);

// The provider filter of a list of a covenant's `what` (e.g. "settlements"): a provider lists its
// own (PERMISSION_DENIED NOT_YOUR_ORGANISATION when it asks for another's), the covenant's
// managers and auditors in scope list `requested_kvk` or every provider (""), anyone else is
// refused (NOT_A_COVENANT_READER).
std::string ListFilterKvk(const auth::Principal& principal,
                          const covenants::Participants& participants,
                          const std::string& requested_kvk, const std::string& what);

// Providers read only their own data; other roles read every provider.
bool CanReadProvider(const auth::Principal& principal, const std::string& kvk);

}  // namespace regie::providers
