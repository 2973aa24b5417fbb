#pragma once

// The rules of the consultation table (overlegtafel) and of amendments, without gRPC or a
// database: what a meeting and a proposal must contain, and what an amendment does to the terms.

#include <chrono>
#include <string>
#include <string_view>

#include "covenant_rules.hpp"
#include "regie/covenants/v1/consultation.pb.h"

namespace regie::covenants {

// Meetings may be scheduled and amendments proposed and adopted while a covenant runs:
// published, active or extended.
void RequireRunning(CovenantState state, std::string_view what);

// A meeting's or amendment's number in its name: 1-9 digits, not starting with 0.
bool IsItemNumber(std::string_view id);

// The fields of a meeting to schedule (`meeting_date` on or after `today`, location, agenda),
// named under "meeting".
void ValidateNewMeeting(const v1::Meeting& meeting, std::chrono::sys_days today, Validation& v);
// Minutes (1-20000 characters) and decisions (at most 50, each 1-1000).
void ValidateMinutes(const std::string& minutes,
                     const google::protobuf::RepeatedPtrField<std::string>& decisions,
                     Validation& v);

// The fields of a proposal (title, rationale, effective_date, one change), named under
// "amendment"; agreements of an agreement_change must belong to `covenant_id`. Whether the change
// fits the terms is ApplyAmendment's to say.
void ValidateProposal(const std::string& covenant_id, const v1::Amendment& amendment,
                      Validation& v);

// The terms after `amendment` is applied to `base`, with server fields set relative to `base`.
// Throws INVALID_ARGUMENT naming the fields under "amendment" when the result would not be valid
// terms, would change the term's start date, or an indexation changes no tariff. An
// agreement_change leaves the terms as they are; its agreements must name lots of `base`.
v1::CovenantTerms ApplyAmendment(const v1::CovenantTerms& base, const v1::Amendment& amendment);

// Throws FAILED_PRECONDITION (EFFECTIVE_DATE) unless `effective` is on or after `today` and the
// newest version's effective date, and not after the term ends.
void CheckEffectiveDate(std::chrono::sys_days effective, std::chrono::sys_days today,
                        std::chrono::sys_days newest_from, std::chrono::sys_days term_end);

}  // namespace regie::covenants
