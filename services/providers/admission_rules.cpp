#include "admission_rules.hpp"

#include <algorithm>

#include "deadlines.hpp"
#include "lifecycle.hpp"
#include "lot_rules.hpp"
#include "names.hpp"
#include "provider_rules.hpp"

namespace regie::providers {
namespace {

using covenants::IsoDate;
using covenants::ToDate;
using covenants::ToDays;
using std::chrono::sys_days;

bool Running(covenants::CovenantState state) {
  return state == covenants::CovenantState::kPublished ||
         state == covenants::CovenantState::kActive || state == covenants::CovenantState::kExtended;
}

// The term's start (the first admission) and every accession window within the term.
std::vector<sys_days> Windows(const cv1::CovenantTerms& terms, int extensions_used) {
  const sys_days start = ToDays(terms.term().start_date());
  const sys_days end = covenants::TermEnd(terms, extensions_used);
  std::vector<sys_days> windows{start};
  for (const auto& item : covenants::Deadlines(terms, extensions_used, start, end)) {
    if (item.kind == covenants::DeadlineKind::kAccessionWindow) {
      windows.push_back(item.date);
    }
  }
  return windows;
}

v1::LotDecision* FindLotDecision(v1::Application& application, const std::string& lot_id) {
  for (auto& lot : *application.mutable_lots()) {
    if (lot.lot_id() == lot_id) {
      return &lot;
    }
  }
  return nullptr;
}

const v1::Assessment* FindAssessment(const v1::Application& application,
                                     const std::string& requirement_id) {
  for (const auto& a : application.assessments()) {
    if (a.requirement_id() == requirement_id) {
      return &a;
    }
  }
  return nullptr;
}

void RequireOpen(const v1::Application& application) {
  if (application.state() == v1::Application::WITHDRAWN ||
      application.state() == v1::Application::DECIDED) {
    throw Error::FailedPrecondition("APPLICATION_STATE",
                                    application.name() + " is " +
                                        v1::Application::State_Name(application.state()) +
                                        ", so it can no longer change");
  }
}

std::string StateText(v1::Participation::State state) {
  return v1::Participation::State_Name(state);
}

[[noreturn]] void WrongState(const v1::Participation& p, const std::string& what) {
  throw Error::FailedPrecondition("PARTICIPATION_STATE",
                                  p.name() + " is " + StateText(p.state()) + "; " + what);
}

}  // namespace

sys_days AccessionWindow(const cv1::CovenantTerms& terms, covenants::CovenantState state,
                         int extensions_used, sys_days today, std::optional<sys_days> requested) {
  const auto& policy = terms.accession_policy();
  if (!Running(state)) {
    throw Error::FailedPrecondition("ACCESSION_CLOSED",
                                    "the covenant is " + std::string(covenants::StateName(state)) +
                                        ": it accepts no applications");
  }
  if (policy.mode() == cv1::AccessionPolicy::CLOSED) {
    throw Error::FailedPrecondition("ACCESSION_CLOSED",
                                    "the covenant's accession policy is CLOSED: no provider can "
                                    "join during its term");
  }
  if (policy.mode() == cv1::AccessionPolicy::ALWAYS_OPEN) {
    if (requested && *requested != today) {
      throw Error::InvalidField("application.window_date",
                                "must be unset: the covenant is always open, so the window is the "
                                "day of submission");
    }
    return today;
  }
  const auto lead = std::chrono::days(policy.application_deadline_days());
  const auto windows = Windows(terms, extensions_used);
  if (requested && std::find(windows.begin(), windows.end(), *requested) == windows.end()) {
    std::string dates;
    for (const auto w : windows) {
      if (w - lead >= today) {
        dates += (dates.empty() ? "" : ", ") + covenants::IsoDay(w);
      }
    }
    throw Error::InvalidField("application.window_date",
                              covenants::IsoDay(*requested) +
                                  " is no accession window of this covenant" +
                                  (dates.empty() ? "" : "; open windows: " + dates));
  }
  const auto next =
      std::find_if(windows.begin(), windows.end(), [&](sys_days w) { return w - lead >= today; });
  if (requested && *requested - lead >= today) {
    return *requested;
  }
  if (!requested && next != windows.end()) {
    return *next;
  }
  std::string message =
      requested ? "applications for the window of " + covenants::IsoDay(*requested) +
                      " could be submitted until " + covenants::IsoDay(*requested - lead)
                : "every accession window of the term has closed";
  message += next == windows.end()
                 ? "; no later window remains in the term"
                 : "; the next window is " + covenants::IsoDay(*next) +
                       ", open for applications until " + covenants::IsoDay(*next - lead);
  throw Error::FailedPrecondition("ACCESSION_CLOSED", message);
}

void ValidateLotIds(const google::protobuf::RepeatedPtrField<std::string>& lot_ids,
                    const cv1::CovenantTerms& terms, Validation& v, const std::string& field) {
  if (lot_ids.empty()) {
    v.Add(field, "name at least one lot");
  }
  std::set<std::string> seen;
  for (int i = 0; i < lot_ids.size(); ++i) {
    const auto at = field + "[" + std::to_string(i) + "]";
    if (covenants::FindLot(terms, lot_ids[i]) == nullptr) {
      std::string lots;
      for (const auto& lot : terms.lots()) {
        lots += (lots.empty() ? "" : ", ") + lot.lot_id();
      }
      v.Add(at, "'" + lot_ids[i] + "' is no lot of this covenant (lots: " + lots + ")");
    } else if (!seen.insert(lot_ids[i]).second) {
      v.Add(at, "appears twice");
    }
  }
}

void ValidateApplication(const v1::Application& a, const cv1::CovenantTerms& terms, Validation& v) {
  ValidateLotIds(a.lot_ids(), terms, v, "application.lot_ids");
  if (!a.note().empty()) {
    CheckText(a.note(), 4000, v, "application.note");
  }
}

sys_days EarlierAdmissionDay(const cv1::CovenantTerms& terms, covenants::CovenantState state,
                             int extensions_used, sys_days today, sys_days requested) {
  if (!Running(state)) {
    throw Error::FailedPrecondition("ACCESSION_CLOSED",
                                    "the covenant is " + std::string(covenants::StateName(state)) +
                                        ": it has no admissions to record");
  }
  if (requested > today) {
    throw Error::InvalidField("in_force_from",
                              covenants::IsoDay(requested) +
                                  " is after today: admissions from a coming window are applied "
                                  "for (SubmitApplication), assessed and decided in Regie");
  }
  const sys_days start = ToDays(terms.term().start_date());
  if (requested < start) {
    throw Error::InvalidField(
        "in_force_from",
        covenants::IsoDay(requested) + " is before the term's start, " + covenants::IsoDay(start));
  }
  if (terms.accession_policy().mode() == cv1::AccessionPolicy::ALWAYS_OPEN) {
    return requested;
  }
  const auto windows = Windows(terms, extensions_used);
  if (std::find(windows.begin(), windows.end(), requested) != windows.end()) {
    return requested;
  }
  std::string dates;
  for (const auto w : windows) {
    if (w <= today) {
      dates += (dates.empty() ? "" : ", ") + covenants::IsoDay(w);
    }
  }
  throw Error::InvalidField("in_force_from", covenants::IsoDay(requested) +
                                                 " is neither the term's start nor an accession "
                                                 "window; those that have come: " +
                                                 dates);
}

std::vector<const cv1::Requirement*> RequirementsFor(const cv1::CovenantTerms& terms,
                                                     const std::vector<std::string>& lot_ids) {
  std::vector<const cv1::Requirement*> found;
  for (const auto& r : terms.requirements()) {
    if (std::any_of(lot_ids.begin(), lot_ids.end(),
                    [&](const auto& lot) { return covenants::AppliesTo(r, lot); })) {
      found.push_back(&r);
    }
  }
  return found;
}

void ValidateAssessment(const v1::Assessment& a, const cv1::Requirement* requirement,
                        const std::string& kvk, Validation& v) {
  if (requirement == nullptr) {
    v.Add("assessment.requirement_id",
          "'" + a.requirement_id() + "' is no requirement of the lots applied for");
  }
  if (a.result() == v1::Assessment::RESULT_UNSPECIFIED) {
    v.Add("assessment.result", "must be PASS or FAIL");
  }
  if (a.result() == v1::Assessment::FAIL) {
    if (a.motivation().size() < 20) {
      v.Add("assessment.motivation",
            "a FAIL needs a written motivation of at least 20 characters that cites the "
            "published requirement");
    } else if (a.motivation().find(a.requirement_id()) == std::string::npos ||
               a.requirement_id().empty()) {
      v.Add("assessment.motivation",
            "must cite the requirement it fails by its id (" + a.requirement_id() + ")");
    }
  }
  if (!a.motivation().empty()) {
    CheckText(a.motivation(), 4000, v, "assessment.motivation");
  }
  if (a.evidence_size() > 20) {
    v.Add("assessment.evidence", "at most 20");
  }
  std::set<std::string> seen;
  for (int i = 0; i < a.evidence_size() && i < 20; ++i) {
    const auto field = "assessment.evidence[" + std::to_string(i) + "].evidence";
    const auto [owner, id] = ParseEvidenceName(a.evidence(i).evidence(), v, field);
    if (!owner.empty() && owner != kvk) {
      v.Add(field, "must be evidence of the applicant, " + ProviderName(kvk));
    } else if (!owner.empty() && !seen.insert(id).second) {
      v.Add(field, "appears twice");
    }
  }
}

void CheckAssessedEvidence(const v1::Assessment& a, const cv1::Requirement& requirement,
                           const std::vector<v1::Evidence>& cited, sys_days today, Validation& v) {
  const auto& kinds = requirement.evidence_kinds();
  bool valid_kind = false;
  for (std::size_t i = 0; i < cited.size(); ++i) {
    const bool of_kind = std::find(kinds.begin(), kinds.end(), cited[i].kind()) != kinds.end();
    if (!of_kind) {
      v.Add("assessment.evidence[" + std::to_string(i) + "].evidence",
            cited[i].name() + " is " + cv1::EvidenceKind_Name(cited[i].kind()) + ", which " +
                requirement.requirement_id() + " does not ask for");
    }
    valid_kind = valid_kind || (of_kind && ValidOn(cited[i], today));
  }
  if (a.result() == v1::Assessment::PASS && !kinds.empty() && !valid_kind) {
    v.Add("assessment.evidence", "a PASS of " + requirement.requirement_id() +
                                     " must cite evidence of a kind it asks for, valid today");
  }
}

v1::Application Assess(const v1::Application& current, const cv1::CovenantTerms& terms,
                       v1::Assessment assessment) {
  RequireOpen(current);
  const auto* requirement = covenants::FindRequirement(terms, assessment.requirement_id());
  for (const auto& lot : current.lots()) {
    if (lot.outcome() != v1::LotDecision::OUTCOME_UNSPECIFIED && requirement != nullptr &&
        covenants::AppliesTo(*requirement, lot.lot_id())) {
      throw Error::FailedPrecondition(
          "LOT_DECIDED", "lot " + lot.lot_id() + " is decided already, so " +
                             assessment.requirement_id() + " can no longer be assessed again");
    }
  }
  auto next = current;
  if (requirement != nullptr) {
    assessment.set_requirement_revision(requirement->revision());
  }
  auto* slot = next.mutable_assessments();
  const auto existing = std::find_if(slot->begin(), slot->end(), [&](const auto& a) {
    return a.requirement_id() == assessment.requirement_id();
  });
  if (existing != slot->end()) {
    *existing = std::move(assessment);
  } else {
    *slot->Add() = std::move(assessment);
  }
  next.set_state(v1::Application::UNDER_REVIEW);
  return next;
}

v1::Application Decide(const v1::Application& current, const cv1::CovenantTerms& terms,
                       const std::string& lot_id, v1::LotDecision::Outcome outcome,
                       const std::string& letter, const std::string& decider, sys_days today) {
  RequireOpen(current);
  auto next = current;
  auto* lot = FindLotDecision(next, lot_id);
  if (lot == nullptr) {
    throw Error::InvalidField("lot_id", "'" + lot_id + "' is not applied for in " + current.name());
  }
  if (lot->outcome() != v1::LotDecision::OUTCOME_UNSPECIFIED) {
    throw Error::FailedPrecondition("LOT_DECIDED",
                                    "lot " + lot_id + " of " + current.name() + " is " +
                                        v1::LotDecision::Outcome_Name(lot->outcome()) + " already");
  }
  bool any_failed = false;
  std::string missing;
  for (const auto* requirement : RequirementsFor(terms, {lot_id})) {
    const auto* a = FindAssessment(current, requirement->requirement_id());
    if (a == nullptr) {
      missing += (missing.empty() ? "" : ", ") + requirement->requirement_id();
      continue;
    }
    if (a->assessor() == decider) {
      throw Error::PermissionDenied("FOUR_EYES", "you assessed " + requirement->requirement_id() +
                                                     " of " + current.name() +
                                                     ", so someone else must decide lot " + lot_id);
    }
    any_failed = any_failed || a->result() == v1::Assessment::FAIL;
  }
  if (!missing.empty()) {
    throw Error::FailedPrecondition("NOT_ASSESSED", "lot " + lot_id +
                                                        " needs every requirement "
                                                        "assessed first; not yet: " +
                                                        missing);
  }
  if (outcome == v1::LotDecision::ADMITTED && any_failed) {
    throw Error::FailedPrecondition("REQUIREMENT_FAILED",
                                    "a requirement of lot " + lot_id + " failed: reject it");
  }
  if (outcome == v1::LotDecision::REJECTED && !any_failed) {
    throw Error::FailedPrecondition("REQUIREMENTS_MET",
                                    "every requirement of lot " + lot_id +
                                        " passed: under open house the provider must be admitted");
  }
  if (outcome != v1::LotDecision::ADMITTED && outcome != v1::LotDecision::REJECTED) {
    throw Error::InvalidField("outcome", "must be ADMITTED or REJECTED");
  }
  lot->set_outcome(outcome);
  lot->set_letter(letter.empty() ? StandardLetter(current, terms, lot_id, outcome) : letter);
  if (outcome == v1::LotDecision::ADMITTED) {
    const sys_days window = ToDays(current.window_date());
    *lot->mutable_in_force_from() = ToDate(std::max(window, today));
  }
  const bool all_decided = std::all_of(next.lots().begin(), next.lots().end(), [](const auto& l) {
    return l.outcome() != v1::LotDecision::OUTCOME_UNSPECIFIED;
  });
  if (all_decided) {
    next.set_state(v1::Application::DECIDED);
  }
  return next;
}

std::string StandardLetter(const v1::Application& application, const cv1::CovenantTerms& terms,
                           const std::string& lot_id, v1::LotDecision::Outcome outcome) {
  const auto* lot = covenants::FindLot(terms, lot_id);
  std::string text = "Decision on " + application.name() + " by " + application.provider() +
                     " for lot " + lot_id + (lot ? " (" + lot->title() + ")" : "") + " of \"" +
                     terms.title() + "\", accession window " + IsoDate(application.window_date()) +
                     ".\n\n";
  if (outcome == v1::LotDecision::ADMITTED) {
    return text +
           "You meet every published admission requirement of this lot. You are admitted and "
           "take part under the same terms as every other provider from the window date.\n";
  }
  text += "You do not meet the following published admission requirement(s):\n";
  for (const auto* requirement : RequirementsFor(terms, {lot_id})) {
    const auto* a = FindAssessment(application, requirement->requirement_id());
    if (a != nullptr && a->result() == v1::Assessment::FAIL) {
      text += "\n" + requirement->requirement_id() + " (revision " +
              std::to_string(a->requirement_revision()) + ") " + requirement->title() + ": \"" +
              requirement->criterion() + "\"\nMotivation: " + a->motivation() + "\n";
    }
  }
  return text +
         "\nYou may apply again for a later window. You may object to this decision (bezwaar) "
         "within six weeks of this letter.\n";
}

v1::Application Withdraw(const v1::Application& current) {
  RequireOpen(current);
  for (const auto& lot : current.lots()) {
    if (lot.outcome() != v1::LotDecision::OUTCOME_UNSPECIFIED) {
      throw Error::FailedPrecondition("APPLICATION_STATE",
                                      "lot " + lot.lot_id() + " of " + current.name() +
                                          " is decided already, so it cannot be withdrawn");
    }
  }
  auto next = current;
  for (auto& lot : *next.mutable_lots()) {
    lot.set_outcome(v1::LotDecision::WITHDRAWN);
  }
  next.set_state(v1::Application::WITHDRAWN);
  return next;
}

v1::Application Object(const v1::Application& current, const std::string& lot_id,
                       const v1::Objection& objection, sys_days decided_on, sys_days today) {
  auto next = current;
  auto* lot = FindLotDecision(next, lot_id);
  if (lot == nullptr) {
    throw Error::InvalidField("lot_id", "'" + lot_id + "' is not applied for in " + current.name());
  }
  if (lot->outcome() != v1::LotDecision::ADMITTED && lot->outcome() != v1::LotDecision::REJECTED) {
    throw Error::FailedPrecondition("LOT_NOT_DECIDED", "lot " + lot_id + " of " + current.name() +
                                                           " has no decision to object to");
  }
  const auto filed = ToDays(objection.filed_date());
  if (filed < decided_on || filed > today) {
    throw Error::InvalidField("objection.filed_date",
                              "must lie between the decision (" + covenants::IsoDay(decided_on) +
                                  ") and today (" + covenants::IsoDay(today) + ")");
  }
  *lot->add_objections() = objection;
  return next;
}

std::vector<const cv1::Requirement*> EvidenceGaps(const cv1::CovenantTerms& terms,
                                                  const std::string& lot_id,
                                                  const std::set<int>& valid_kinds) {
  std::vector<const cv1::Requirement*> gaps;
  for (const auto& r : terms.requirements()) {
    if (!r.suspend_on_expiry() || !covenants::AppliesTo(r, lot_id)) {
      continue;
    }
    const bool missing = std::any_of(r.evidence_kinds().begin(), r.evidence_kinds().end(),
                                     [&](int kind) { return valid_kinds.count(kind) == 0; });
    if (missing) {
      gaps.push_back(&r);
    }
  }
  return gaps;
}

std::optional<v1::Participation> MonitorStep(const v1::Participation& current,
                                             bool covenant_running,
                                             const std::vector<const cv1::Requirement*>& gaps,
                                             sys_days today) {
  if (current.state() == v1::Participation::ENDED) {
    return std::nullopt;
  }
  auto next = current;
  if (current.has_ending() && ToDays(current.ending().end_date()) <= today) {
    next.set_state(v1::Participation::ENDED);
    next.clear_suspension();
    return next;
  }
  if (!covenant_running) {
    next.set_state(v1::Participation::ENDED);
    next.clear_suspension();
    auto* ending = next.mutable_ending();
    ending->set_kind(v1::Ending::COVENANT_END);
    *ending->mutable_end_date() = ToDate(today);
    ending->set_reason("the covenant is no longer running");
    return next;
  }
  if (current.state() == v1::Participation::SUSPENDED) {
    const auto& s = current.suspension();
    const bool due = s.has_until_date() && ToDays(s.until_date()) <= today;
    if ((s.automatic() && gaps.empty()) || (!s.automatic() && due)) {
      next.set_state(v1::Participation::ACTIVE);
      next.clear_suspension();
      return next;
    }
    return std::nullopt;
  }
  if (gaps.empty() || ToDays(current.in_force_from()) > today) {
    return std::nullopt;
  }
  std::string reason = "required evidence is not valid on " + covenants::IsoDay(today) + ":";
  for (const auto* r : gaps) {
    reason += " " + r->requirement_id() + " (" + r->title() + ")";
  }
  next.set_state(v1::Participation::SUSPENDED);
  next.mutable_suspension()->set_reason(reason);
  next.mutable_suspension()->set_automatic(true);
  return next;
}

v1::Participation Suspend(const v1::Participation& current, const std::string& reason,
                          const google::type::Date* until, sys_days today) {
  Validation v;
  CheckText(reason, 4000, v, "reason");
  if (until != nullptr && (!covenants::IsValidDate(*until) || ToDays(*until) <= today)) {
    v.Add("until_date", "must be a calendar date after today, or unset");
  }
  v.ThrowIfAny();
  if (current.state() != v1::Participation::ACTIVE) {
    WrongState(current, "only an ACTIVE participation can be suspended");
  }
  auto next = current;
  next.set_state(v1::Participation::SUSPENDED);
  next.mutable_suspension()->set_reason(reason);
  if (until != nullptr) {
    *next.mutable_suspension()->mutable_until_date() = *until;
  }
  return next;
}

v1::Participation Reinstate(const v1::Participation& current, bool evidence_valid) {
  if (current.state() != v1::Participation::SUSPENDED) {
    WrongState(current, "only a SUSPENDED participation can be reinstated");
  }
  if (current.suspension().automatic() && !evidence_valid) {
    throw Error::FailedPrecondition("EVIDENCE_MISSING", current.name() +
                                                            " stays suspended until valid evidence "
                                                            "arrives: " +
                                                            current.suspension().reason());
  }
  auto next = current;
  next.set_state(v1::Participation::ACTIVE);
  next.clear_suspension();
  return next;
}

v1::Participation End(const v1::Participation& current, v1::Ending::Kind kind,
                      const google::type::Date& end_date, const std::string& reason,
                      bool by_provider, int notice_months, sys_days today) {
  Validation v;
  const bool notice =
      kind == v1::Ending::NOTICE_BY_PROVIDER || kind == v1::Ending::NOTICE_BY_MUNICIPALITY;
  if (!notice && kind != v1::Ending::DISSOLUTION) {
    v.Add("kind", "must be NOTICE_BY_PROVIDER, NOTICE_BY_MUNICIPALITY or DISSOLUTION");
  } else if (by_provider != (kind == v1::Ending::NOTICE_BY_PROVIDER)) {
    v.Add("kind", by_provider ? "a provider ends its participation by NOTICE_BY_PROVIDER"
                              : "NOTICE_BY_PROVIDER is given by the provider itself");
  }
  CheckText(reason, 4000, v, "reason");
  if (!covenants::IsValidDate(end_date)) {
    v.Add("end_date", "must be a calendar date");
  } else if (notice && ToDays(end_date) < covenants::AddMonths(today, notice_months)) {
    v.Add("end_date", "notice must respect the notice period of " + std::to_string(notice_months) +
                          " months: not before " +
                          covenants::IsoDay(covenants::AddMonths(today, notice_months)));
  } else if (ToDays(end_date) < today) {
    v.Add("end_date", "cannot be before today");
  }
  v.ThrowIfAny();
  if (current.state() == v1::Participation::ENDED) {
    WrongState(current, "it has ended already");
  }
  if (current.has_ending()) {
    WrongState(current, "it ends on " + IsoDate(current.ending().end_date()) + " already");
  }
  auto next = current;
  next.mutable_ending()->set_kind(kind);
  *next.mutable_ending()->mutable_end_date() = end_date;
  next.mutable_ending()->set_reason(reason);
  if (ToDays(end_date) <= today) {
    next.set_state(v1::Participation::ENDED);
    next.clear_suspension();
  }
  return next;
}

bool InRegister(const v1::Participation& p, sys_days day) {
  return p.state() == v1::Participation::ACTIVE && ToDays(p.in_force_from()) <= day &&
         (!p.has_ending() || day < ToDays(p.ending().end_date()));
}

}  // namespace regie::providers
