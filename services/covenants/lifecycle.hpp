#pragma once

// The date-driven part of a covenant's lifecycle, without a database: which transition a day
// brings, and whether an extension or a termination may happen on it. `today` is always passed in,
// so tests choose the day (the injectable clock).

#include <chrono>
#include <optional>

#include "covenant_rules.hpp"

namespace regie::covenants {

// The last day of the term with `extensions_used` extensions.
std::chrono::sys_days TermEnd(const v1::CovenantTerms& terms, int extensions_used);

// What the calendar does to a covenant on `today`: activate a published one from its start date,
// end an active or extended one the day after its term ends; otherwise nothing.
std::optional<Transition> DueTransition(CovenantState state, const v1::CovenantTerms& terms,
                                        int extensions_used, std::chrono::sys_days today);

// Throws FAILED_PRECONDITION unless an extension may be used on `today`: the state allows it
// (COVENANT_STATE), an option is left (NO_EXTENSION_LEFT) and the term has not ended (TERM_ENDED).
void CheckExtension(CovenantState state, const v1::CovenantTerms& terms, int extensions_used,
                    std::chrono::sys_days today);

// Throws FAILED_PRECONDITION (COVENANT_STATE) when the state cannot be terminated, and
// INVALID_ARGUMENT on `effective_date` unless today <= effective <= the end of the term.
void CheckTermination(CovenantState state, const v1::CovenantTerms& terms, int extensions_used,
                      std::chrono::sys_days today, std::chrono::sys_days effective);

}  // namespace regie::covenants
