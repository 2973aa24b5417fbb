#pragma once

// The rules of admission under open house (docs/adr/0007), without gRPC or a database: which
// accession window an application is for, what an assessment must say, which outcome a lot may
// get and who may decide it, the standard decision letter, and what a participation's evidence
// and dates require on a day. Every function takes the day as an argument.

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "auth/principal.hpp"
#include "covenant_rules.hpp"
#include "error.hpp"
#include "regie/providers/v1/admission.pb.h"
#include "regie/providers/v1/participations.pb.h"
#include "regie/providers/v1/providers.pb.h"

namespace regie::providers {

namespace cv1 = covenants::v1;

// The accession window an application submitted on `today` is for. WINDOWS: `requested` when
// given (it must be the term's start or one of the window dates within the term), else the first
// whose application deadline has not passed. ALWAYS_OPEN: today. Throws FAILED_PRECONDITION
// (ACCESSION_CLOSED) for drafts, finished covenants, CLOSED policies and passed deadlines, naming
// the next window still open and its deadline, if any; INVALID_ARGUMENT on
// `application.window_date` for a date that is no window.
std::chrono::sys_days AccessionWindow(const cv1::CovenantTerms& terms,
                                      covenants::CovenantState state, int extensions_used,
                                      std::chrono::sys_days today,
                                      std::optional<std::chrono::sys_days> requested);

// Lot ids that exist in `terms`, each once, at least one; violations name `field`[i].
void ValidateLotIds(const google::protobuf::RepeatedPtrField<std::string>& lot_ids,
                    const cv1::CovenantTerms& terms, Validation& validation,
                    const std::string& field);

// Input checks of an application: lots exist in `terms`, each once, at least one; the note.
void ValidateApplication(const v1::Application& application, const cv1::CovenantTerms& terms,
                         Validation& validation);

// The first day of an admission decided before the covenant was kept in Regie: `requested`, when
// it is the term's start or a window date (any day of the term when ALWAYS_OPEN) and not after
// `today`. INVALID_ARGUMENT on `in_force_from` otherwise; FAILED_PRECONDITION (ACCESSION_CLOSED)
// for covenants that are not running.
std::chrono::sys_days EarlierAdmissionDay(const cv1::CovenantTerms& terms,
                                          covenants::CovenantState state, int extensions_used,
                                          std::chrono::sys_days today,
                                          std::chrono::sys_days requested);

// The requirements that apply to any of `lot_ids`, in the order of the terms.
std::vector<const cv1::Requirement*> RequirementsFor(const cv1::CovenantTerms& terms,
                                                     const std::vector<std::string>& lot_ids);

// Input checks of an assessment of `requirement` (nullptr when the id is not one of the
// application's requirements): result set; for FAIL a motivation of 20-4000 characters that
// names the requirement id; evidence names of the applicant `kvk`, each once, at most 20.
void ValidateAssessment(const v1::Assessment& assessment, const cv1::Requirement* requirement,
                        const std::string& kvk, Validation& validation);

// After the evidence is looked up: every cited piece must be of one of the requirement's kinds, and
// a PASS of a requirement that names kinds needs one of them valid on `today`. Adds violations
// of "assessment.evidence[i]".
void CheckAssessedEvidence(const v1::Assessment& assessment, const cv1::Requirement& requirement,
                           const std::vector<v1::Evidence>& cited, std::chrono::sys_days today,
                           Validation& validation);

// The next application after assessing: the assessment replaces an earlier one of the same
// requirement; SUBMITTED becomes UNDER_REVIEW. FAILED_PRECONDITION (APPLICATION_STATE) when
// withdrawn or decided, (LOT_DECIDED) when a lot the requirement applies to is decided already.
v1::Application Assess(const v1::Application& current, const cv1::CovenantTerms& terms,
                       v1::Assessment assessment);

// The next application after deciding `lot_id`. Refuses (FAILED_PRECONDITION) a lot not applied
// for or decided already (LOT_DECIDED), a withdrawn application (APPLICATION_STATE), a
// requirement not yet assessed (NOT_ASSESSED), an admission with a failed requirement
// (REQUIREMENT_FAILED), a rejection with every requirement passed (REQUIREMENTS_MET: open house
// admits whoever meets them), and PERMISSION_DENIED (FOUR_EYES) when `decider` assessed one of
// the lot's requirements. Sets the outcome, the letter (the standard one when `letter` is empty)
// and, for an admission, the first day: the window date or `today` when later.
v1::Application Decide(const v1::Application& current, const cv1::CovenantTerms& terms,
                       const std::string& lot_id, v1::LotDecision::Outcome outcome,
                       const std::string& letter, const std::string& decider,
                       std::chrono::sys_days today);

// The standard decision letter for a lot.
std::string StandardLetter(const v1::Application& application, const cv1::CovenantTerms& terms,
                           const std::string& lot_id, v1::LotDecision::Outcome outcome);

// The next application after withdrawal by the applicant: every lot WITHDRAWN. Refused
// (APPLICATION_STATE) once a lot is decided.
v1::Application Withdraw(const v1::Application& current);

// The next application with `objection` registered against the decided lot. Refuses a lot not
// decided (LOT_NOT_DECIDED) and a filed date before the decision or after `today`.
v1::Application Object(const v1::Application& current, const std::string& lot_id,
                       const v1::Objection& objection, std::chrono::sys_days decided_on,
                       std::chrono::sys_days today);

// The requirements with `suspend_on_expiry` that apply to `lot_id` and have, for some kind they
// name, no evidence valid on the day (given as the kinds that are valid). Empty when all is well.
std::vector<const cv1::Requirement*> EvidenceGaps(const cv1::CovenantTerms& terms,
                                                  const std::string& lot_id,
                                                  const std::set<int>& valid_kinds);

// What the evidence monitor does to a participation on `today`, given whether its covenant still
// runs and which requirements lack valid evidence. Returns the next participation, or nullopt
// when nothing changes. Output fields of who and when are left to the store.
std::optional<v1::Participation> MonitorStep(const v1::Participation& current,
                                             bool covenant_running,
                                             const std::vector<const cv1::Requirement*>& gaps,
                                             std::chrono::sys_days today);

// Manual changes by people; each throws FAILED_PRECONDITION (PARTICIPATION_STATE) naming the
// state when it does not apply, and INVALID_ARGUMENT naming the field for bad input.
v1::Participation Suspend(const v1::Participation& current, const std::string& reason,
                          const google::type::Date* until, std::chrono::sys_days today);
v1::Participation Reinstate(const v1::Participation& current, bool evidence_valid);
// `notice_months` is the covenant's notice period; `by_provider` whether the caller is the
// provider itself (which may only give notice).
v1::Participation End(const v1::Participation& current, v1::Ending::Kind kind,
                      const google::type::Date& end_date, const std::string& reason,
                      bool by_provider, int notice_months, std::chrono::sys_days today);

// Whether a participation lets the provider be chosen on `day`: in force, not suspended, not ended.
bool InRegister(const v1::Participation& participation, std::chrono::sys_days day);

}  // namespace regie::providers
