#include "covenants_bundle.hpp"

#include "consultation_service.hpp"
#include "consultation_store.hpp"
#include "covenant_calendar.hpp"
#include "covenant_service.hpp"
#include "covenant_store.hpp"
#include "document_service.hpp"
#include "document_store.hpp"
#include "question_service.hpp"
#include "question_store.hpp"
#include "reference_service.hpp"
#include "reference_store.hpp"

namespace regie::covenants {
namespace {

class CovenantsBundle final : public rpc::ServiceBundle {
 public:
  explicit CovenantsBundle(const rpc::ServiceParts& parts)
      : reference_store_(parts.pool),
        reference_service_(parts.boundary, reference_store_),
        covenant_store_(parts.pool),
        covenant_service_(parts.boundary, covenant_store_),
        question_store_(parts.pool),
        question_service_(parts.boundary, covenant_store_, question_store_),
        consultation_store_(parts.pool),
        consultation_service_(parts.boundary, covenant_store_, consultation_store_),
        document_store_(parts.pool),
        document_service_(parts.boundary, covenant_store_, document_store_),
        calendar_(covenant_store_) {}

  std::vector<grpc::Service*> services() override {
    return {&reference_service_, &covenant_service_, &question_service_, &consultation_service_,
            &document_service_};
  }
  void Tick(db::Clock::time_point deadline) override { calendar_.AdvanceToToday(deadline); }

  std::vector<std::string> service_names() const override {
    return {v1::ReferenceDataService::service_full_name(), v1::CovenantService::service_full_name(),
            v1::QuestionService::service_full_name(), v1::ConsultationService::service_full_name(),
            v1::DocumentService::service_full_name()};
  }

 private:
  PgReferenceStore reference_store_;
  ReferenceDataService reference_service_;
  PgCovenantStore covenant_store_;
  CovenantService covenant_service_;
  PgQuestionStore question_store_;
  QuestionService question_service_;
  PgConsultationStore consultation_store_;
  ConsultationService consultation_service_;
  PgDocumentStore document_store_;
  DocumentService document_service_;
  CovenantCalendar calendar_;
};

}  // namespace

std::unique_ptr<rpc::ServiceBundle> MakeCovenantsBundle(const rpc::ServiceParts& parts) {
  return std::make_unique<CovenantsBundle>(parts);
}

}  // namespace regie::covenants
