#include "question_service.hpp"

#include <google/protobuf/util/time_util.h>

#include "names.hpp"
#include "request.hpp"

namespace regie::covenants {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kQuestionsKind[] = "questions";

// `show_asker`: whether the caller may know who asked.
void ToProto(const QuestionRecord& q, bool show_asker, v1::Question* out) {
  out->set_name(QuestionName(q.covenant_id, q.question_id));
  out->set_state(q.answered_at_us != 0 ? v1::Question::ANSWERED : v1::Question::OPEN);
  out->set_text(q.text);
  if (show_asker) {
    out->set_asker_organisation(q.asker_organisation);
  }
  *out->mutable_ask_time() = TimeUtil::MicrosecondsToTimestamp(q.asked_at_us);
  if (q.answered_at_us != 0) {
    out->set_answer(q.answer);
    *out->mutable_answer_time() = TimeUtil::MicrosecondsToTimestamp(q.answered_at_us);
  }
}

bool IsAsker(const auth::Principal& principal, const QuestionRecord& q) {
  return principal.role == auth::Role::kProvider && principal.organisation == q.asker_organisation;
}

}  // namespace

QuestionService::QuestionService(const rpc::RpcBoundary& boundary, CovenantStore& covenants,
                                 QuestionStore& questions)
    : boundary_(boundary), covenants_(covenants), questions_(questions) {}

grpc::Status QuestionService::AskQuestion(grpc::ServerContext* context,
                                          const v1::AskQuestionRequest* request,
                                          v1::Question* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    const auto covenant_id = ParseCovenantName(request->parent(), v, "parent");
    if (const auto problem = CheckText(request->text(), 4000); !problem.empty()) {
      v.Add("text", problem);
    }
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    const auto covenant = GetVisibleCovenant(covenants_, call.deadline, call.principal, covenant_id,
                                             request->parent());
    if (!OpenForQuestions(covenant.state)) {
      throw Error::FailedPrecondition(
          "COVENANT_STATE", "questions are open while a covenant runs; " + request->parent() +
                                " is " + std::string(StateName(covenant.state)));
    }
    const auto question = questions_.Ask(call.deadline, call.audit, covenant_id, request->text(),
                                         call.principal.organisation);
    ToProto(question, /*show_asker=*/true, response);
  });
}

grpc::Status QuestionService::AnswerQuestion(grpc::ServerContext* context,
                                             const v1::AnswerQuestionRequest* request,
                                             v1::Question* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    const auto [covenant_id, question_id] = ParseQuestionName(request->name(), v, "name");
    if (const auto problem = CheckText(request->answer(), 8000); !problem.empty()) {
      v.Add("answer", problem);
    }
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    const auto covenant =
        GetVisibleCovenant(covenants_, call.deadline, call.principal, covenant_id, request->name());
    if (!CanManage(call.principal, covenant.participants)) {
      throw Error::PermissionDenied("NOT_A_COVENANT_MANAGER",
                                    "only the covenant's managers answer its questions");
    }
    const auto question =
        questions_.Answer(call.deadline, call.audit, covenant_id, question_id, request->answer());
    ToProto(question, /*show_asker=*/true, response);
  });
}

grpc::Status QuestionService::ListQuestions(grpc::ServerContext* context,
                                            const v1::ListQuestionsRequest* request,
                                            v1::ListQuestionsResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto covenant_id = ParseCovenantName(request->parent(), v, "parent");
    const int page_size = PageSize(request->page_size(), 100, 500, v);
    const auto after = DecodeNumberPageToken(kQuestionsKind, request->page_token(), v);
    v.ThrowIfAny();
    const auto covenant = GetVisibleCovenant(covenants_, call.deadline, call.principal, covenant_id,
                                             request->parent());
    const bool sees_all = SeesAllQuestions(call.principal, covenant.participants);
    const auto own =
        call.principal.role == auth::Role::kProvider ? call.principal.organisation : std::string();
    auto questions =
        questions_.List(call.deadline, covenant_id, after, sees_all, own, page_size + 1);
    response->set_next_page_token(TakePage(questions, page_size, kQuestionsKind, [](const auto& q) {
      return std::to_string(q.question_id);
    }));
    for (const auto& q : questions) {
      ToProto(q, sees_all || IsAsker(call.principal, q), response->add_questions());
    }
  });
}

}  // namespace regie::covenants
