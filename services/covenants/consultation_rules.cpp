#include "consultation_rules.hpp"

#include <google/protobuf/util/field_mask_util.h>

#include <algorithm>
#include <set>

#include "deadlines.hpp"
#include "lot_rules.hpp"
#include "names.hpp"

namespace regie::covenants {
namespace {

using google::protobuf::util::FieldMaskUtil;

void CheckTextList(const google::protobuf::RepeatedPtrField<std::string>& items, int min_items,
                   int max_items, std::size_t max_length, Validation& v, const std::string& field) {
  if (items.size() < min_items || items.size() > max_items) {
    v.Add(field,
          "must hold " + std::to_string(min_items) + "-" + std::to_string(max_items) + " items");
  }
  for (int i = 0; i < items.size(); ++i) {
    CheckText(items[i], max_length, v, field + "[" + std::to_string(i) + "]");
  }
}

constexpr char kTermsPrefix[] = "amendment.terms_change.terms";

v1::CovenantTerms ApplyTermsChange(const v1::CovenantTerms& base, const v1::TermsChange& change,
                                   Validation& v) {
  const auto& mask = change.update_mask();
  if (mask.paths().empty()) {
    v.Add("amendment.terms_change.update_mask",
          "must name the fields to change, e.g. term.notice_period_months");
  }
  for (const auto& path : mask.paths()) {
    if (!FieldMaskUtil::GetFieldDescriptors(v1::CovenantTerms::descriptor(), path, nullptr)) {
      v.Add("amendment.terms_change.update_mask", "'" + path + "' is not a field of the terms");
    }
  }
  if (!v.empty()) {
    return base;
  }
  auto merged = base;
  FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(change.terms(), mask, options, &merged);
  if (IsoDate(merged.term().start_date()) != IsoDate(base.term().start_date())) {
    v.Add(std::string(kTermsPrefix) + ".term.start_date",
          "cannot change once the covenant is published (it is " +
              IsoDate(base.term().start_date()) + ")");
  }
  return merged;
}

v1::CovenantTerms ApplyIndexation(const v1::CovenantTerms& base, const v1::Amendment& amendment,
                                  Validation& v) {
  const auto& indexation = amendment.tariff_indexation();
  std::set<std::string> seen;
  for (int i = 0; i < indexation.lot_ids_size(); ++i) {
    const auto& lot = indexation.lot_ids(i);
    const auto field = "amendment.tariff_indexation.lot_ids[" + std::to_string(i) + "]";
    if (FindLot(base, lot) == nullptr) {
      v.Add(field, "'" + lot + "' is not a lot of the covenant");
    } else if (!seen.insert(lot).second) {
      v.Add(field, "'" + lot + "' is listed twice");
    }
  }
  if (!v.empty()) {
    return base;
  }
  auto indexed = base;
  const std::vector<std::string> lots(indexation.lot_ids().begin(), indexation.lot_ids().end());
  if (IndexTariffs(indexed, lots, indexation.basis_points(), ToDays(amendment.effective_date())) ==
      0) {
    v.Add("amendment.tariff_indexation",
          "no tariff of the chosen lots is in force on the effective date " +
              IsoDate(amendment.effective_date()));
  }
  return indexed;
}

}  // namespace

void RequireRunning(CovenantState state, std::string_view what) {
  if (state != CovenantState::kPublished && state != CovenantState::kActive &&
      state != CovenantState::kExtended) {
    throw Error::FailedPrecondition("COVENANT_STATE",
                                    "the covenant is " + std::string(StateName(state)) + ": " +
                                        std::string(what) +
                                        " only while it is published, active or extended");
  }
}

bool IsItemNumber(std::string_view id) {
  return !id.empty() && id.size() <= 9 && id[0] != '0' &&
         id.find_first_not_of("0123456789") == std::string_view::npos;
}

void ValidateNewMeeting(const v1::Meeting& meeting, std::chrono::sys_days today, Validation& v) {
  if (!IsValidDate(meeting.meeting_date())) {
    v.Add("meeting.meeting_date", "must be a calendar date");
  } else if (ToDays(meeting.meeting_date()) < today) {
    v.Add("meeting.meeting_date", "must be today or later");
  }
  CheckText(meeting.location(), 200, v, "meeting.location");
  CheckTextList(meeting.agenda(), 1, 50, 500, v, "meeting.agenda");
}

void ValidateMinutes(const std::string& minutes,
                     const google::protobuf::RepeatedPtrField<std::string>& decisions,
                     Validation& v) {
  if (minutes.empty() || minutes.size() > 20000) {
    v.Add("minutes", "must be 1-20000 characters");
  }
  CheckTextList(decisions, 0, 50, 1000, v, "decisions");
}

void ValidateProposal(const std::string& covenant_id, const v1::Amendment& amendment,
                      Validation& v) {
  CheckText(amendment.title(), 200, v, "amendment.title");
  if (amendment.rationale().empty() || amendment.rationale().size() > 4000) {
    v.Add("amendment.rationale", "must be 1-4000 characters");
  }
  if (!IsValidDate(amendment.effective_date())) {
    v.Add("amendment.effective_date", "must be a calendar date");
  }
  switch (amendment.change_case()) {
    case v1::Amendment::kTermsChange:
      break;
    case v1::Amendment::kTariffIndexation: {
      const int points = amendment.tariff_indexation().basis_points();
      if (points < -1000 || points > 2000 || points == 0) {
        v.Add("amendment.tariff_indexation.basis_points",
              "must be -1000 to 2000 hundredths of a percent, and not 0");
      }
      break;
    }
    case v1::Amendment::kAgreementChange: {
      const auto& names = amendment.agreement_change().agreements();
      if (names.empty() || names.size() > 20) {
        v.Add("amendment.agreement_change.agreements", "must name 1-20 outcome agreements");
      }
      std::set<std::string> seen;
      for (int i = 0; i < names.size(); ++i) {
        const auto field = "amendment.agreement_change.agreements[" + std::to_string(i) + "]";
        const auto ref = ParseAgreementName(names[i], v, field);
        if (ref.agreement_id.empty()) {
          continue;
        }
        if (ref.covenant_id != covenant_id) {
          v.Add(field, "'" + names[i] + "' is not an agreement of covenant " + covenant_id);
        } else if (!seen.insert(names[i]).second) {
          v.Add(field, "'" + names[i] + "' is listed twice");
        }
      }
      break;
    }
    default:
      v.Add("amendment.change",
            "must be a terms_change, a tariff_indexation or an agreement_change");
  }
}

v1::CovenantTerms ApplyAmendment(const v1::CovenantTerms& base, const v1::Amendment& amendment) {
  Validation v;
  if (amendment.has_agreement_change()) {
    const auto& names = amendment.agreement_change().agreements();
    for (int i = 0; i < names.size(); ++i) {
      Validation ignored;
      const auto ref = ParseAgreementName(names[i], ignored, "");
      if (FindLot(base, ref.lot_id) == nullptr) {
        v.Add("amendment.agreement_change.agreements[" + std::to_string(i) + "]",
              "lot '" + ref.lot_id + "' is not a lot of the covenant");
      }
    }
    v.ThrowIfAny();
    return base;
  }
  auto terms = amendment.has_terms_change() ? ApplyTermsChange(base, amendment.terms_change(), v)
                                            : ApplyIndexation(base, amendment, v);
  v.ThrowIfAny();
  ValidateTerms(terms, v, amendment.has_terms_change() ? kTermsPrefix : "amendment.terms");
  v.ThrowIfAny();
  SetServerFields(&base, terms);
  return terms;
}

void CheckEffectiveDate(std::chrono::sys_days effective, std::chrono::sys_days today,
                        std::chrono::sys_days newest_from, std::chrono::sys_days term_end) {
  const auto refuse = [&](const std::string& why) {
    throw Error::FailedPrecondition("EFFECTIVE_DATE",
                                    "the effective date " + IsoDate(ToDate(effective)) + " " + why);
  };
  if (effective < today) {
    refuse("has passed: an amendment never changes what the covenant said before today");
  }
  if (effective < newest_from) {
    refuse("is before the newest version's, " + IsoDate(ToDate(newest_from)));
  }
  if (effective > term_end) {
    refuse("is after the term ends, " + IsoDate(ToDate(term_end)));
  }
}

}  // namespace regie::covenants
