#pragma once

// The rules of a covenant, without gRPC or a database: its lifecycle, who may see and manage it,
// and the validation of its terms. Operates on the protobuf messages of the API (the terms are
// stored in their JSON mapping, docs/adr/0005).

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/principal.hpp"
#include "error.hpp"
#include "regie/covenants/v1/covenants.pb.h"

namespace regie::covenants {

enum class CovenantState { kDraft, kPublished, kActive, kExtended, kEnded, kTerminated };
enum class Transition { kPublish, kActivate, kExtend, kEnd, kTerminate };

inline constexpr CovenantState kAllStates[] = {CovenantState::kDraft,  CovenantState::kPublished,
                                               CovenantState::kActive, CovenantState::kExtended,
                                               CovenantState::kEnded,  CovenantState::kTerminated};
inline constexpr Transition kAllTransitions[] = {Transition::kPublish, Transition::kActivate,
                                                 Transition::kExtend, Transition::kEnd,
                                                 Transition::kTerminate};

// "draft", "published", ... as stored.
std::string_view StateName(CovenantState state);
std::optional<CovenantState> ParseState(std::string_view name);
std::string_view TransitionName(Transition transition);
v1::Covenant::State ToProto(CovenantState state);
std::optional<CovenantState> FromProto(v1::Covenant::State state);

// The state after `transition` from `from`:
//   publish:   draft -> published
//   activate:  published -> active (the term's start date has come)
//   extend:    active or extended -> extended (within the options)
//   end:       active or extended -> ended (the term is over)
//   terminate: published, active or extended -> terminated
// Anything else throws FAILED_PRECONDITION (reason COVENANT_STATE) naming the current state.
CovenantState ApplyTransition(CovenantState from, Transition transition);

// Throws FAILED_PRECONDITION (COVENANT_STATE) unless the covenant is a draft.
void RequireDraft(CovenantState state);

// Who takes part: municipality codes and the region id ("" for none).
struct Participants {
  std::vector<std::string> municipalities;
  std::string region_id;
};

// Procurement staff of a participating municipality, or of the covenant's region.
bool CanManage(const auth::Principal& principal, const Participants& participants);

// An auditor whose scope includes one of the municipalities.
bool AuditsAny(const auth::Principal& principal, const Participants& participants);

// Drafts are seen by their managers and by auditors whose scope includes one of the
// municipalities; published covenants by everyone.
bool CanSee(const auth::Principal& principal, CovenantState state,
            const Participants& participants);

// For lists: the drafts a principal may see are those of these municipalities or this region.
Participants DraftVisibility(const auth::Principal& principal);

// One version of the terms as stored, with the fields copied out for lists (docs/adr/0005).
struct TermsRow {
  std::string terms_json;                // protobuf JSON mapping of CovenantTerms
  std::vector<std::string> legal_bases;  // enum value names
  Participants participants;
  std::string start_date;  // ISO dates
  std::string end_date;
};

// The stored form of valid terms.
TermsRow MakeTermsRow(const v1::CovenantTerms& terms);
std::string TermsToJson(const v1::CovenantTerms& terms);
// Throws std::runtime_error when the stored JSON is not CovenantTerms.
v1::CovenantTerms TermsFromJson(const std::string& json);
// The same, shared: each distinct text is parsed once per process (a bounded cache). Parsing JSON
// was a fifth of a report submission's server time, and a version's terms never change.
std::shared_ptr<const v1::CovenantTerms> SharedTermsFromJson(const std::string& json);

// A field that differs between two term documents (protobuf JSON mapping).
struct FieldDiff {
  std::string field;   // "terms.term.end_date"
  std::string before;  // JSON; empty when unset
  std::string after;
};

// Every differing field. Objects are compared field by field in name order; lists of lots,
// requirements and products element by element by their id, in the order of the earlier version
// and then of new ones ("terms.lots[P1].products[45A48].tariffs"); other lists and scalars as
// whole values.
std::vector<FieldDiff> DiffTerms(const std::string& before_json, const std::string& after_json);

// A covenant id: 1-63 characters of a-z, 0-9 and '-', starting with a letter.
bool IsCovenantId(std::string_view id);
std::string CovenantName(const std::string& covenant_id);
// The id in `covenants/{covenant}`; adds a violation of `field` otherwise.
std::string ParseCovenantName(const std::string& name, Validation& validation,
                              const std::string& field);

// (covenant id, child id) of `covenants/{covenant}/{collection}/{child}` when `is_child_id`
// accepts the child id; otherwise adds a violation of `field` and returns empty strings.
std::pair<std::string, std::string> ParseCovenantChild(const std::string& name,
                                                       std::string_view collection,
                                                       Validation& validation,
                                                       const std::string& field,
                                                       bool (*is_child_id)(std::string_view));
std::string CovenantChildName(const std::string& covenant_id, std::string_view collection,
                              const std::string& child_id);

// Checks every field of the terms, naming each violation under `prefix` (e.g.
// "covenant.terms.term.end_date"). Does not check that municipalities and the region exist: the
// store does, in the transaction that uses them.
void ValidateTerms(const v1::CovenantTerms& terms, Validation& validation,
                   const std::string& prefix);

// The participants named by valid terms.
Participants ParticipantsOf(const v1::CovenantTerms& terms);

// "2026-01-01" for a full date.
std::string IsoDate(const google::type::Date& date);
// A calendar date (year 1900-9999) or, with `yearly`, a day of the year (year 0).
bool IsValidDate(const google::type::Date& date, bool yearly = false);
// The ISO date of an optional `as_of` field ("" when unset, meaning today); adds a violation of
// "as_of" when it is not a calendar date.
template <typename Request>
std::string AsOfDay(const Request& request, Validation& validation) {
  if (!request.has_as_of()) {
    return {};
  }
  if (!IsValidDate(request.as_of())) {
    validation.Add("as_of", "must be a calendar date");
    return {};
  }
  return IsoDate(request.as_of());
}
// Parses "2026-01-01"; nullopt when it is not a valid date.
std::optional<google::type::Date> ParseIsoDate(std::string_view text);

}  // namespace regie::covenants
