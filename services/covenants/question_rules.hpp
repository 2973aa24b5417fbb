#pragma once

// Who may ask, see and answer questions about a covenant (nota van inlichtingen): pure rules.

#include <cstdint>
#include <string>
#include <utility>

#include "covenant_rules.hpp"

namespace regie::covenants {

// Questions may be asked while a covenant runs: published, active or extended.
bool OpenForQuestions(CovenantState state);
// The covenant's managers and auditors in scope see every question, open ones and askers included.
bool SeesAllQuestions(const auth::Principal& principal, const Participants& participants);
std::string QuestionName(const std::string& covenant_id, std::int64_t question_id);
// (covenant id, question id) of `covenants/{c}/questions/{q}`; adds a violation of `field`.
std::pair<std::string, std::int64_t> ParseQuestionName(const std::string& name,
                                                       Validation& validation,
                                                       const std::string& field);

}  // namespace regie::covenants
