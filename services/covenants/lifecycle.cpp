#include "lifecycle.hpp"

#include "deadlines.hpp"

namespace regie::covenants {

std::chrono::sys_days TermEnd(const v1::CovenantTerms& terms, int extensions_used) {
  return AddMonths(ToDays(terms.term().end_date()),
                   extensions_used * terms.term().extension_months());
}

std::optional<Transition> DueTransition(CovenantState state, const v1::CovenantTerms& terms,
                                        int extensions_used, std::chrono::sys_days today) {
  switch (state) {
    case CovenantState::kPublished:
      if (today >= ToDays(terms.term().start_date())) {
        return Transition::kActivate;
      }
      return std::nullopt;
    case CovenantState::kActive:
    case CovenantState::kExtended:
      if (today > TermEnd(terms, extensions_used)) {
        return Transition::kEnd;
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

void CheckExtension(CovenantState state, const v1::CovenantTerms& terms, int extensions_used,
                    std::chrono::sys_days today) {
  ApplyTransition(state, Transition::kExtend);  // throws COVENANT_STATE when not active/extended
  if (extensions_used >= terms.term().extension_options()) {
    throw Error::FailedPrecondition("NO_EXTENSION_LEFT",
                                    "all " + std::to_string(terms.term().extension_options()) +
                                        " extension option(s) of the covenant have been used");
  }
  const auto end = TermEnd(terms, extensions_used);
  if (today > end) {
    throw Error::FailedPrecondition("TERM_ENDED", "the term ended on " + IsoDate(ToDate(end)) +
                                                      ": it can no longer be extended");
  }
}

void CheckTermination(CovenantState state, const v1::CovenantTerms& terms, int extensions_used,
                      std::chrono::sys_days today, std::chrono::sys_days effective) {
  ApplyTransition(state, Transition::kTerminate);
  const auto end = TermEnd(terms, extensions_used);
  if (effective < today) {
    throw Error::InvalidField("effective_date",
                              "must not be in the past (today is " + IsoDate(ToDate(today)) + ")");
  }
  if (effective > end) {
    throw Error::InvalidField("effective_date",
                              "must be on or before the end of the term, " + IsoDate(ToDate(end)));
  }
}

}  // namespace regie::covenants
