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
  const auto slash = name.find("/questions/");
  if (slash != std::string::npos) {
    Validation covenant;
    const auto covenant_id = ParseCovenantName(name.substr(0, slash), covenant, field);
    const auto id_text = name.substr(slash + std::string("/questions/").size());
    if (covenant.empty() && !id_text.empty() && id_text.size() <= 18 &&
        id_text.find_first_not_of("0123456789") == std::string::npos) {
      return {covenant_id, std::stoll(id_text)};
    }
  }
  validation.Add(
      field, name.empty() ? "is required"
                          : "must be covenants/{covenant}/questions/{number}, not '" + name + "'");
  return {};
}

}  // namespace regie::covenants
