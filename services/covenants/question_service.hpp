#pragma once

// gRPC adapter of regie.covenants.v1.QuestionService.

#include "covenant_store.hpp"
#include "question_store.hpp"
#include "regie/covenants/v1/questions.grpc.pb.h"
#include "rpc/boundary.hpp"

namespace regie::covenants {

class QuestionService final : public v1::QuestionService::Service {
 public:
  QuestionService(const rpc::RpcBoundary& boundary, CovenantStore& covenants,
                  QuestionStore& questions);

  grpc::Status AskQuestion(grpc::ServerContext* context, const v1::AskQuestionRequest* request,
                           v1::Question* response) override;
  grpc::Status AnswerQuestion(grpc::ServerContext* context,
                              const v1::AnswerQuestionRequest* request,
                              v1::Question* response) override;
  grpc::Status ListQuestions(grpc::ServerContext* context, const v1::ListQuestionsRequest* request,
                             v1::ListQuestionsResponse* response) override;

 private:
  const rpc::RpcBoundary& boundary_;
  CovenantStore& covenants_;
  QuestionStore& questions_;
};

}  // namespace regie::covenants
