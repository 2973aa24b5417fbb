#include "question_rules.hpp"

namespace regie::covenants {

bool OpenForQuestions(CovenantState state) {
  return state == CovenantState::kPublished || state == CovenantState::kActive ||
         state == CovenantState::kExtended;
}

bool SeesAllQuestions(const auth::Principal& principal, const Participants& participants) {
  return CanManage(principal, participants) || AuditsAny(principal, participants);
}

std::string QuestionName(const std::string& covenant_id, std::int64_t question_id) {
  return CovenantName(covenant_id) + "/questions/" + std::to_string(question_id);
}

std::pair<std::string, std::int64_t> ParseQuestionName(const std::string& name,
                                                       Validation& validation,
                                                       const std::string& field) {
  const auto is_number = [](std::string_view id) {
    return !id.empty() && id.size() <= 18 && id.find_first_not_of("0123456789") == id.npos;
  };
  const auto [covenant_id, id] =
      ParseCovenantChild(name, "questions", validation, field, is_number);
  return {covenant_id, id.empty() ? 0 : std::stoll(id)};
}

}  // namespace regie::covenants
